package dev.grpo4j.advantage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.grpo4j.advantage.internal.NdScope;
import dev.grpo4j.core.advantage.AdvantageInput;
import dev.grpo4j.core.advantage.Advantages;
import dev.grpo4j.core.reward.RewardAggregation;
import dev.grpo4j.core.rollout.Rollout;
import dev.grpo4j.core.rollout.RolloutGroup;
import dev.grpo4j.core.rollout.Step;
import dev.grpo4j.core.rollout.Trajectory;
import dev.grpo4j.core.rollout.TrajectoryGroup;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * GrpoAdvantage's policies, multi-reward aggregations, SPI and bad input. Expected values come from
 * TRL's formulas evaluated by hand in python3 (commands quoted in the comments).
 */
class GrpoAdvantageTest {

    private static final double TOL = 1e-9;
    private static final double NAN = Double.NaN;

    // python3: g=[1,nan,0,1]; mean and sample std over [1,0,1], (x-m)/(s+1e-4), NaN -> 0
    @Test
    void nanIgnoredIsLeftOutOfStatisticsAndGetsZero() {
        double[][] a = GrpoAdvantage.builder().build().compute(new double[][] {{1, NAN, 0, 1}});
        assertThat(a[0][0]).isCloseTo(0.5772502865071344, within(TOL));
        assertThat(a[0][1]).isZero();
        assertThat(a[0][2]).isCloseTo(-1.1545005730142686, within(TOL));
        assertThat(a[0][3]).isCloseTo(0.5772502865071344, within(TOL));
    }

