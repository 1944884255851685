package dev.grpo4j.advantage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class RankGrpoAdvantageTest {

    private static final double TOL = 1e-5;

    /** ALGORITHMS.md section 5 worked example: N = 4, G = 3. */
    private static final double[][][] EXAMPLE = {{{1, 0, 1, 0}, {0, 1, 0, 0}, {0, 0, 0, 0}}};

    @Test
    void expInfMatchesWorkedExample() {
        double[][][] a = RankGrpoAdvantage.builder().build().compute(EXAMPLE);

        assertThat(a[0][0])
                .containsExactly(new double[] {1.154501, -0.57725, 1.154501, 0}, within(TOL));
        assertThat(a[0][1])
                .containsExactly(new double[] {-0.57725, 1.154501, -0.57725, 0}, within(TOL));
        assertThat(a[0][2])
                .containsExactly(new double[] {-0.57725, -0.57725, -0.57725, 0}, within(TOL));
    }

    @Test
    void logDecayRewardsMatchWorkedExample() {
        assertThat(RankReward.LOG_DECAY.rewards(new double[] {1, 0, 1, 0}))
                .containsExactly(new double[] {1.5, 0.5, 0.5, 0}, within(TOL));
        assertThat(RankReward.LOG_DECAY.rewards(new double[] {0, 1, 0, 0}))
                .containsExactly(new double[] {0.630930, 0.630930, 0, 0}, within(TOL));
        assertThat(
                        new double[] {
                            RankReward.discount(1),
                            RankReward.discount(2),
                            RankReward.discount(3),
                            RankReward.discount(4)
                        })
                .containsExactly(new double[] {1, 0.630930, 0.5, 0.430677}, within(TOL));
    }

    @Test
    void logDecayMatchesWorkedExample() {
        double[][][] a =
                RankGrpoAdvantage.builder()
                        .optRankReward(RankReward.LOG_DECAY)
                        .optEpsilon(1e-4)
                        .build()
                        .compute(EXAMPLE);

        assertThat(a[0][0])
                .containsExactly(new double[] {1.048385, 0.369362, 1.154301, 0}, within(TOL));
        assertThat(a[0][1])
                .containsExactly(new double[] {-0.105384, 0.762461, -0.57715, 0}, within(TOL));
        assertThat(a[0][2])
                .containsExactly(new double[] {-0.943001, -1.131823, -0.57715, 0}, within(TOL));
    }

    @Test
    void batchedRankRewardsEqualThePlainForm() {
        Random random = new Random(11);
        double[][] hits = randomHits(random, 7, 9);
        for (RankReward rr : RankReward.values()) {
            double[][] batched =
                    rr.rewards(org.nd4j.linalg.factory.Nd4j.createFromArray(hits)).toDoubleMatrix();
            for (int i = 0; i < hits.length; i++) {
                assertThat(batched[i]).containsExactly(rr.rewards(hits[i]), within(1e-12));
            }
        }
    }

    @Test
    void withoutScalingAdvantagesAreCentredRewards() {
        double[][][] a =
                RankGrpoAdvantage.builder().optScaleRewards(false).build().compute(EXAMPLE);

        double third = 1.0 / 3;
        assertThat(a[0][0])
                .containsExactly(new double[] {2 * third, -third, 2 * third, 0}, within(1e-12));
        assertThat(a[0][2])
                .containsExactly(new double[] {-third, -third, -third, 0}, within(1e-12));
    }

    @Test
    void rankWhereAllRolloutsAgreeGetsExactlyZero() {
        double[][][] a =
                RankGrpoAdvantage.builder()
                        .build()
                        .compute(new double[][][] {{{0.1, 1}, {0.1, 0}, {0.1, 1}}});

        for (double[] row : a[0]) {
            assertThat(row[0]).isEqualTo(0.0);
        }
    }

    @Test
    void groupsOfDifferentShapesMatchSeparateCalls() {
        Random random = new Random(5);
        double[][][] hits = {
            randomHits(random, 3, 4),
            randomHits(random, 5, 4),
            randomHits(random, 3, 4),
            randomHits(random, 2, 6)
        };
        RankGrpoAdvantage rank = RankGrpoAdvantage.builder().build();

        double[][][] together = rank.compute(hits);

        for (int g = 0; g < hits.length; g++) {
            double[][][] alone = rank.compute(new double[][][] {hits[g]});
            for (int i = 0; i < hits[g].length; i++) {
                assertThat(together[g][i]).containsExactly(alone[0][i], within(1e-12));
            }
        }
    }

    @Test
    void advantagesSumToZeroPerGroupAndRank() {
        Random random = new Random(42);
        for (RankReward rr : RankReward.values()) {
            double[][][] hits = randomBatch(random, 20, 8, 6);
            double[][][] a = RankGrpoAdvantage.builder().optRankReward(rr).build().compute(hits);
            for (double[][] group : a) {
                for (int k = 0; k < group[0].length; k++) {
                    double sum = 0;
                    for (double[] row : group) {
                        sum += row[k];
                    }
                    assertThat(sum).isCloseTo(0.0, within(1e-9));
                }
            }
        }
    }

    @Test
    void shiftingOneRankByAConstantLeavesAdvantagesUnchanged() {
        Random random = new Random(7);
        for (RankReward rr : RankReward.values()) {
            RankGrpoAdvantage rank = RankGrpoAdvantage.builder().optRankReward(rr).build();
            double[][][] hits = randomBatch(random, 10, 6, 5);
            double[][][] shifted = new double[hits.length][][];
            for (int g = 0; g < hits.length; g++) {
                shifted[g] = new double[hits[g].length][];
                for (int i = 0; i < hits[g].length; i++) {
                    shifted[g][i] = hits[g][i].clone();
                    for (int k = 0; k < shifted[g][i].length; k++) {
                        // A per-group, per-rank constant: the same for every rollout of the group.
                        shifted[g][i][k] += 0.5 * g - 1.25 * k + 3;
                    }
                }
            }
            assertClose(rank.compute(shifted), rank.compute(hits), 1e-9);
        }
    }

    @Test
    void scalingHitsLeavesAdvantagesUnchangedWhenEpsilonIsZero() {
        Random random = new Random(8);
        RankGrpoAdvantage rank =
                RankGrpoAdvantage.builder()
                        .optRankReward(RankReward.LOG_DECAY)
                        .optEpsilon(0)
                        .build();
        double[][][] hits = randomBatch(random, 10, 6, 5);

        assertClose(rank.compute(scale(hits, 7.5)), rank.compute(hits), 1e-9);
    }

    @Test
    void scalingHitsChangesAdvantagesOnlyThroughEpsilon() {
        // (s d) / (s sigma + eps) - d / (sigma + eps) is at most |d| eps / sigma^2 in size; here
        // |d| <= 1 and sigma >= 0.5, so below 4e-4 for eps = 1e-4, yet not zero.
        double[][][] hits = {{{1, 0}, {0, 1}, {1, 1}, {0, 0}}};
        RankGrpoAdvantage rank = RankGrpoAdvantage.builder().build();

        double[][][] a = rank.compute(hits);
        double[][][] b = rank.compute(scale(hits, 10));

        assertClose(b, a, 1e-3);
        assertThat(Math.abs(b[0][0][0] - a[0][0][0])).isGreaterThan(1e-6);
    }

    @Test
    void permutingRolloutsPermutesAdvantages() {
        Random random = new Random(9);
        RankGrpoAdvantage rank =
                RankGrpoAdvantage.builder().optRankReward(RankReward.LOG_DECAY).build();
        double[][][] hits = randomBatch(random, 5, 8, 6);
        double[][][] a = rank.compute(hits);
        int[][] perms = new int[hits.length][];
        double[][][] permuted = new double[hits.length][][];
        for (int g = 0; g < hits.length; g++) {
            perms[g] = shuffled(random, hits[g].length);
            permuted[g] = new double[hits[g].length][];
            for (int i = 0; i < hits[g].length; i++) {
                permuted[g][i] = hits[g][perms[g][i]];
            }
        }

        double[][][] b = rank.compute(permuted);

        for (int g = 0; g < hits.length; g++) {
            for (int i = 0; i < hits[g].length; i++) {
                assertThat(b[g][i]).containsExactly(a[g][perms[g][i]], within(1e-12));
            }
        }
    }

    @Test
    void rejectsNaNHit() {
        double[][][] hits = {{{1, 0}, {0, Double.NaN}}};

        assertThatThrownBy(() -> RankGrpoAdvantage.builder().build().compute(hits))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rank 2 of rollout 1 in group 0 is NaN");
    }

    @Test
    void rejectsEmptyGroup() {
        double[][][] hits = {{{1, 0}, {0, 1}}, {}};

        assertThatThrownBy(() -> RankGrpoAdvantage.builder().build().compute(hits))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("group 1 is empty");
    }

    @Test
    void rejectsSingletonGroup() {
        double[][][] hits = {{{1, 0}}};

        assertThatThrownBy(() -> RankGrpoAdvantage.builder().build().compute(hits))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("group 0 has 1 rollout");
    }

    @Test
    void rejectsRolloutsWithDifferentRankCounts() {
        double[][][] hits = {{{1, 0, 0}, {0, 1}}};

        assertThatThrownBy(() -> RankGrpoAdvantage.builder().build().compute(hits))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rollout 1 of group 0 has 2 ranks but rollout 0 has 3");
    }

    @Test
    void rejectsEmptyBatch() {
        assertThatThrownBy(() -> RankGrpoAdvantage.builder().build().compute(new double[0][][]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one group");
    }

    @Test
    void rejectsNegativeEpsilon() {
        assertThatThrownBy(() -> RankGrpoAdvantage.builder().optEpsilon(-1e-4))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1.0E-4");
    }

    static double[][] randomHits(Random random, int rollouts, int ranks) {
        double[][] h = new double[rollouts][ranks];
        for (double[] row : h) {
            for (int k = 0; k < ranks; k++) {
                row[k] = random.nextInt(3) == 0 ? 1 : 0;
            }
        }
        return h;
    }

    private static double[][][] randomBatch(Random random, int groups, int rollouts, int ranks) {
        double[][][] h = new double[groups][][];
        for (int g = 0; g < groups; g++) {
            h[g] = randomHits(random, rollouts, ranks);
        }
        return h;
    }

    private static double[][][] scale(double[][][] hits, double s) {
        double[][][] out = new double[hits.length][][];
        for (int g = 0; g < hits.length; g++) {
            out[g] = new double[hits[g].length][];
            for (int i = 0; i < hits[g].length; i++) {
                out[g][i] = hits[g][i].clone();
                for (int k = 0; k < out[g][i].length; k++) {
                    out[g][i][k] *= s;
                }
            }
        }
        return out;
    }

    private static int[] shuffled(Random random, int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private static void assertClose(double[][][] actual, double[][][] expected, double tol) {
        for (int g = 0; g < expected.length; g++) {
            for (int i = 0; i < expected[g].length; i++) {
                assertThat(actual[g][i]).containsExactly(expected[g][i], within(tol));
            }
        }
    }
}
