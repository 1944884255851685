package dev.grpo4j.core.reward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class RewardSetTest {

    private static final RewardFunction ONE = RewardFunction.named("one", c -> 1.0);
    private static final RewardFunction TWO = RewardFunction.named("two", c -> 2.0);

    @Test
    void weightsDefaultToOne() {
        RewardSet set = RewardSet.of(ONE, TWO);
        assertThat(set.names()).containsExactly("one", "two");
        assertThat(set.weights()).containsExactly(1.0, 1.0);
    }

    @Test
    void builderKeepsOrderAndWeights() {
        RewardSet set = RewardSet.builder().addFunction(TWO, 0.5).addFunction(ONE).build();
        assertThat(set.names()).containsExactly("two", "one");
        assertThat(set.weights()).containsExactly(0.5, 1.0);
        assertThat(set.function(1)).isSameAs(ONE);
    }

    @Test
    void negativeAndZeroWeightsAreAllowed() {
        RewardSet set = RewardSet.of(List.of(ONE, TWO), new double[] {-1.0, 0.0});
        assertThat(set.weights()).containsExactly(-1.0, 0.0);
    }

    @Test
    void weightsAreCopied() {
        double[] w = {1, 2};
        RewardSet set = RewardSet.of(List.of(ONE, TWO), w);
        w[0] = 9;
        set.weights()[1] = 9;
        assertThat(set.weights()).containsExactly(1.0, 2.0);
    }

    @Test
    void rejectsEmptyFunctionList() {
        assertThatThrownBy(() -> RewardSet.of(List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one function");
    }

    @Test
    void rejectsWeightCountMismatch() {
        assertThatThrownBy(() -> RewardSet.of(List.of(ONE, TWO), new double[] {1, 1, 1}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3 weights given for 2 reward functions");
    }

    @Test
    void rejectsNonFiniteWeightNamingFunction() {
        assertThatThrownBy(
                        () ->
                                RewardSet.of(
                                        List.of(ONE, TWO),
                                        new double[] {1, Double.POSITIVE_INFINITY}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("weight 1 (of 'two') must be finite but was Infinity");
    }

    @Test
    void rejectsDuplicateNamesWithHint() {
        assertThatThrownBy(() -> RewardSet.of(c -> 1.0, c -> 2.0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'unnamed' is used by functions 0 and 1")
                .hasMessageContaining("RewardFunction.named");
    }

    @Test
    void itemSetFollowsTheSameRules() {
        ItemRewardFunction hits = ItemRewardFunction.named("hits", c -> new double[] {1});
        assertThat(ItemRewardSet.of(hits).weights()).containsExactly(1.0);
        assertThatThrownBy(() -> ItemRewardSet.of(List.of(hits), new double[] {1, 2}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2 weights given for 1 item reward functions");
        assertThatThrownBy(() -> ItemRewardSet.of(hits, hits))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'hits' is used by functions 0 and 1");
    }
}