    @Test
    void nanRejectedNamesGroupAndIndex() {
        GrpoAdvantage grpo = GrpoAdvantage.builder().optNanPolicy(NanPolicy.REJECT).build();
        assertThatThrownBy(() -> grpo.compute(new double[][] {{1, 0}, {1, NAN, 0}}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reward 1 of group 1 is NaN");
    }

    @Test
    void nanRejectedInMultiRewardInputNamesFunctionRolloutAndGroup() {
        GrpoAdvantage grpo = GrpoAdvantage.builder().optNanPolicy(NanPolicy.REJECT).build();
        double[][][] x = {{{1, 0}, {0, NAN}}};
        assertThatThrownBy(() -> grpo.compute(x))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reward 1 of rollout 1 in group 0 is NaN");
    }

    @Test
    void allNaNGroupGetsZeros() {
        double[][] a = GrpoAdvantage.builder().build().compute(new double[][] {{NAN, NAN}, {1, 0}});
        assertThat(a[0]).containsExactly(0, 0);
    }

    @Test
    void loneValidRewardInGroupGetsZeroUnderEveryScale() {
        for (RewardScale scale : RewardScale.values()) {
            double[][] a =
                    GrpoAdvantage.builder()
                            .optScale(scale)
                            .build()
                            .compute(new double[][] {{NAN, 0.7, NAN}, {1, 0}});
            assertThat(a[0]).as("%s", scale).containsExactly(0, 0, 0);
        }
    }

    @Test
    void infiniteRewardIsRejected() {
        assertThatThrownBy(
                        () ->
                                GrpoAdvantage.builder()
                                        .build()
                                        .compute(
                                                new double[][] {
                                                    {1, 0}, {Double.POSITIVE_INFINITY, 0}
                                                }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reward 0 of group 1 is Infinity");
    }

    @Test
    void emptyGroupIsRejected() {
        assertThatThrownBy(
                        () -> GrpoAdvantage.builder().build().compute(new double[][] {{1, 0}, {}}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("group 1 is empty");
    }

    @Test
    void noGroupsIsRejected() {
        assertThatThrownBy(() -> GrpoAdvantage.builder().build().compute(new double[0][]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no groups");
    }

    @Test
    void singletonRejectedByDefaultNamesGroup() {
        assertThatThrownBy(
                        () ->
                                GrpoAdvantage.builder()
                                        .build()
                                        .compute(new double[][] {{1, 0}, {0.7}, {0, 1}}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("group 1 has a single rollout");
    }

    // python3: b=[0.7,1,0]; sample std 0.5131601439446883; 0.7/(s+1e-4), 0.7/(1+1e-4)
    @Test
    void singletonRawScoreUsesMeanZeroStdOne() {
        double[][] input = {{0.7}, {1, 0}};
        GrpoAdvantage.Builder raw =
                GrpoAdvantage.builder().optSingletonPolicy(SingletonPolicy.RAW_SCORE);
        assertThat(raw.optScale(RewardScale.GROUP).build().compute(input)[0][0])
                .isCloseTo(0.6999300069993001, within(TOL));
        assertThat(raw.optScale(RewardScale.NONE).build().compute(input)[0][0])
                .isCloseTo(0.7, within(TOL));
        assertThat(raw.optScale(RewardScale.BATCH).build().compute(input)[0][0])
                .isCloseTo(1.3638308141756585, within(TOL));
    }

    /** With one valid reward in the whole batch the batch spread is undefined: TRL gives 0. */
    @Test
    void batchScaleWithUndefinedBatchSpreadGivesZero() {
        double[][] a =
                GrpoAdvantage.builder()
                        .optSingletonPolicy(SingletonPolicy.RAW_SCORE)
                        .optScale(RewardScale.BATCH)
                        .build()
                        .compute(new double[][] {{0.7}, {NAN, NAN}});
        assertThat(TestArrays.flatten(a)).containsExactly(0, 0, 0);
    }

    @Test
    void singletonZeroGetsZero() {
        double[][] a =
                GrpoAdvantage.builder()
                        .optSingletonPolicy(SingletonPolicy.ZERO)
                        .build()
                        .compute(new double[][] {{0.7}, {1, 0}});
        assertThat(a[0]).containsExactly(0);
        assertThat(a[1][0]).isCloseTo(0.5 / (Math.sqrt(0.5) + 1e-4), within(TOL));
    }

    // python3: r = [1, 0.5, 1.5, 0] from weights (1, 0.5); (r - mean) / (sample std + 1e-4)
    @Test
    void weightedSumThenNormalize() {
        double[][][] x = {{{1, 0}, {0, 1}, {1, 1}, {0, 0}}};
        double[][] a = GrpoAdvantage.builder().optRewardWeights(1, 0.5).build().compute(x);
        assertThat(a[0][0]).isCloseTo(0.38723834391446194, within(TOL));
        assertThat(a[0][1]).isCloseTo(-0.38723834391446194, within(TOL));
        assertThat(a[0][2]).isCloseTo(1.161715031743386, within(TOL));
        assertThat(a[0][3]).isCloseTo(-1.161715031743386, within(TOL));
    }

    // python3: TRL normalize_then_sum with nanmean/nanstd per function and group, nansum of
    // weighted z, then batch (r - nanmean) / (nanstd + 1e-4)
    @Test
    void normalizeThenSumWithNaN() {
        double[][][] x = {
            {{1, 0}, {0, 1}, {1, 1}, {0, 0}},
            {{1, 0.2}, {0, 0.4}, {1, NAN}, {0, 0.8}}
        };
        double[][] a =
                GrpoAdvantage.builder()
                        .optRewardWeights(1, 0.5)
                        .optAggregation(RewardAggregation.NORMALIZE_THEN_SUM)
                        .build()
                        .compute(x);
        double[] expected = {
            0.47820382827715485, -0.47820382827715485, 1.4346114848314646, -1.4346114848314646,
            0.47449776196856985, -1.0768851302007447, 0.9564076565543097, -0.35402028832213506
        };
        double[] actual = TestArrays.flatten(a);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).as("row %d", i).isCloseTo(expected[i], within(TOL));
        }
    }

    @Test
    void unscorableRolloutGetsZeroUnderBothAggregations() {
        double[][][] x = {{{1, 0}, {NAN, NAN}, {0, 1}, {0.5, 0.5}}};
        for (RewardAggregation agg : RewardAggregation.values()) {
            double[][] a = GrpoAdvantage.builder().optAggregation(agg).build().compute(x);
            assertThat(a[0][1]).as("%s", agg).isZero();
        }
    }

    @Test
    void weightsMustMatchRewardCount() {
        GrpoAdvantage grpo = GrpoAdvantage.builder().optRewardWeights(1, 1, 1).build();
        assertThatThrownBy(() -> grpo.compute(new double[][][] {{{1, 0}, {0, 1}}}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reward weights have 3 entries but each rollout has 2");
    }

    @Test
    void raggedRewardCountsAreRejected() {
        double[][][] x = {{{1, 0}, {0, 1}}, {{1, 0}, {0}}};
        assertThatThrownBy(() -> GrpoAdvantage.builder().build().compute(x))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(
                        "rollout 1 of group 1 has 1 rewards but the first rollout has 2");
    }

    @Test
    void singleWeightScalesTheOnlyReward() {
        double[][] r = {{1, 0, 0.5}, {0.2, 0.9}};
        GrpoAdvantage none = GrpoAdvantage.builder().optScale(RewardScale.NONE).build();
        double[][] plain = none.compute(r);
        double[][] weighted = none.toBuilder().optRewardWeights(2).build().compute(r);
        assertThat(TestArrays.flatten(weighted))
                .containsExactly(
                        java.util.Arrays.stream(TestArrays.flatten(plain))
                                .map(v -> 2 * v)
                                .toArray(),
                        within(TOL));
    }

    @Test
    void normalizeThenSumRejectsOtherScales() {
        assertThatThrownBy(
                        () ->
                                GrpoAdvantage.builder()
                                        .optAggregation(RewardAggregation.NORMALIZE_THEN_SUM)
                                        .optScale(RewardScale.BATCH)
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("scale BATCH has no effect with NORMALIZE_THEN_SUM");
    }

    @Test
    void builderRejectsNegativeEpsilon() {
        assertThatThrownBy(() -> GrpoAdvantage.builder().optEpsilon(-1e-4))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("epsilon must be a finite number >= 0 but was -1.0E-4");
    }

    @Test
    void builderRejectsNonFiniteWeight() {
        assertThatThrownBy(() -> GrpoAdvantage.builder().optRewardWeights(1, NAN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reward weight 1 must be finite but was NaN");
    }

    @Test
    void verlPresetAndToBuilderKeepSettings() {
        GrpoAdvantage verl = GrpoAdvantage.verl();
        assertThat(verl.epsilon()).isEqualTo(1e-6);
        assertThat(verl.singletonPolicy()).isEqualTo(SingletonPolicy.RAW_SCORE);
        GrpoAdvantage unscaled = verl.toBuilder().optScale(RewardScale.NONE).build();
        assertThat(unscaled.epsilon()).isEqualTo(1e-6);
        assertThat(unscaled.singletonPolicy()).isEqualTo(SingletonPolicy.RAW_SCORE);
        assertThat(unscaled.scale()).isEqualTo(RewardScale.NONE);
    }

    @Test
    void rewardScaleParsesTrlSpellings() {
        assertThat(RewardScale.fromName("group")).isEqualTo(RewardScale.GROUP);
        assertThat(RewardScale.fromName("True")).isEqualTo(RewardScale.GROUP);
        assertThat(RewardScale.fromName("batch")).isEqualTo(RewardScale.BATCH);
        assertThat(RewardScale.fromName("false")).isEqualTo(RewardScale.NONE);
        assertThatThrownBy(() -> RewardScale.fromName("grup"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown reward scale 'grup'");
    }

    @Test
    void estimateMatchesComputeInRowOrder() {
        double[][][] x = {{{1, 0}, {0, 1}, {1, 1}}, {{0.5, NAN}, {0.2, 0.1}}};
        List<RolloutGroup> groups = new ArrayList<>();
        for (int g = 0; g < x.length; g++) {
            List<Rollout> rollouts = new ArrayList<>();
            for (double[] rewards : x[g]) {
                rollouts.add(rollout(g, rewards));
            }
            groups.add(RolloutGroup.of("prompt" + g, rollouts));
        }
        GrpoAdvantage grpo = GrpoAdvantage.builder().optRewardWeights(1, 0.5).build();
        Advantages adv = grpo.estimate(AdvantageInput.ofRollouts(groups));
        assertThat(adv.level()).isEqualTo(Advantages.Level.ROLLOUT);
        assertThat(adv.values()).containsExactly(TestArrays.flatten(grpo.compute(x)), within(0.0));
    }

    @Test
    void estimateUsesTheWeightsAndAggregationTheInputCarries() {
        double[][][] x = {{{1, 0}, {0, 1}, {1, 1}}, {{0.5, 0.2}, {0.2, 0.1}, {0, 0.3}}};
        List<RolloutGroup> groups = new ArrayList<>();
        for (int g = 0; g < x.length; g++) {
            List<Rollout> rollouts = new ArrayList<>();
            for (double[] rewards : x[g]) {
                rollouts.add(rollout(g, rewards));
            }
            groups.add(RolloutGroup.of("prompt" + g, rollouts));
        }
        double[] weights = {0.3, 2};
        AdvantageInput input =
                AdvantageInput.ofRollouts(groups, weights, RewardAggregation.NORMALIZE_THEN_SUM);
        double[] expected =
                TestArrays.flatten(
                        GrpoAdvantage.builder()
                                .optRewardWeights(weights)
                                .optAggregation(RewardAggregation.NORMALIZE_THEN_SUM)
                                .build()
                                .compute(x));
        // The estimator's own (default) weights and aggregation are overridden by the input's.
        assertThat(GrpoAdvantage.builder().build().estimate(input).values())
                .containsExactly(expected, within(0.0));
    }

    @Test
    void estimateRejectsUnscoredRollout() {
        RolloutGroup group = RolloutGroup.of("p", List.of(rollout(0, 1.0), rollout(0)));
        assertThatThrownBy(
                        () ->
                                GrpoAdvantage.builder()
                                        .build()
                                        .estimate(AdvantageInput.ofRollouts(List.of(group))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rollout 1 of group 0 ('p') is not scored");
    }

    @Test
    void estimateRejectsTrajectoriesAndSupportsOnlyRollouts() {
        Step step = Step.builder().setAnchorState("s").setObservationIds(1).setActionIds(2).build();
        AdvantageInput trajectories =
                AdvantageInput.ofTrajectories(
                        List.of(TrajectoryGroup.of("task", List.of(Trajectory.of(List.of(step))))));
        GrpoAdvantage grpo = GrpoAdvantage.builder().build();
        assertThat(grpo.supports(AdvantageInput.Kind.ROLLOUTS)).isTrue();
        assertThat(grpo.supports(AdvantageInput.Kind.TRAJECTORIES)).isFalse();
        assertThatThrownBy(() -> grpo.estimate(trajectories))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not TRAJECTORIES");
    }

    @Test
    void repeatedCallsReuseTheWorkspaceWithoutGrowing() {
        double[][] rewards = new double[500][16];
        for (int g = 0; g < rewards.length; g++) {
            for (int i = 0; i < 16; i++) {
                rewards[g][i] = ((g * 31 + i * 17) % 13) / 13.0;
            }
        }
        GrpoAdvantage grpo = GrpoAdvantage.builder().build();
        double[][] first = grpo.compute(rewards);
        grpo.compute(rewards);
        long reserved = NdScope.reservedBytes();
        for (int i = 0; i < 20; i++) {
            assertThat(grpo.compute(rewards)).isDeepEqualTo(first);
        }
        assertThat(reserved).isPositive();
        assertThat(NdScope.reservedBytes()).isEqualTo(reserved);
        NdScope.releaseThreadMemory();
        assertThat(NdScope.reservedBytes()).isZero();
        assertThat(grpo.compute(rewards)).isDeepEqualTo(first);
    }

    private static Rollout rollout(int prompt, double... rewards) {
        return Rollout.builder()
                .setPromptIds(100 + prompt)
                .setCompletionIds(1, 2)
                .optRewards(rewards)
                .build();
    }
}
