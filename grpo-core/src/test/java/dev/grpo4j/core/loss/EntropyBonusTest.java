package dev.grpo4j.core.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

/**
 * The entropy bonus {@code - c * agg(H)} on a hand-worked batch: two rows, the second one token
 * shorter, ratio 1 (no old log-probs), advantages +1 and -1, so the policy term is 0 under GRPO's
 * per-row means and the bonus is all that is left.
 */
class EntropyBonusTest {

    private static final double[] LOG_PROBS = {-1.0, -2.0, -0.5, 0.0};
    private static final double[] MASK = {1, 1, 1, 0};
    private static final double[] ENTROPIES = {0.5, 1.0, 2.0, 0.0};
    private static final double[] ADVANTAGES = {1.0, -1.0};
    private static final Shape SHAPE = new Shape(2, 2);

    /** The loss, and the gradient of the loss w.r.t. the entropies. */
    private record Result(double loss, double[] entropyGradient) {}

    private static Result compute(LossType type, double coeff) {
        PolicyGradientLoss loss =
                PolicyGradientLoss.builder().optLossType(type).optEntropyCoeff(coeff).build();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray lp = m.create(LOG_PROBS, SHAPE);
            NDArray entropies = m.create(ENTROPIES, SHAPE);
            lp.setRequiresGradient(true);
            entropies.setRequiresGradient(true);
            double value;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray out =
                        loss.compute(
                                        LossInput.builder()
                                                .setLogProbs(lp)
                                                .setAdvantages(m.create(ADVANTAGES))
                                                .setMask(m.create(MASK, SHAPE))
                                                .optEntropies(entropies)
                                                .build())
                                .loss();
                value = out.getDouble();
                gc.backward(out);
            }
            return new Result(
                    value, entropies.getGradient().toType(DataType.FLOAT64, false).toDoubleArray());
        }
    }

    @Test
    void grpoSubtractsTheCoefficientTimesTheMeanOfPerRowEntropyMeans() {
        // Row means of H: (0.5 + 1.0) / 2 = 0.75 and 2.0; their mean 1.375; times c = 0.1.
        Result r = compute(LossType.GRPO, 0.1);
        assertThat(r.loss()).isCloseTo(-0.1375, within(1e-12));
        // d/dH = -c * token weight: 1 / (2 rows * 2 tokens) in row 0, 1 / (2 rows * 1 token) in
        // row 1, 0 at padding.
        assertThat(r.entropyGradient())
                .containsExactly(new double[] {-0.025, -0.025, -0.05, 0.0}, within(1e-12));
    }

    @Test
    void dapoAggregatesTheEntropyOverAllActiveTokens() {
        // Token mean of H over the 3 active tokens: 3.5 / 3; policy term: (-1 - 1 + 1) / 3.
        Result r = compute(LossType.DAPO, 0.3);
        assertThat(r.loss()).isCloseTo(-1.0 / 3 - 0.3 * 3.5 / 3, within(1e-12));
        assertThat(r.entropyGradient())
                .containsExactly(new double[] {-0.1, -0.1, -0.1, 0.0}, within(1e-12));
    }

    @Test
    void zeroCoefficientLeavesTheLossAndTheEntropiesAlone() {
        Result r = compute(LossType.GRPO, 0.0);
        assertThat(r.loss()).isCloseTo(0.0, within(1e-12));
        assertThat(r.entropyGradient()).containsOnly(0.0);
    }

    @Test
    void aBonusWithoutEntropiesIsRejected() {
        PolicyGradientLoss loss = PolicyGradientLoss.builder().optEntropyCoeff(0.01).build();
        try (NDManager m = NDManager.newBaseManager()) {
            LossInput input =
                    LossInput.builder()
                            .setLogProbs(m.create(LOG_PROBS, SHAPE))
                            .setAdvantages(m.create(ADVANTAGES))
                            .setMask(m.create(MASK, SHAPE))
                            .build();
            assertThatThrownBy(() -> loss.compute(input))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("entropy coefficient is 0.01")
                    .hasMessageContaining("no entropies were given");
        }
    }

    @Test
    void negativeOrNonFiniteCoefficientsAreRejected() {
        assertThatThrownBy(() -> PolicyGradientLoss.builder().optEntropyCoeff(-0.1))
                .hasMessageContaining("-0.1");
        assertThatThrownBy(() -> PolicyGradientLoss.builder().optEntropyCoeff(Double.NaN))
                .hasMessageContaining("NaN");
    }
}
