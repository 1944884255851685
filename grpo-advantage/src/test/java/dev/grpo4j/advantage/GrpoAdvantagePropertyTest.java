package dev.grpo4j.advantage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.grpo4j.core.reward.NanStats;
import dev.grpo4j.core.reward.RewardAggregation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Seeded randomised properties of GrpoAdvantage, and agreement with the slow reference. */
class GrpoAdvantagePropertyTest {

    private static final int TRIALS = 12;
    private static final double TOL = 1e-9;

    @Test
    void matchesSlowReferenceOnRandomRaggedInput() {
        checkAgainstReference(11, TRIALS);
    }

    @Test
    @Tag("slow")
    void matchesSlowReferenceOnManyRandomRaggedInputs() {
        checkAgainstReference(111, 1000);
    }

    private static void checkAgainstReference(long seed, int trials) {
        Random rng = new Random(seed);
        for (int trial = 0; trial < trials; trial++) {
            double[][] r = ragged(rng, 0.15, true);
            RewardScale scale = RewardScale.values()[rng.nextInt(3)];
            double eps = rng.nextBoolean() ? 1e-4 : rng.nextDouble();
            SingletonPolicy singles =
                    rng.nextBoolean() ? SingletonPolicy.RAW_SCORE : SingletonPolicy.ZERO;
            double[][] actual =
                    GrpoAdvantage.builder()
                            .optScale(scale)
                            .optEpsilon(eps)
                            .optSingletonPolicy(singles)
                            .build()
                            .compute(r);
            double[][] expected =
                    GrpoReference.sumThenNormalize(
                            r, scale, eps, singles == SingletonPolicy.RAW_SCORE);
            assertClose(actual, expected, "trial " + trial + " " + scale);
        }
    }

    @Test
    void weightedSumMatchesSlowReference() {
        Random rng = new Random(12);
        for (int trial = 0; trial < TRIALS; trial++) {
            int k = 1 + rng.nextInt(3);
            double[][][] x = multi(rng, k);
            double[] w = weights(rng, k);
            RewardScale scale = RewardScale.values()[rng.nextInt(3)];
            double[][] actual =
                    GrpoAdvantage.builder()
                            .optRewardWeights(w)
                            .optScale(scale)
                            .optSingletonPolicy(SingletonPolicy.RAW_SCORE)
                            .build()
                            .compute(x);
            double[][] expected =
                    GrpoReference.sumThenNormalize(
                            GrpoReference.weightedSum(x, w), scale, 1e-4, true);
            assertClose(actual, expected, "trial " + trial);
        }
    }

    @Test
    void normalizeThenSumMatchesSlowReference() {
        Random rng = new Random(13);
        for (int trial = 0; trial < TRIALS; trial++) {
            int k = 1 + rng.nextInt(3);
            double[][][] x = multi(rng, k);
            double[] w = weights(rng, k);
            boolean raw = rng.nextBoolean();
            double[][] actual =
                    GrpoAdvantage.builder()
                            .optRewardWeights(w)
                            .optAggregation(RewardAggregation.NORMALIZE_THEN_SUM)
                            .optSingletonPolicy(
                                    raw ? SingletonPolicy.RAW_SCORE : SingletonPolicy.ZERO)
                            .build()
                            .compute(x);
            assertClose(actual, GrpoReference.normalizeThenSum(x, w, 1e-4, raw), "trial " + trial);
        }
    }

