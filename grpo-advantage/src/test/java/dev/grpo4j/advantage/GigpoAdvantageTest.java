package dev.grpo4j.advantage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.grpo4j.core.advantage.AdvantageInput;
import dev.grpo4j.core.advantage.Advantages;
import dev.grpo4j.core.rollout.Rollout;
import dev.grpo4j.core.rollout.RolloutGroup;
import dev.grpo4j.core.rollout.Step;
import dev.grpo4j.core.rollout.Trajectory;
import dev.grpo4j.core.rollout.TrajectoryGroup;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** GiGPO's singleton rules, grouping, SPI and bad input. */
class GigpoAdvantageTest {

    private static final double TOL = 1e-12;
    private static final GigpoAdvantage DEFAULT = GigpoAdvantage.builder().build();

    @Test
    void episodeListOfOneUsesRawScore() {
        double[][][] r = {{{0.25, 0.5}}};
        String[][][] anchors = {{{"a", "b"}}};
        // One trajectory, PER_TRAJECTORY: |V| = 1 -> A_E = R = 0.75; distinct anchors -> A_S = 0.
        GigpoAdvantage perTrajectory =
                GigpoAdvantage.builder()
                        .optEpisodeStatistics(EpisodeStatistics.PER_TRAJECTORY)
                        .build();
        assertThat(perTrajectory.compute(anchors, r)[0][0]).containsExactly(0.75, 0.75);
        GigpoAdvantage std =
                GigpoAdvantage.builder()
                        .optEpisodeStatistics(EpisodeStatistics.PER_TRAJECTORY)
                        .optMode(GigpoMode.MEAN_STD_NORM)
                        .build();
        assertThat(std.compute(anchors, r)[0][0][0]).isCloseTo(0.75 / (1 + 1e-6), within(TOL));
        // PER_STEP with a single one-step trajectory: |V| = 1 as well.
        assertThat(DEFAULT.compute(new String[][][] {{{"a"}}}, new double[][][] {{{0.4}}})[0][0])
                .containsExactly(0.4);
    }

    /**
     * One trajectory of three steps: per step V = [R, R, R] (mean R, std 0, A_E = 0); per
     * trajectory V = [R] (raw score, A_E = R).
     */
    @Test
    void loneMultiStepTrajectoryDependsOnEpisodeStatistics() {
        String[][][] anchors = {{{"a", "b", "c"}}};
        double[][][] r = {{{0.5, 0, 1}}};
        for (GigpoMode mode : GigpoMode.values()) {
            GigpoAdvantage.Builder b = GigpoAdvantage.builder().optMode(mode);
            double[] perStep =
                    TestArrays.flatten(
                            b.optEpisodeStatistics(EpisodeStatistics.PER_STEP)
                                    .build()
                                    .compute(anchors, r));
            assertThat(perStep).as("%s", mode).containsOnly(0.0);
            double[] perTrajectory =
                    TestArrays.flatten(
                            b.optEpisodeStatistics(EpisodeStatistics.PER_TRAJECTORY)
                                    .build()
                                    .compute(anchors, r));
            double expected = mode == GigpoMode.MEAN_NORM ? 1.5 : 1.5 / (1 + 1e-6);
            assertThat(perTrajectory).as("%s", mode).containsOnly(expected);
        }
    }

    @Test
    void singletonStepGroupGetsExactlyZeroStepAdvantage() {
        double[][][] r = {{{1, 0}, {0, 2}}};
        String[][][] anchors = {{{"a", "b"}, {"c", "d"}}};
        for (GigpoMode mode : GigpoMode.values()) {
            GigpoAdvantage.Builder b = GigpoAdvantage.builder().optMode(mode).optGamma(0.9);
            double[] withStep = TestArrays.flatten(b.optStepWeight(1).build().compute(anchors, r));
            double[] episodeOnly =
                    TestArrays.flatten(b.optStepWeight(0).build().compute(anchors, r));
            assertThat(withStep).as("%s", mode).containsExactly(episodeOnly);
        }
    }

