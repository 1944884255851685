package dev.grpo4j.advantage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.grpo4j.core.advantage.AdvantageInput;
import dev.grpo4j.core.advantage.Advantages;
import dev.grpo4j.core.reward.RewardAggregation;
import dev.grpo4j.core.rollout.Rollout;
import dev.grpo4j.core.rollout.RolloutGroup;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SpoAdvantageTest {

    private static final double TOL = 1e-5;
    private static final String[] IDS = {"a", "b", "c", "d"};

    /** ALGORITHMS.md section 4: offline successes [2, 8, 0, 5] of 8. */
    private static SpoAdvantage workedExample() {
        SpoAdvantage spo = SpoAdvantage.builder().build();
        int[] successes = {2, 8, 0, 5};
        for (int i = 0; i < IDS.length; i++) {
            spo.initialize(IDS[i], successes[i], 8);
        }
        return spo;
    }

    @Test
    void offlineInitialisationMatchesWorkedExample() {
        SpoAdvantage spo = workedExample();

        double[] alpha = new double[4];
        double[] beta = new double[4];
        double[] p = new double[4];
        for (int i = 0; i < 4; i++) {
            alpha[i] = spo.posterior(IDS[i]).alpha();
            beta[i] = spo.posterior(IDS[i]).beta();
            p[i] = spo.estimate(IDS[i]);
        }

        assertThat(alpha)
                .containsExactly(
                        new double[] {2.222222, 7.555556, 0.444444, 4.888889}, within(TOL));
        assertThat(beta)
                .containsExactly(
                        new double[] {5.777778, 0.444444, 7.555556, 3.111111}, within(TOL));
        assertThat(p)
                .containsExactly(
                        new double[] {0.277778, 0.944444, 0.055556, 0.611111}, within(TOL));
    }

    @Test
    void samplingWeightsMatchWorkedExample() {
        SpoAdvantage spo = workedExample();

        double[] w = new double[4];
        for (int i = 0; i < 4; i++) {
            w[i] = spo.samplingWeight(IDS[i]);
        }

        assertThat(w)
                .containsExactly(
                        new double[] {0.497903, 0.279061, 0.279061, 0.537498}, within(TOL));
    }

    @Test
    void advantagesUseThePreUpdateBaselineAndGlobalNormalisation() {
        SpoAdvantage spo = workedExample();

        double[] a = spo.compute(IDS, new double[] {1, 1, 0, 0});

        assertThat(a)
                .containsExactly(
                        new double[] {1.269183, 0.050767, -0.152302, -1.167648}, within(TOL));
    }

    @Test
    void driftGivesRhoAndTheUpdatedTrackerOfTheWorkedExample() {
        SpoAdvantage spo = workedExample();
        double[] drift = {0, 0.03, 0.06, 0.5};
        double[] reward = {1, 1, 0, 0};

        double[] rho = new double[4];
        for (int i = 0; i < 4; i++) {
            rho[i] = spo.rho(drift[i]);
            spo.update(IDS[i], reward[i], drift[i]);
        }

        assertThat(rho).containsExactly(new double[] {0.96, 0.875, 0.875, 0.875}, within(TOL));
        double[][] expected = {
            {3.133333, 5.546667, 0.360983},
            {7.611111, 0.388889, 0.951389},
            {0.388889, 7.611111, 0.048611},
            {4.277778, 3.722222, 0.534722}
        };
        for (int i = 0; i < 4; i++) {
            BetaEstimate e = spo.posterior(IDS[i]);
            assertThat(new double[] {e.alpha(), e.beta(), e.mean()})
                    .containsExactly(expected[i], within(TOL));
        }
    }

    @Test
    void rawRhoOfTheWorkedExampleBeforeClamping() {
        SpoAdvantage unclamped = SpoAdvantage.builder().optRhoRange(Double.MIN_VALUE, 1.0).build();

        assertThat(unclamped.rho(0.03)).isCloseTo(0.707107, within(TOL));
        assertThat(unclamped.rho(0.06)).isCloseTo(0.5, within(TOL));
        assertThat(unclamped.rho(0.5)).isCloseTo(0.0031, within(1e-4));
    }

    @Test
    void constantForgettingIgnoresDrift() {
        SpoAdvantage spo = SpoAdvantage.builder().optForgetting(SpoForgetting.CONSTANT).build();
        spo.initialize("x", 4, 8);

        spo.update("x", 1, 0.0);

        assertThat(spo.rho(0.0)).isEqualTo(0.875);
        assertThat(spo.rho(10.0)).isEqualTo(0.875);
        assertThat(spo.posterior("x").alpha()).isCloseTo(0.875 * 4 + 1, within(1e-12));
    }

    @Test
    void noOfflineSamplesGiveTheUninformedPrior() {
        SpoAdvantage spo = SpoAdvantage.builder().build();

        spo.initialize("x", 0, 0);

        assertThat(spo.posterior("x")).isEqualTo(new BetaEstimate(0.5, 0.5));
    }

    @Test
    void fewerThanN0SamplesUseTheActualCount() {
        SpoAdvantage spo = SpoAdvantage.builder().build();

        spo.initialize("x", 1, 3);

        // N0 = 8, n = 3: alpha0 = 8 * 1.5 / 4, beta0 = 8 * 2.5 / 4.
        assertThat(spo.posterior("x").alpha()).isCloseTo(3.0, within(1e-12));
        assertThat(spo.posterior("x").beta()).isCloseTo(5.0, within(1e-12));
    }

    @Test
    void moreThanN0SamplesAreScaledToN0() {
        SpoAdvantage spo = SpoAdvantage.builder().build();

        spo.initialize("x", 10, 16);
        spo.initialize("y", 5, 8);

        assertThat(spo.posterior("x").alpha()).isCloseTo(spo.posterior("y").alpha(), within(1e-12));
        assertThat(spo.posterior("x").beta()).isCloseTo(spo.posterior("y").beta(), within(1e-12));
    }

    @Test
    void initializeFromScoresCountsPositiveScoresAsSuccesses() {
        SpoAdvantage spo = SpoAdvantage.builder().build();

        spo.initializeFromScores("x", 0.3, 0, -1, 1, 0, 0, 0.01, 0);
        spo.initialize("y", 3, 8);

        assertThat(spo.posterior("x")).isEqualTo(spo.posterior("y"));
    }

    @Test
    void fractionalRewardsUseTheRunningMeanForm() {
        SpoAdvantage spo = SpoAdvantage.builder().build();
        spo.initialize("x", 2, 8);
        BetaEstimate before = spo.posterior("x");

        spo.update("x", 0.25, 0.06);

        double rho = 0.875;
        double expected = (rho * before.alpha() + 0.25) / (rho * before.effectiveCount() + 1);
        assertThat(spo.estimate("x")).isCloseTo(expected, within(1e-12));
    }

    @Test
    void rewardRangeMapsLinearlyOntoTheUnitInterval() {
        SpoAdvantage scaled = SpoAdvantage.builder().optRewardRange(-1, 3).build();
        SpoAdvantage plain = SpoAdvantage.builder().build();
        scaled.initialize("x", 2, 8);
        plain.initialize("x", 2, 8);

        scaled.update("x", 2.0, 0.01);
        plain.update("x", 0.75, 0.01);

        assertThat(scaled.posterior("x")).isEqualTo(plain.posterior("x"));
    }

    @Test
    void duplicatePromptsInOneBatchAreUpdatedInSequence() {
        SpoAdvantage spo = SpoAdvantage.builder().build();
        spo.initialize("x", 4, 8);

        spo.updateAll(new String[] {"x", "x"}, new double[] {1, 0}, new double[] {0, 0.5});

        BetaEstimate first = new BetaEstimate(4.0, 4.0).observe(1, 0.96);
        BetaEstimate second = first.observe(0, 0.875);
        assertThat(spo.posterior("x").alpha()).isCloseTo(second.alpha(), within(1e-12));
        assertThat(spo.posterior("x").beta()).isCloseTo(second.beta(), within(1e-12));
    }

    @Test
    void computeDoesNotChangeTheTracker() {
        SpoAdvantage spo = workedExample();
        String before = spo.stateToJson();

        spo.compute(IDS, new double[] {1, 0, 1, 0});

        assertThat(spo.stateToJson()).isEqualTo(before);
    }

    @Test
    void equalCentredRewardsGiveZeroAdvantages() {
        SpoAdvantage spo = SpoAdvantage.builder().build();
        spo.initialize("x", 4, 8);
        spo.initialize("y", 4, 8);

        assertThat(spo.compute(new String[] {"x", "y"}, new double[] {1, 1})).containsOnly(0.0);
        assertThat(spo.compute(new String[] {"x"}, new double[] {1})).containsExactly(0.0);
    }

    @Test
    void normalisedAdvantagesSumToZeroWithUnitSampleStd() {
        Random random = new Random(3);
        SpoAdvantage spo = SpoAdvantage.builder().optEpsilon(0).build();
        String[] ids = new String[50];
        double[] rewards = new double[50];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = "p" + random.nextInt(20);
            spo.initialize(ids[i], random.nextInt(9), 8);
            rewards[i] = random.nextDouble();
        }

        double[] a = spo.compute(ids, rewards);

        double sum = 0;
        double squares = 0;
        for (double v : a) {
            sum += v;
            squares += v * v;
        }
        assertThat(sum).isCloseTo(0.0, within(1e-9));
        assertThat(squares / (a.length - 1)).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void estimateScoresRolloutsWithWeightedRewards() {
        SpoAdvantage spo = SpoAdvantage.builder().optRewardWeights(0.5, 0.5).build();
        for (String id : IDS) {
            spo.initialize(id, new int[] {2, 8, 0, 5}["abcd".indexOf(id)], 8);
        }
        List<RolloutGroup> groups =
                List.of(
                        group("a", 1, 1),
                        group("b", 0.6, 1.4),
                        group("c", 0, 0),
                        group("d", 0.2, -0.2));

        Advantages a = spo.estimate(AdvantageInput.ofRollouts(groups));

        assertThat(a.level()).isEqualTo(Advantages.Level.ROLLOUT);
        assertThat(a.values())
                .containsExactly(
                        new double[] {1.269183, 0.050767, -0.152302, -1.167648}, within(TOL));
    }

    @Test
    void estimateTreatsEachRolloutOfALargerGroupOnItsOwn() {
        SpoAdvantage spo = workedExample();
        RolloutGroup group =
                RolloutGroup.of("a", List.of(rollout(1.0), rollout(0.0), rollout(1.0)));

        Advantages a = spo.estimate(AdvantageInput.ofRollouts(List.of(group)));

        assertThat(a.values())
                .containsExactly(
                        spo.compute(new String[] {"a", "a", "a"}, new double[] {1, 0, 1}),
                        within(1e-12));
    }

    @Test
    void rejectsNaNReward() {
        SpoAdvantage spo = workedExample();

        assertThatThrownBy(() -> spo.compute(new String[] {"a"}, new double[] {Double.NaN}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reward for prompt 'a' is NaN");
    }

    @Test
    void estimateRejectsRolloutWithNaNReward() {
        SpoAdvantage spo = workedExample();
        AdvantageInput input = AdvantageInput.ofRollouts(List.of(group("a", 1, Double.NaN)));

        assertThatThrownBy(() -> spo.estimate(input))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reward 1 of rollout 0 of prompt 'a' is NaN");
    }

    @Test
    void rejectsRewardOutsideTheUnitIntervalWithoutRescaling() {
        SpoAdvantage spo = workedExample();

        assertThatThrownBy(() -> spo.update("b", 1.5, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reward 1.5 for prompt 'b' lies outside [0, 1]")
                .hasMessageContaining("optRewardRange");
    }

    @Test
    void rejectsRewardOutsideTheConfiguredRange() {
        SpoAdvantage spo =
                SpoAdvantage.builder().optRewardRange(-1, 1).optAutoInitialize(true).build();

        assertThatThrownBy(() -> spo.compute(new String[] {"z"}, new double[] {-2}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(
                        "reward -2.0 for prompt 'z' lies outside the configured range");
    }

    @Test
    void rejectsUnknownPromptId() {
        SpoAdvantage spo = workedExample();

        assertThatThrownBy(() -> spo.compute(new String[] {"a", "zz"}, new double[] {1, 0}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown prompt 'zz'")
                .hasMessageContaining("optAutoInitialize");
        assertThatThrownBy(() -> spo.estimate("zz")).hasMessageContaining("unknown prompt 'zz'");
        assertThatThrownBy(() -> spo.samplingWeight("zz")).hasMessageContaining("'zz'");
        assertThatThrownBy(() -> spo.update("zz", 1, 0)).hasMessageContaining("'zz'");
        assertThat(spo.isTracked("zz")).isFalse();
    }

    @Test
    void updateAllValidatesEverythingBeforeTheFirstUpdate() {
        SpoAdvantage spo = workedExample();
        String before = spo.stateToJson();

        assertThatThrownBy(
                        () ->
                                spo.updateAll(
                                        new String[] {"a", "zz"},
                                        new double[] {1, 1},
                                        new double[] {0, 0}))
                .hasMessageContaining("'zz'");
        assertThat(spo.stateToJson()).isEqualTo(before);
    }

    @Test
    void autoInitializeStartsUnseenPromptsUninformedOnFirstUpdate() {
        SpoAdvantage spo = SpoAdvantage.builder().optAutoInitialize(true).build();

        assertThat(spo.estimate("new")).isEqualTo(0.5);
        assertThat(spo.isTracked("new")).isFalse();
        spo.update("new", 1, 0);

        assertThat(spo.posterior("new").alpha()).isCloseTo(0.96 * 0.5 + 1, within(1e-12));
        assertThat(spo.posterior("new").beta()).isCloseTo(0.96 * 0.5, within(1e-12));
    }

    @Test
    void rejectsNegativeDrift() {
        SpoAdvantage spo = workedExample();

        assertThatThrownBy(() -> spo.update("a", 1, -0.1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("drift must be a finite number >= 0 but was -0.1");
    }

    @Test
    void rejectsBadOfflineCounts() {
        SpoAdvantage spo = SpoAdvantage.builder().build();

        assertThatThrownBy(() -> spo.initialize("x", 9, 8))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("prompt 'x'")
                .hasMessageContaining("9 of 8");
    }

    @Test
    void rejectsRhoRangeOutsideTheUnitInterval() {
        assertThatThrownBy(() -> SpoAdvantage.builder().optRhoRange(0.9, 0.8))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0.8");
    }

    @Test
    void estimatePrefersTheWeightsTheInputCarries() {
        SpoAdvantage spo = SpoAdvantage.builder().optRewardWeights(1.0, 0.0).build();
        spo.initialize("a", 2, 8);
        spo.initialize("b", 8, 8);
        List<RolloutGroup> groups = List.of(group("a", 1, 0), group("b", 0, 1));

        Advantages a =
                spo.estimate(
                        AdvantageInput.ofRollouts(
                                groups,
                                new double[] {0.0, 1.0},
                                RewardAggregation.SUM_THEN_NORMALIZE));

        assertThat(a.values())
                .containsExactly(
                        spo.compute(new String[] {"a", "b"}, new double[] {0, 1}), within(1e-12));
    }

    @Test
    void estimateRejectsNormalizeThenSum() {
        SpoAdvantage spo = workedExample();
        AdvantageInput input =
                AdvantageInput.ofRollouts(
                        List.of(group("a", 1.0)),
                        new double[] {1.0},
                        RewardAggregation.NORMALIZE_THEN_SUM);

        assertThatThrownBy(() -> spo.estimate(input))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not NORMALIZE_THEN_SUM");
    }

    @Test
    void rejectsEmptyBatch() {
        assertThatThrownBy(() -> workedExample().compute(new String[0], new double[0]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one response");
    }

    @Test
    void rejectsPromptIdsAndRewardsOfDifferentLengths() {
        assertThatThrownBy(() -> workedExample().compute(IDS, new double[] {1, 0, 1}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("4 prompt ids but 3 rewards");
    }

    @Test
    void estimateRejectsRolloutWithMoreRewardsThanWeights() {
        SpoAdvantage spo = SpoAdvantage.builder().optRewardWeights(1.0).build();
        spo.initialize("a", 1, 2);
        AdvantageInput input = AdvantageInput.ofRollouts(List.of(group("a", 1, 0)));

        assertThatThrownBy(() -> spo.estimate(input))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rollout 0 of prompt 'a' has 2 rewards but 1 reward weights");
    }

    @Test
    void rejectsNaNRewardWeight() {
        assertThatThrownBy(() -> SpoAdvantage.builder().optRewardWeights(1.0, Double.NaN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reward weight 1 must be finite but was NaN");
    }

    private static RolloutGroup group(String key, double... rewards) {
        return RolloutGroup.of(key, List.of(rollout(rewards)));
    }

    private static Rollout rollout(double... rewards) {
        return Rollout.builder().setPromptIds(1, 2).setCompletionIds(3).optRewards(rewards).build();
    }
}
