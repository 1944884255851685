package dev.grpo4j.core.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class RolloutTest {

    private static Rollout rollout(int... completion) {
        return Rollout.builder().setPromptIds(1, 2, 3).setCompletionIds(completion).build();
    }

    @Test
    void copiesArraysInAndOut() {
        int[] completion = {4, 5};
        Rollout r = Rollout.builder().setPromptIds(1).setCompletionIds(completion).build();
        completion[0] = 99;
        r.completionIds()[1] = 99;
        assertThat(r.completionIds()).containsExactly(4, 5);
    }

    @Test
    void withRewardsReturnsScoredCopy() {
        Rollout r = rollout(4, 5).withRewards(1.0, Double.NaN);
        assertThat(r.isScored()).isTrue();
        assertThat(r.reward(0)).isEqualTo(1.0);
        assertThat(r.reward(1)).isNaN();
    }

    @Test
    void rejectsInfiniteReward() {
        assertThatThrownBy(() -> rollout(4).withRewards(Double.POSITIVE_INFINITY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Infinity");
    }

    @Test
    void rejectsLogProbCountMismatch() {
        assertThatThrownBy(
                        () ->
                                Rollout.builder()
                                        .setPromptIds(1)
                                        .setCompletionIds(2, 3)
                                        .optSamplingLogProbs(-0.1f)
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 entries")
                .hasMessageContaining("2 tokens");
    }

    @Test
    void rejectsPositiveLogProb() {
        assertThatThrownBy(
                        () ->
                                Rollout.builder()
                                        .setPromptIds(1)
                                        .setCompletionIds(2)
                                        .optSamplingLogProbs(0.5f)
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0.5");
    }

    @Test
    void rejectsEmptyPrompt() {
        assertThatThrownBy(() -> Rollout.builder().setPromptIds().setCompletionIds(1).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("prompt");
    }

    @Test
    void groupRejectsDifferentPrompts() {
        Rollout other = Rollout.builder().setPromptIds(9).setCompletionIds(1).build();
        assertThatThrownBy(() -> RolloutGroup.of("q", List.of(rollout(1), other)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rollout 1 of group 'q'");
    }

    @Test
    void groupRejectsEmpty() {
        assertThatThrownBy(() -> RolloutGroup.of("q", List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'q' is empty");
    }

    @Test
    void defaultKeyIsTheTokenIds() {
        assertThat(RolloutGroup.of(List.of(rollout(1))).promptKey()).isEqualTo("1,2,3");
    }

    @Test
    void trajectoryScoreDefaultsToStepRewardSum() {
        Step a =
                Step.builder()
                        .setAnchorState("A")
                        .setObservationIds(1)
                        .setActionIds(2)
                        .optReward(0.5)
                        .build();
        Step b =
                Step.builder()
                        .setAnchorState("B")
                        .setObservationIds(1)
                        .setActionIds(2)
                        .optReward(1.0)
                        .build();
        Trajectory t = Trajectory.of(List.of(a, b));
        assertThat(t.episodeScore()).isEqualTo(1.5);
        assertThat(t.stepRewards()).containsExactly(0.5, 1.0);
        assertThat(t.anchorStates()).containsExactly("A", "B");
    }
}