    @Test
    void equalReturnsInAStepGroupGiveZeroStepAdvantage() {
        double[][][] r = {{{0.3, 1}, {0.3, 1}}};
        String[][][] anchors = {{{"a", "b"}, {"a", "b"}}};
        GigpoAdvantage std = GigpoAdvantage.builder().optMode(GigpoMode.MEAN_STD_NORM).build();
        assertThat(TestArrays.flatten(std.compute(anchors, r))).containsOnly(0.0);
    }

    @Test
    void stepGroupsNeverSpanTaskGroups() {
        String[][][] anchors = {{{"a"}, {"a"}}, {{"a"}, {"a"}}};
        double[][][] r = {{{1}, {0}}, {{5}, {3}}};
        double[][][] together = DEFAULT.compute(anchors, r);
        double[][][] first =
                DEFAULT.compute(new String[][][] {anchors[0]}, new double[][][] {r[0]});
        double[][][] second =
                DEFAULT.compute(new String[][][] {anchors[1]}, new double[][][] {r[1]});
        assertThat(together[0]).isDeepEqualTo(first[0]);
        assertThat(together[1]).isDeepEqualTo(second[0]);
    }

    @Test
    void gammaZeroUsesStepRewardsAndGammaOneUsesUndiscountedSums() {
        String[][][] anchors = {{{"x", "y"}, {"x", "z"}}};
        double[][][] r = {{{1, 2}, {0, 4}}};
        // Step group x holds returns (Ret_0 of both trajectories); y, z are singletons.
        double[] g0 =
                TestArrays.flatten(
                        GigpoAdvantage.builder().optGamma(0).build().compute(anchors, r));
        double[] g1 = TestArrays.flatten(DEFAULT.compute(anchors, r));
        // R = 3 and 4 over four step rows: mean 3.5; A_E = -0.5, +0.5.
        // gamma 0: returns x = {1, 0}: A_S = +0.5, -0.5. gamma 1: x = {3, 4}: A_S = -0.5, +0.5.
        assertThat(g0).containsExactly(new double[] {0, -0.5, 0, 0.5}, within(TOL));
        assertThat(g1).containsExactly(new double[] {-1, -0.5, 1, 0.5}, within(TOL));
    }

    @Test
    void explicitEpisodeScoresReplaceStepRewardSums() {
        String[][][] anchors = {{{"a"}, {"b"}}};
        double[][][] r = {{{0}, {0}}};
        double[][][] a = DEFAULT.compute(anchors, r, new double[][] {{1, 0}});
        assertThat(a[0][0]).containsExactly(0.5);
        assertThat(a[0][1]).containsExactly(-0.5);
    }

    @Test
    void numericAndArrayAnchorsGroupByCanonicalKey() {
        Object[][][] anchors = {{{1, new int[] {1, 2}}, {1.0, List.of(1, 2)}}};
        double[][][] r = {{{0, 1}, {0, 0}}};
        // Both step groups have two members: {1, 1.0} with returns {1, 0}; {[1,2], (1,2)} {1, 0}.
        double[] a = TestArrays.flatten(DEFAULT.compute(anchors, r));
        // R = 1, 0 -> A_E = 0.5, -0.5; A_S = +0.5, +0.5, -0.5, -0.5.
        assertThat(a).containsExactly(new double[] {1, 1, -1, -1}, within(TOL));
    }

    // python3: SequenceMatcher(None, b, a).ratio() == 0.98 for the two cabinet sentences,
    // SequenceMatcher(None, 'You are carrying nothing.', a).ratio() == 0.4
    @Test
    void similarityGroupingJoinsNearDuplicateText() {
        String a = "You see a cabinet 1, a drawer 2 and a sinkbasin 1.";
        String b = "You see a cabinet 1, a drawer 3 and a sinkbasin 1.";
        String c = "You are carrying nothing.";
        String[][][] anchors = {{{a}, {b}, {c}}};
        double[][][] r = {{{1}, {0}, {0}}};
        GigpoAdvantage similar = GigpoAdvantage.builder().optSimilarityGrouping(true).build();
        // Groups {a, b} (returns 1, 0) and {c}: A_S = 0.5, -0.5, 0; A_E = 2/3, -1/3, -1/3.
        assertThat(TestArrays.flatten(similar.compute(anchors, r)))
                .containsExactly(
                        new double[] {2.0 / 3 + 0.5, -1.0 / 3 - 0.5, -1.0 / 3}, within(TOL));
        // Exact grouping keeps all three apart.
        assertThat(TestArrays.flatten(DEFAULT.compute(anchors, r)))
                .containsExactly(new double[] {2.0 / 3, -1.0 / 3, -1.0 / 3}, within(TOL));
    }