    /**
     * Against grpo-core's plain {@link RewardAggregation#combine} (written independently): TRL's
     * group scaling of the combined reward, or GDPO's batch z-score of it.
     */
    @Test
    void agreesWithCoreRewardAggregation() {
        Random rng = new Random(19);
        for (int trial = 0; trial < TRIALS; trial++) {
            int k = 1 + rng.nextInt(3);
            double[][][] x = multi(rng, k);
            double[] w = weights(rng, k);
            int[] sizes = new int[x.length];
            List<double[]> rows = new ArrayList<>();
            for (int g = 0; g < x.length; g++) {
                sizes[g] = x[g].length;
                rows.addAll(Arrays.asList(x[g]));
            }
            double[][] flat = rows.toArray(new double[0][]);
            int[] ids = RewardAggregation.contiguousGroupIds(sizes);
            for (RewardAggregation agg : RewardAggregation.values()) {
                double[] r = agg.combine(flat, w, ids);
                double[] expected = new double[r.length];
                if (agg == RewardAggregation.SUM_THEN_NORMALIZE) {
                    expected =
                            TestArrays.flatten(
                                    GrpoReference.sumThenNormalize(
                                            split(r, sizes), RewardScale.GROUP, 1e-4, false));
                } else {
                    double mean = NanStats.mean(r);
                    double std = NanStats.sampleStd(r);
                    for (int i = 0; i < r.length; i++) {
                        double a = (r[i] - mean) / (std + 1e-4);
                        expected[i] = Double.isNaN(a) ? 0 : a;
                    }
                }
                double[][] actual =
                        GrpoAdvantage.builder()
                                .optRewardWeights(w)
                                .optAggregation(agg)
                                .optSingletonPolicy(SingletonPolicy.ZERO)
                                .build()
                                .compute(x);
                assertClose(
                        new double[][] {TestArrays.flatten(actual)},
                        new double[][] {expected},
                        "trial " + trial + " " + agg);
            }
        }
    }

    private static double[][] split(double[] flat, int[] sizes) {
        double[][] out = new double[sizes.length][];
        int i = 0;
        for (int g = 0; g < sizes.length; g++) {
            out[g] = Arrays.copyOfRange(flat, i, i + sizes[g]);
            i += sizes[g];
        }
        return out;
    }

    /** Every scale divides a group's centred rewards by one number, so each group sums to 0. */
    @Test
    void centredAdvantagesSumToZeroPerGroup() {
        Random rng = new Random(14);
        for (int trial = 0; trial < TRIALS; trial++) {
            double[][] r = ragged(rng, 0.1, false);
            for (RewardScale scale : RewardScale.values()) {
                double[][] a = GrpoAdvantage.builder().optScale(scale).build().compute(r);
                for (int g = 0; g < a.length; g++) {
                    double sum = 0;
                    for (double v : a[g]) {
                        sum += v;
                    }
                    assertThat(sum)
                            .as("trial %d %s group %d", trial, scale, g)
                            .isCloseTo(0, within(TOL));
                }
            }
        }
    }

    /** GDPO's last step is a batch z-score: the batch, not each group, sums to 0. */
    @Test
    void normalizeThenSumSumsToZeroOverTheBatch() {
        Random rng = new Random(15);
        for (int trial = 0; trial < TRIALS; trial++) {
            double[][][] x = multi(rng, 2);
            double[][] a =
                    GrpoAdvantage.builder()
                            .optAggregation(RewardAggregation.NORMALIZE_THEN_SUM)
                            .optSingletonPolicy(SingletonPolicy.ZERO)
                            .build()
                            .compute(x);
            double sum = 0;
            for (double v : TestArrays.flatten(a)) {
                sum += v;
            }
            assertThat(sum).as("trial %d", trial).isCloseTo(0, within(1e-8));
        }
    }

    @Test
    void shiftingAllRewardsChangesNothing() {
        Random rng = new Random(16);
        for (int trial = 0; trial < TRIALS; trial++) {
            double[][] r = ragged(rng, 0.1, false);
            double c = rng.nextGaussian() * 10;
            for (RewardScale scale : RewardScale.values()) {
                GrpoAdvantage grpo = GrpoAdvantage.builder().optScale(scale).build();
                assertClose(grpo.compute(map(r, v -> v + c)), grpo.compute(r), scale + " c=" + c);
            }
        }
    }

    /** With epsilon 0 the group and batch z-scores are invariant to a positive factor. */
    @Test
    void scalingRewardsChangesNothingWhereScaled() {
        Random rng = new Random(17);
        for (int trial = 0; trial < TRIALS; trial++) {
            double[][] r = ragged(rng, 0.1, false);
            double f = 0.01 + rng.nextDouble() * 100;
            for (RewardScale scale : new RewardScale[] {RewardScale.GROUP, RewardScale.BATCH}) {
                GrpoAdvantage grpo = GrpoAdvantage.builder().optScale(scale).optEpsilon(0).build();
                assertClose(grpo.compute(map(r, v -> v * f)), grpo.compute(r), scale + " f=" + f);
            }
            GrpoAdvantage none = GrpoAdvantage.builder().optScale(RewardScale.NONE).build();
            assertClose(none.compute(map(r, v -> v * f)), map(none.compute(r), v -> v * f), "NONE");
        }
    }

