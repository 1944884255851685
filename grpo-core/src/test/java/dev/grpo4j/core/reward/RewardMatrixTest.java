package dev.grpo4j.core.reward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class RewardMatrixTest {

    private static final double NAN = Double.NaN;

    private static RewardMatrix matrix() {
        // acc = [1, 0, NaN, 1], fmt = [0.5, NaN, NaN, NaN]
        return RewardMatrix.of(
                List.of("acc", "fmt"),
                new double[] {1, 2},
                new double[][] {{1, 0.5}, {0, NAN}, {NAN, NAN}, {1, NAN}},
                new int[] {0, 3});
    }

    @Test
    void perFunctionMeanAndStdSkipNaN() {
        RewardMatrix m = matrix();
        // acc over [1, 0, 1]: mean 2/3, sample std sqrt(1/3) = 0.5773503.
        assertThat(m.mean(0)).isCloseTo(2.0 / 3.0, within(1e-12));
        assertThat(m.std(0)).isCloseTo(0.5773503, within(1e-6));
        // fmt has a single value: mean 0.5, std undefined.
        assertThat(m.mean(1)).isEqualTo(0.5);
        assertThat(m.std(1)).isNaN();
    }

    @Test
    void metricsUseTrlKeysInColumnOrder() {
        assertThat(matrix().metrics())
                .containsOnlyKeys(
                        "rewards/acc/mean",
                        "rewards/acc/std",
                        "rewards/fmt/mean",
                        "rewards/fmt/std")
                .containsEntry("rewards/fmt/mean", 0.5);
        assertThat(matrix().metrics().keySet()).first().isEqualTo("rewards/acc/mean");
    }

    @Test
    void combineUsesTheMatrixWeights() {
        double[] r = matrix().combine(RewardAggregation.SUM_THEN_NORMALIZE, new int[4]);
        // 1 + 2 * 0.5 = 2; 0; all NaN; 1.
        assertThat(r[0]).isEqualTo(2.0);
        assertThat(r[1]).isEqualTo(0.0);
        assertThat(r[2]).isNaN();
        assertThat(r[3]).isEqualTo(1.0);
    }

    @Test
    void exposesValuesByRowAndColumn() {
        RewardMatrix m = matrix();
        assertThat(m.rowCount()).isEqualTo(4);
        assertThat(m.functionCount()).isEqualTo(2);
        assertThat(m.row(0)).containsExactly(1.0, 0.5);
        assertThat(m.column(m.indexOf("acc"))).containsExactly(1.0, 0.0, NAN, 1.0);
        assertThat(m.failureCount(1)).isEqualTo(3);
        assertThat(m.failureCounts()).containsExactly(0, 3);
    }

    @Test
    void valuesAreCopied() {
        double[][] v = {{1.0}};
        RewardMatrix m = RewardMatrix.of(List.of("a"), new double[] {1}, v);
        v[0][0] = 9;
        m.values()[0][0] = 9;
        assertThat(m.value(0, 0)).isEqualTo(1.0);
    }

    @Test
    void unknownNameIsNamed() {
        assertThatThrownBy(() -> matrix().indexOf("len"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'len'")
                .hasMessageContaining("[acc, fmt]");
    }

    @Test
    void rejectsInfiniteValueNamingFunctionAndRow() {
        assertThatThrownBy(
                        () ->
                                RewardMatrix.of(
                                        List.of("a", "b"),
                                        new double[] {1, 1},
                                        new double[][] {{1, 1}, {1, Double.POSITIVE_INFINITY}}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reward 'b' of row 1 is Infinity");
    }

    @Test
    void rejectsRaggedRows() {
        assertThatThrownBy(
                        () ->
                                RewardMatrix.of(
                                        List.of("a", "b"),
                                        new double[] {1, 1},
                                        new double[][] {{1, 1}, {1}}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("row 1 has 1 rewards but there are 2 functions");
    }

    @Test
    void itemMatrixCombinesByWeightedNanSumPerRank() {
        // Row 0: hits [1, 0, NaN], novelty [0.5, NaN, NaN]; weights [1, 2].
        //   rank 0: 1 + 2 * 0.5 = 2; rank 1: 0; rank 2: all NaN -> NaN.
        ItemRewardMatrix m =
                ItemRewardMatrix.of(
                        List.of("hits", "novelty"),
                        new double[] {1, 2},
                        new double[][][] {{{1, 0, NAN}, {0.5, NAN, NAN}}},
                        3);
        double[][] c = m.combined();
        assertThat(c[0][0]).isEqualTo(2.0);
        assertThat(c[0][1]).isEqualTo(0.0);
        assertThat(c[0][2]).isNaN();
    }

    @Test
    void itemMatrixRejectsWrongRankCount() {
        assertThatThrownBy(
                        () ->
                                ItemRewardMatrix.of(
                                        List.of("hits"),
                                        new double[] {1},
                                        new double[][][] {{{1, 0}}},
                                        3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(
                        "item reward 'hits' of row 0 has 2 ranks but the item count is 3");
    }
}
