package dev.grpo4j.core.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

/**
 * ALGORITHMS.md's sequence-weight example (section 2) and item-ratio example (section 5), and how
 * the weights' gradients spread over the tokens they average.
 */
class ImportanceSamplingTest {

    @Test
    void sequenceWeightIsTheGeometricMeanOfTheTokenRatios() {
        try (NDManager m = NDManager.newBaseManager()) {
            // Log-ratios [0.1, -0.2, 0.4] and one padding column.
            NDArray logRatio = m.create(new double[][] {{0.1, -0.2, 0.4, 0}});
            NDArray mask = m.create(new double[][] {{1, 1, 1, 0}});
            double[] w =
                    ImportanceSampling.SEQUENCE
                            .logWeights(logRatio, mask, null, 0)
                            .exp()
                            .toDoubleArray();
            double e = 1.1051709;
            assertThat(w).containsExactly(new double[] {e, e, e, e}, within(1e-6));
        }
    }

    @Test
    void sequenceWeightEntersTheLossOfEveryToken() {
        // DAPO, A = 1, w = 1.1051709 inside [0.8, 1.2]: each token's loss is -w.
        PolicyGradientLoss loss =
                PolicyGradientLoss.builder()
                        .optImportanceSampling(ImportanceSampling.SEQUENCE)
                        .build();
        try (NDManager m = NDManager.newBaseManager()) {
            double value =
                    loss.compute(
                                    m.create(new double[][] {{-1.0, -1.2, -0.6}}),
                                    m.create(new double[][] {{-1.1, -1.0, -1.0}}),
                                    null,
                                    m.create(new double[] {1}),
                                    m.create(new double[][] {{1, 1, 1}}))
                            .loss()
                            .getDouble();
            assertThat(value).isCloseTo(-1.1051709, within(1e-6));
        }
    }

    @Test
    void itemWeightIsTheGeometricMeanOfItsBinAndIgnoresPadding() {
        try (NDManager m = NDManager.newBaseManager()) {
            // Bin 0: the worked example [0.3, 0.0, -0.15] -> g = 0.05. Bin 1: [0.2, -0.4] -> -0.1;
            // its padding token (log-ratio 5) must not count.
            NDArray logRatio = m.create(new double[][] {{0.3, 0.0, -0.15, 0.2, -0.4, 5.0}});
            NDArray mask = m.create(new double[][] {{1, 1, 1, 1, 1, 0}});
            NDArray bins = m.create(new long[][] {{0, 0, 0, 1, 1, 1}});
            double[] w =
                    ImportanceSampling.ITEM
                            .logWeights(logRatio.mul(mask), mask, bins, 2)
                            .exp()
                            .toDoubleArray();
            double item1 = Math.exp(-0.1);
            assertThat(w)
                    .containsExactly(
                            new double[] {1.051271, 1.051271, 1.051271, item1, item1, item1},
                            within(1e-6));
        }
    }

    @Test
    void itemWeightGradientReachesEveryTokenOfTheBin() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray lp = m.create(new double[][] {{0.3, 0.0, -0.15, 0.2, -0.4, 5.0}});
            lp.setRequiresGradient(true);
            NDArray mask = m.create(new double[][] {{1, 1, 1, 1, 1, 0}});
            NDArray bins = m.create(new long[][] {{0, 0, 0, 1, 1, 1}});
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray w = ImportanceSampling.ITEM.logWeights(lp.mul(mask), mask, bins, 2).exp();
                // y = sum of w over active tokens; dy/dlp_t = n_b * w_b / n_b = w_b in bin b.
                gc.backward(w.mul(mask).sum());
            }
            double w0 = Math.exp(0.05);
            double w1 = Math.exp(-0.1);
            assertThat(lp.getGradient().toDoubleArray())
                    .containsExactly(new double[] {w0, w0, w0, w1, w1, 0}, within(1e-9));
        }
    }

    @Test
    void binWithoutActiveTokensGetsRatioOneInsteadOfNaN() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logRatio = m.create(new double[][] {{0.2, 0, 0}});
            NDArray mask = m.create(new double[][] {{1, 0, 0}});
            NDArray bins = m.create(new long[][] {{0, 1, 1}});
            double[] w =
                    ImportanceSampling.ITEM
                            .logWeights(logRatio, mask, bins, 2)
                            .exp()
                            .toDoubleArray();
            assertThat(w).containsExactly(new double[] {Math.exp(0.2), 1, 1}, within(1e-12));
        }
    }

    @Test
    void singleTokenItemHasItsTokenRatio() {
        PolicyGradientLoss loss =
                PolicyGradientLoss.builder().optImportanceSampling(ImportanceSampling.ITEM).build();
        try (NDManager m = NDManager.newBaseManager()) {
            // Two one-token items with log-ratios 0.1 and -0.1: w = exp(0.1) and exp(-0.1), both
            // inside [0.8, 1.2]; A = 1 gives loss = -mean(w).
            LossOutput out =
                    loss.compute(
                            LossInput.builder()
                                    .setLogProbs(m.create(new double[][] {{-1.0, -2.0}}))
                                    .optOldLogProbs(m.create(new double[][] {{-1.1, -1.9}}))
                                    .setAdvantages(m.create(new double[] {1}))
                                    .setMask(m.create(new double[][] {{1, 1}}))
                                    .optItemBins(m.create(new int[][] {{0, 1}}))
                                    .build());
            double expected = -(Math.exp(0.1) + Math.exp(-0.1)) / 2;
            assertThat(out.loss().getDouble()).isCloseTo(expected, within(1e-9));
        }
    }

    @Test
    void fromNameAcceptsTrlsSpellings() {
        assertThat(ImportanceSampling.fromName("token")).isEqualTo(ImportanceSampling.TOKEN);
        assertThat(ImportanceSampling.fromName("Sequence")).isEqualTo(ImportanceSampling.SEQUENCE);
        assertThat(ImportanceSampling.fromName("item")).isEqualTo(ImportanceSampling.ITEM);
        assertThatThrownBy(() -> ImportanceSampling.fromName("group"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'group'")
                .hasMessageContaining("sequence");
    }
}
