package dev.grpo4j.core.reward;

import static dev.grpo4j.core.reward.RewardAggregation.NORMALIZE_THEN_SUM;
import static dev.grpo4j.core.reward.RewardAggregation.SUM_THEN_NORMALIZE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RewardAggregationTest {

    private static final double NAN = Double.NaN;
    private static final double TOL = 1e-6;

    @Test
    void sumThenNormalizeIsWeightedNanSum() {
        double[][] x = {{1, 0.5}, {NAN, 2}, {0, NAN}};
        double[] w = {2, -1};
        // 2*1 - 0.5 = 1.5; only f1: -1*2 = -2; only f0: 2*0 = 0.
        double[] r = SUM_THEN_NORMALIZE.combine(x, w, new int[] {0, 0, 0});
        assertThat(r).containsExactly(1.5, -2.0, 0.0);
    }

    @Test
    void sumThenNormalizeKeepsAllNaNRowNaN() {
        double[][] x = {{1, 1}, {NAN, NAN}};
        double[] r = SUM_THEN_NORMALIZE.combine(x, new double[] {1, 1}, new int[] {0, 0});
        assertThat(r[0]).isEqualTo(2.0);
        assertThat(r[1]).isNaN();
    }

    @Test
    void normalizeThenSumOfOneFunctionIsTheGroupAdvantage() {
        // ALGORITHMS.md section 1 worked example, TRL "group" scaling with eps 1e-4.
        double[][] x = {{1}, {0}, {0}, {1}, {0.2}, {0.4}, {0.6}, {0.8}};
        int[] groups = RewardAggregation.contiguousGroupIds(4, 4);
        double[] r = NORMALIZE_THEN_SUM.combine(x, new double[] {1}, groups);
        double[] expected = {
            0.865875, -0.865875, -0.865875, 0.865875, -1.161445, -0.387148, 0.387148, 1.161445
        };
        for (int i = 0; i < 8; i++) {
            assertThat(r[i]).as("row %d", i).isCloseTo(expected[i], within(TOL));
        }
    }

    @Test
    void normalizeThenSumBalancesScalesOfTwoFunctions() {
        // Correctness [1, 0, 1, 0]: mean 0.5, std 0.5773503, z = +-0.5/0.5774503 = +-0.865875.
        // Length penalty [-120, -100, -60, -80]: mean -90, std 25.819889,
        // z = [-30, -10, 30, 10] / 25.819989 = [-1.161891, -0.387297, 1.161891, 0.387297].
        double[][] x = {{1, -120}, {0, -100}, {1, -60}, {0, -80}};
        double[] r = NORMALIZE_THEN_SUM.combine(x, new double[] {1, 1}, new int[] {0, 0, 0, 0});
        double[] expected = {-0.296015, -1.253172, 2.027766, -0.478579};
        for (int i = 0; i < 4; i++) {
            assertThat(r[i]).as("row %d", i).isCloseTo(expected[i], within(TOL));
        }
    }

    @Test
    void normalizeThenSumLeavesNaNOutOfGroupStatisticsAndAppliesWeights() {
        // Group 0 = rows 0-3. f0 = [1, 0, 1, NaN]: n = 3, mean 2/3, std sqrt(1/3) = 0.5773503,
        //   z = [0.3333333, -0.6666667, 0.3333333] / 0.5774503 = [0.5772503, -1.1545006,
        // 0.5772503].
        // f1 = [NaN, 3, 5, NaN]: n = 2, mean 4, std sqrt(2) = 1.4142136,
        //   z = [-1, 1] / 1.4143136 = [-0.7070568, 0.7070568].
        // Weights [1, 0.5]: r0 = 0.5772503; r1 = -1.1545006 - 0.3535284 = -1.5080290;
        //   r2 = 0.5772503 + 0.3535284 = 0.9307787; r3 has no value at all: NaN.
        double[][] x = {{1, NAN}, {0, 3}, {1, 5}, {NAN, NAN}};
        double[] r = NORMALIZE_THEN_SUM.combine(x, new double[] {1, 0.5}, new int[] {0, 0, 0, 0});
        assertThat(r[0]).isCloseTo(0.5772503, within(TOL));
        assertThat(r[1]).isCloseTo(-1.5080290, within(TOL));
        assertThat(r[2]).isCloseTo(0.9307787, within(TOL));
        assertThat(r[3]).isNaN();
    }

    @Test
    void normalizeThenSumGivesZeroToALoneValue() {
        // Group 1 = rows 1-2: f0 = [2, NaN] has one value, which equals its mean: z = 0.
        double[][] x = {{7, NAN}, {2, NAN}, {NAN, NAN}};
        double[] r = NORMALIZE_THEN_SUM.combine(x, new double[] {1, 1}, new int[] {0, 1, 1});
        assertThat(r[0]).isEqualTo(0.0);
        assertThat(r[1]).isEqualTo(0.0);
        assertThat(r[2]).isNaN();
    }

    @Test
    void groupIdsNeedNotBeContiguous() {
        double[][] contiguous = {{1, 2}, {3, 1}, {0, 5}, {4, 4}};
        double[][] interleaved = {{1, 2}, {0, 5}, {3, 1}, {4, 4}};
        double[] w = {1, 2};
        double[] a = NORMALIZE_THEN_SUM.combine(contiguous, w, new int[] {0, 0, 1, 1});
        double[] b = NORMALIZE_THEN_SUM.combine(interleaved, w, new int[] {5, 9, 5, 9});
        assertThat(new double[] {b[0], b[2], b[1], b[3]}).containsExactly(a);
    }

    @Test
    void groupZScoresKeepNaN() {
        double[][] z = RewardAggregation.groupZScores(new double[][] {{1}, {NAN}, {3}}, new int[3]);
        // mean 2, std sqrt(2) = 1.4142136: z = -+1 / 1.4143136.
        assertThat(z[0][0]).isCloseTo(-0.7070568, within(TOL));
        assertThat(z[1][0]).isNaN();
        assertThat(z[2][0]).isCloseTo(0.7070568, within(TOL));
    }

    @Test
    void contiguousGroupIdsLayOutBlocks() {
        assertThat(RewardAggregation.contiguousGroupIds(2, 3)).containsExactly(0, 0, 1, 1, 1);
    }

    @Test
    void contiguousGroupIdsRejectEmptyGroup() {
        assertThatThrownBy(() -> RewardAggregation.contiguousGroupIds(2, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("group 1 has size 0");
    }

    @Test
    void rejectsWeightCountMismatch() {
        assertThatThrownBy(
                        () ->
                                SUM_THEN_NORMALIZE.combine(
                                        new double[][] {{1, 2}},
                                        new double[] {1, 1, 1},
                                        new int[1]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("row 0 has 2 rewards but there are 3 weights");
    }

    @Test
    void rejectsNonFiniteWeight() {
        assertThatThrownBy(
                        () ->
                                NORMALIZE_THEN_SUM.combine(
                                        new double[][] {{1, 2}},
                                        new double[] {1, Double.NaN},
                                        new int[1]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("weight 1 must be finite but was NaN");
    }

    @Test
    void rejectsInfiniteReward() {
        assertThatThrownBy(
                        () ->
                                SUM_THEN_NORMALIZE.combine(
                                        new double[][] {{1}, {Double.NEGATIVE_INFINITY}},
                                        new double[] {1},
                                        new int[2]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reward 0 of row 1 is -Infinity");
    }

    @Test
    void rejectsGroupIdCountMismatch() {
        assertThatThrownBy(
                        () ->
                                NORMALIZE_THEN_SUM.combine(
                                        new double[][] {{1}, {2}}, new double[] {1}, new int[3]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3 group ids given for a batch of 2 rows");
    }

    @Test
    void rejectsEmptyBatch() {
        assertThatThrownBy(
                        () ->
                                SUM_THEN_NORMALIZE.combine(
                                        new double[0][], new double[] {1}, new int[0]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty batch");
    }

    @Test
    void parsesTrlNames() {
        assertThat(RewardAggregation.fromName("normalize-then-sum")).isEqualTo(NORMALIZE_THEN_SUM);
        assertThat(RewardAggregation.fromName("SUM_THEN_NORMALIZE")).isEqualTo(SUM_THEN_NORMALIZE);
        assertThatThrownBy(() -> RewardAggregation.fromName("mean"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'mean'");
    }
}