    // python3: ratio('bbbccc','aaabbb') == 0.5, ratio('abbbcc','aaabbb') == 0.666..,
    // ratio('abbbcc','bbbccc') == 0.833..
    @Test
    void similarityJoinsTheFirstSimilarClusterNotTheMostSimilar() {
        String[][][] anchors = {{{"aaabbb"}, {"bbbccc"}, {"abbbcc"}}};
        double[][][] r = {{{1}, {0}, {0}}};
        GigpoAdvantage similar =
                GigpoAdvantage.builder()
                        .optSimilarityGrouping(true)
                        .optSimilarityThreshold(0.6)
                        .build();
        // Clusters {aaabbb, abbbcc} and {bbbccc}: A_S = 0.5, 0, -0.5.
        assertThat(TestArrays.flatten(similar.compute(anchors, r)))
                .containsExactly(
                        new double[] {2.0 / 3 + 0.5, -1.0 / 3, -1.0 / 3 - 0.5}, within(TOL));
    }

    @Test
    void similarityGroupingNeedsText() {
        GigpoAdvantage similar = GigpoAdvantage.builder().optSimilarityGrouping(true).build();
        assertThatThrownBy(
                        () ->
                                similar.compute(
                                        new Object[][][] {{{"a", 3}}}, new double[][][] {{{0, 1}}}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(
                        "similarity grouping compares text, but the anchor state of group 0,"
                                + " trajectory 0, step 1 is a java.lang.Integer");
    }

    @Test
    void similarityThresholdMustLieStrictlyBetweenZeroAndOne() {
        for (double t : new double[] {0, 1, 1.5, -0.1, Double.NaN}) {
            assertThatThrownBy(() -> GigpoAdvantage.builder().optSimilarityThreshold(t))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("similarity threshold must lie in (0, 1) but was " + t);
        }
    }

    @Test
    void gammaOutsideUnitIntervalIsRejected() {
        assertThatThrownBy(() -> GigpoAdvantage.builder().optGamma(1.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gamma must lie in [0.0, 1.0] but was 1.5");
    }

    @Test
    void nullAnchorIsRejectedWithItsPosition() {
        assertThatThrownBy(
                        () ->
                                DEFAULT.compute(
                                        new String[][][] {{{"a"}, {null, "b"}}},
                                        new double[][][] {{{0}, {0, 1}}}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("anchor state of group 0, trajectory 1, step 0 is null");
    }

    @Test
    void unsupportedAnchorIsRejectedWithItsPosition() {
        assertThatThrownBy(
                        () ->
                                DEFAULT.compute(
                                        new Object[][][] {{{"a", new Object()}}},
                                        new double[][][] {{{0, 1}}}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(
                        "anchor state of group 0, trajectory 0, step 1 has unsupported type");
    }

    @Test
    void groupCountsMustMatch() {
        assertThatThrownBy(
                        () ->
                                DEFAULT.compute(
                                        new String[][][] {{{"a"}}},
                                        new double[][][] {{{0}}, {{1}}}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("anchorStates has 1 groups but stepRewards has 2");
    }

    @Test
    void trajectoryCountsMustMatch() {
        assertThatThrownBy(
                        () ->
                                DEFAULT.compute(
                                        new String[][][] {{{"a"}}}, new double[][][] {{{0}, {1}}}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(
                        "group 0: anchorStates has 1 trajectories but stepRewards has 2");
    }

    @Test
    void stepCountsMustMatch() {
        assertThatThrownBy(
                        () ->
                                DEFAULT.compute(
                                        new String[][][] {{{"a", "b"}, {"a", "b"}}},
                                        new double[][][] {{{0, 1}, {1, 0, 0}}}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("group 0, trajectory 1: 2 anchor states but 3 step rewards");
    }

    @Test
    void episodeScoresMustMatchTrajectories() {
        assertThatThrownBy(
                        () ->
                                DEFAULT.compute(
                                        new String[][][] {{{"a"}, {"b"}}},
                                        new double[][][] {{{0}, {1}}},
                                        new double[][] {{1}}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("group 0: 1 episode scores for 2 trajectories");
    }

    @Test
    void emptyGroupIsRejected() {
        assertThatThrownBy(
                        () ->
                                DEFAULT.compute(
                                        new String[][][] {{{"a"}}, {}},
                                        new double[][][] {{{0}}, {}}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("group 1 has no trajectories");
    }

    @Test
    void emptyTrajectoryIsRejected() {
        assertThatThrownBy(
                        () ->
                                DEFAULT.compute(
                                        new String[][][] {{{"a"}, {}}},
                                        new double[][][] {{{0}, {}}}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("group 0, trajectory 1 has no steps");
    }

    @Test
    void nonFiniteStepRewardIsRejected() {
        assertThatThrownBy(
                        () ->
                                DEFAULT.compute(
                                        new String[][][] {{{"a", "b"}}},
                                        new double[][][] {{{0, Double.NaN}}}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("step reward of group 0, trajectory 0, step 1 is NaN");
    }

    @Test
    void nonFiniteEpisodeScoreIsRejected() {
        assertThatThrownBy(
                        () ->
                                DEFAULT.compute(
                                        new String[][][] {{{"a"}, {"b"}}},
                                        new double[][][] {{{0}, {1}}},
                                        new double[][] {{1, Double.POSITIVE_INFINITY}}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("episode score of group 0, trajectory 1 is Infinity");
    }

    @Test
    void estimateMatchesComputeInRowOrder() {
        Object[][][] anchors = {{{"a", "b"}, {"a", "c", "b"}}, {{1, 2}, {1.0}}};
        double[][][] r = {{{0, 1}, {0.5, 0, 1}}, {{0.2, 0.1}, {0.7}}};
        double[][] scores = {{1, 2}, {0.5, -1}};
        List<TrajectoryGroup> groups = new ArrayList<>();
        for (int g = 0; g < r.length; g++) {
            List<Trajectory> ts = new ArrayList<>();
            for (int t = 0; t < r[g].length; t++) {
                List<Step> steps = new ArrayList<>();
                for (int s = 0; s < r[g][t].length; s++) {
                    steps.add(
                            Step.builder()
                                    .setAnchorState(anchors[g][t][s])
                                    .setObservationIds(1, 2)
                                    .setActionIds(3)
                                    .optReward(r[g][t][s])
                                    .build());
                }
                ts.add(Trajectory.of(steps, scores[g][t]));
            }
            groups.add(TrajectoryGroup.of("task" + g, ts));
        }
        GigpoAdvantage gigpo = GigpoAdvantage.builder().optGamma(0.95).build();
        Advantages adv = gigpo.estimate(AdvantageInput.ofTrajectories(groups));
        assertThat(adv.level()).isEqualTo(Advantages.Level.STEP);
        assertThat(adv.values())
                .containsExactly(
                        TestArrays.flatten(gigpo.compute(anchors, r, scores)), within(0.0));
    }

    @Test
    void estimateRejectsRolloutsAndSupportsOnlyTrajectories() {
        Rollout rollout =
                Rollout.builder().setPromptIds(1).setCompletionIds(2).optRewards(1.0).build();
        AdvantageInput rollouts =
                AdvantageInput.ofRollouts(List.of(RolloutGroup.of("p", List.of(rollout, rollout))));
        assertThat(DEFAULT.supports(AdvantageInput.Kind.TRAJECTORIES)).isTrue();
        assertThat(DEFAULT.supports(AdvantageInput.Kind.ROLLOUTS)).isFalse();
        assertThatThrownBy(() -> DEFAULT.estimate(rollouts))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not ROLLOUTS");
    }
}