    @Test
    void permutingAGroupPermutesItsAdvantages() {
        Random rng = new Random(18);
        for (int trial = 0; trial < TRIALS; trial++) {
            double[][] r = ragged(rng, 0.15, false);
            GrpoAdvantage grpo =
                    GrpoAdvantage.builder()
                            .optScale(RewardScale.values()[rng.nextInt(3)])
                            .optSingletonPolicy(SingletonPolicy.RAW_SCORE)
                            .build();
            double[][] before = grpo.compute(r);
            int g = rng.nextInt(r.length);
            int[] perm = permutation(rng, r[g].length);
            double[][] shuffled = copy(r);
            for (int i = 0; i < perm.length; i++) {
                shuffled[g][i] = r[g][perm[i]];
            }
            double[][] after = grpo.compute(shuffled);
            for (int i = 0; i < perm.length; i++) {
                assertThat(after[g][i]).isCloseTo(before[g][perm[i]], within(TOL));
            }
        }
    }

    /** Random groups of 1 to 12 rewards; a fraction NaN; sometimes all groups of one size. */
    private static double[][] ragged(Random rng, double nanShare, boolean singletons) {
        int groups = 1 + rng.nextInt(12);
        boolean uniform = rng.nextInt(3) == 0;
        int size = 2 + rng.nextInt(10);
        double[][] r = new double[groups][];
        for (int g = 0; g < groups; g++) {
            int n = uniform ? size : (singletons ? 1 : 2) + rng.nextInt(11);
            r[g] = new double[n];
            for (int i = 0; i < n; i++) {
                r[g][i] = rng.nextDouble() < nanShare ? Double.NaN : rng.nextGaussian() * 3 + 1;
            }
        }
        return r;
    }

    private static double[][][] multi(Random rng, int k) {
        int groups = 1 + rng.nextInt(8);
        double[][][] x = new double[groups][][];
        for (int g = 0; g < groups; g++) {
            int n = 1 + rng.nextInt(9);
            x[g] = new double[n][k];
            for (int i = 0; i < n; i++) {
                for (int f = 0; f < k; f++) {
                    x[g][i][f] =
                            rng.nextDouble() < 0.15
                                    ? Double.NaN
                                    : (rng.nextBoolean() ? rng.nextInt(2) : rng.nextDouble());
                }
            }
        }
        return x;
    }

    private static double[] weights(Random rng, int k) {
        double[] w = new double[k];
        for (int f = 0; f < k; f++) {
            w[f] = rng.nextDouble() * 2 - 0.5;
        }
        return w;
    }

    private static int[] permutation(Random rng, int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private static double[][] copy(double[][] r) {
        double[][] c = new double[r.length][];
        for (int g = 0; g < r.length; g++) {
            c[g] = r[g].clone();
        }
        return c;
    }

    private static double[][] map(double[][] r, java.util.function.DoubleUnaryOperator f) {
        double[][] c = new double[r.length][];
        for (int g = 0; g < r.length; g++) {
            c[g] = java.util.Arrays.stream(r[g]).map(f).toArray();
        }
        return c;
    }

    private static void assertClose(double[][] actual, double[][] expected, String what) {
        assertThat(actual.length).as(what).isEqualTo(expected.length);
        for (int g = 0; g < actual.length; g++) {
            assertThat(actual[g].length).as(what).isEqualTo(expected[g].length);
            for (int i = 0; i < actual[g].length; i++) {
                assertThat(actual[g][i])
                        .as("%s group %d index %d", what, g, i)
                        .isCloseTo(
                                expected[g][i],
                                within(1e-8 * Math.max(1, Math.abs(expected[g][i]))));
            }
        }
    }
}
