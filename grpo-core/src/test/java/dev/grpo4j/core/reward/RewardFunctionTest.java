package dev.grpo4j.core.reward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RewardFunctionTest {

    /** A named class: its simple name is its default name. */
    static final class HalfReward implements RewardFunction {
        @Override
        public double score(Completion completion) {
            return 0.5;
        }
    }

    @Test
    void lambdaIsUnnamedByDefault() {
        RewardFunction f = c -> 1.0;
        assertThat(f.name()).isEqualTo(RewardFunction.UNNAMED);
    }

    @Test
    void classUsesItsSimpleName() {
        assertThat(new HalfReward().name()).isEqualTo("HalfReward");
    }

    @Test
    void namedGivesLambdaANameAndDelegates() {
        RewardFunction f = RewardFunction.named("length", c -> c.length());
        assertThat(f.name()).isEqualTo("length");
        assertThat(f.score(Fixtures.ofLength(3))).isEqualTo(3.0);
    }

    @Test
    void namedRejectsBlankName() {
        assertThatThrownBy(() -> RewardFunction.named("  ", c -> 1.0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'  '");
    }

    @Test
    void itemFunctionNamedGivesLambdaAName() {
        ItemRewardFunction f = ItemRewardFunction.named("hits", c -> new double[] {1, 0});
        assertThat(f.name()).isEqualTo("hits");
        assertThat(f.score(Fixtures.ofLength(1))).containsExactly(1, 0);
        ItemRewardFunction unnamed = c -> new double[0];
        assertThat(unnamed.name()).isEqualTo(RewardFunction.UNNAMED);
    }
}
