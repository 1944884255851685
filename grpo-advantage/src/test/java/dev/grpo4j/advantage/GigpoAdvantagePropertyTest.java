package dev.grpo4j.advantage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Seeded randomised properties of GigpoAdvantage, and agreement with the slow reference. */
class GigpoAdvantagePropertyTest {

    private static final int TRIALS = 10;

    /** Random batch: groups of trajectories of 1 to 8 steps over a small anchor alphabet. */
    private record Batch(String[][][] anchors, double[][][] rewards, double[][] scores) {}

    @Test
    void matchesSlowReferenceOnRandomRaggedBatches() {
        checkAgainstReference(21, TRIALS);
    }

    @Test
    @Tag("slow")
    void matchesSlowReferenceOnManyRandomRaggedBatches() {
        checkAgainstReference(121, 400);
    }

    private static void checkAgainstReference(long seed, int trials) {
        Random rng = new Random(seed);
        for (int trial = 0; trial < trials; trial++) {
            Batch b = batch(rng);
            double gamma = rng.nextBoolean() ? 0.95 : rng.nextDouble();
            double omega = rng.nextDouble() * 2;
            GigpoMode mode = GigpoMode.values()[rng.nextInt(2)];
            EpisodeStatistics stats = EpisodeStatistics.values()[rng.nextInt(2)];
            double eps = rng.nextBoolean() ? 1e-6 : 0.1;
            double[][][] actual =
                    GigpoAdvantage.builder()
                            .optGamma(gamma)
                            .optStepWeight(omega)
                            .optMode(mode)
                            .optEpsilon(eps)
                            .optEpisodeStatistics(stats)
                            .build()
                            .compute(b.anchors(), b.rewards(), b.scores());
            double[][][] expected =
                    GigpoReference.compute(
                            b.anchors(), b.rewards(), b.scores(), gamma, omega, mode, eps, stats);
            assertClose(
                    TestArrays.flatten(actual),
                    TestArrays.flatten(expected),
                    "trial " + trial + " " + mode + " " + stats);
        }
    }

    @Test
    void permutingTrajectoriesPermutesTheirAdvantages() {
        Random rng = new Random(22);
        for (int trial = 0; trial < TRIALS; trial++) {
            Batch b = batch(rng);
            GigpoAdvantage gigpo =
                    GigpoAdvantage.builder()
                            .optGamma(0.95)
                            .optMode(GigpoMode.values()[rng.nextInt(2)])
                            .optEpisodeStatistics(EpisodeStatistics.values()[rng.nextInt(2)])
                            .build();
            double[][][] before = gigpo.compute(b.anchors(), b.rewards(), b.scores());
            int g = rng.nextInt(b.rewards().length);
            int n = b.rewards()[g].length;
            int[] perm = permutation(rng, n);
            String[][][] anchors = b.anchors().clone();
            double[][][] rewards = b.rewards().clone();
            double[][] scores = b.scores().clone();
            anchors[g] = new String[n][];
            rewards[g] = new double[n][];
            scores[g] = new double[n];
            for (int t = 0; t < n; t++) {
                anchors[g][t] = b.anchors()[g][perm[t]];
                rewards[g][t] = b.rewards()[g][perm[t]];
                scores[g][t] = b.scores()[g][perm[t]];
            }
            double[][][] after = gigpo.compute(anchors, rewards, scores);
            for (int t = 0; t < n; t++) {
                assertClose(after[g][t], before[g][perm[t]], "trial " + trial + " trajectory " + t);
            }
        }
    }

    @Test
    void shiftingEpisodeScoresChangesNothing() {
        Random rng = new Random(23);
        for (int trial = 0; trial < TRIALS; trial++) {
            Batch b = batch(rng);
            double c = rng.nextGaussian() * 5;
            double[][] shifted = new double[b.scores().length][];
            for (int g = 0; g < shifted.length; g++) {
                shifted[g] = b.scores()[g].clone();
                for (int t = 0; t < shifted[g].length; t++) {
                    shifted[g][t] += c;
                }
            }
            for (GigpoMode mode : GigpoMode.values()) {
                for (EpisodeStatistics stats : EpisodeStatistics.values()) {
                    GigpoAdvantage gigpo =
                            GigpoAdvantage.builder()
                                    .optMode(mode)
                                    .optEpisodeStatistics(stats)
                                    .build();
                    // Only groups whose episode list has two or more entries are shift-invariant;
                    // batch() never builds a group of one one-step trajectory.
                    assertClose(
                            TestArrays.flatten(gigpo.compute(b.anchors(), b.rewards(), shifted)),
                            TestArrays.flatten(gigpo.compute(b.anchors(), b.rewards(), b.scores())),
                            "trial " + trial + " " + mode + " " + stats);
                }
            }
        }
    }

    /** Each step group's step advantages sum to 0 in mean_norm mode. */
    @Test
    void stepAdvantagesSumToZeroPerStepGroup() {
        Random rng = new Random(24);
        for (int trial = 0; trial < TRIALS; trial++) {
            Batch b = batch(rng);
            GigpoAdvantage.Builder builder = GigpoAdvantage.builder().optGamma(0.9);
            double[][][] total = builder.optStepWeight(1).build().compute(b.anchors(), b.rewards());
            double[][][] episode =
                    builder.optStepWeight(0).build().compute(b.anchors(), b.rewards());
            for (int g = 0; g < total.length; g++) {
                java.util.Map<String, Double> sums = new java.util.HashMap<>();
                for (int t = 0; t < total[g].length; t++) {
                    for (int s = 0; s < total[g][t].length; s++) {
                        sums.merge(
                                b.anchors()[g][t][s],
                                total[g][t][s] - episode[g][t][s],
                                Double::sum);
                    }
                }
                for (var e : sums.entrySet()) {
                    assertThat(e.getValue())
                            .as("trial %d group %d anchor %s", trial, g, e.getKey())
                            .isCloseTo(0, within(1e-9));
                }
            }
        }
    }

    private static Batch batch(Random rng) {
        int groups = 1 + rng.nextInt(6);
        String[][][] anchors = new String[groups][][];
        double[][][] rewards = new double[groups][][];
        double[][] scores = new double[groups][];
        for (int g = 0; g < groups; g++) {
            int n = 2 + rng.nextInt(6);
            int alphabet = 1 + rng.nextInt(5);
            anchors[g] = new String[n][];
            rewards[g] = new double[n][];
            scores[g] = new double[n];
            for (int t = 0; t < n; t++) {
                int steps = 1 + rng.nextInt(8);
                anchors[g][t] = new String[steps];
                rewards[g][t] = new double[steps];
                for (int s = 0; s < steps; s++) {
                    anchors[g][t][s] = "state-" + rng.nextInt(alphabet);
                    rewards[g][t][s] = rng.nextInt(4) == 0 ? rng.nextInt(2) : rng.nextDouble();
                }
                scores[g][t] = rng.nextBoolean() ? rng.nextInt(2) : rng.nextGaussian();
            }
        }
        return new Batch(anchors, rewards, scores);
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

    private static void assertClose(double[] actual, double[] expected, String what) {
        assertThat(actual).as(what).hasSameSizeAs(expected);
        for (int i = 0; i < actual.length; i++) {
            assertThat(actual[i])
                    .as("%s row %d", what, i)
                    .isCloseTo(expected[i], within(1e-8 * Math.max(1, Math.abs(expected[i]))));
        }
    }
}
