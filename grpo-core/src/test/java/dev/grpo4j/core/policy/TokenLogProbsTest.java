package dev.grpo4j.core.policy;

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

/** Entropies from logits: their values, and their gradient only when asked for. */
class TokenLogProbsTest {

    private static final double[] LOGITS = {0.3, -1.2, 2.0, 0.0, 0.0, 0.0};
    private static final Shape SHAPE = new Shape(2, 1, 3);

    /** dH/dz_i = -p_i (log p_i + H) for the softmax entropy H of the logits z. */
    private static double[] analyticGradient(double[] z) {
        double max = Math.max(z[0], Math.max(z[1], z[2]));
        double sum = 0;
        for (double v : z) {
            sum += Math.exp(v - max);
        }
        double[] logP = new double[3];
        double h = 0;
        for (int i = 0; i < 3; i++) {
            logP[i] = z[i] - max - Math.log(sum);
            h -= Math.exp(logP[i]) * logP[i];
        }
        double[] g = new double[3];
        for (int i = 0; i < 3; i++) {
            g[i] = -Math.exp(logP[i]) * (logP[i] + h);
        }
        return g;
    }

    private static double[] entropyGradient(boolean differentiable, double[] entropyOut) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logits = m.create(LOGITS, SHAPE);
            logits.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                TokenLogProbs out =
                        TokenLogProbs.fromLogits(
                                logits,
                                m.create(new int[] {2, 0}, new Shape(2, 1)),
                                m.create(new double[] {1, 1}, new Shape(2, 1)),
                                1.0,
                                differentiable);
                System.arraycopy(out.entropies().toDoubleArray(), 0, entropyOut, 0, 2);
                // The log-probs keep the graph alive either way; only the entropy term varies.
                gc.backward(out.entropies().sum().add(out.logProbs().sum().mul(0)));
            }
            return logits.getGradient().toType(DataType.FLOAT64, false).toDoubleArray();
        }
    }

    @Test
    void differentiableEntropiesHaveTheAnalyticGradient() {
        double[] entropies = new double[2];
        double[] g = entropyGradient(true, entropies);
        double[] first = analyticGradient(new double[] {0.3, -1.2, 2.0});
        for (int i = 0; i < 3; i++) {
            assertThat(g[i]).isCloseTo(first[i], within(1e-10));
            // Uniform logits are the entropy's maximum: zero gradient.
            assertThat(g[3 + i]).isCloseTo(0.0, within(1e-12));
        }
        assertThat(entropies[1]).isCloseTo(Math.log(3), within(1e-12));
    }

    @Test
    void entropiesCarryNoGradientByDefault() {
        double[] withGrad = new double[2];
        double[] without = new double[2];
        entropyGradient(true, withGrad);
        assertThat(entropyGradient(false, without)).containsOnly(0.0);
        assertThat(without).containsExactly(withGrad, within(1e-15));
    }

    @Test
    void aComputerWithoutDifferentiableEntropiesRefusesToIgnoreTheBonus() {
        LogProbComputer custom = (policy, store, batch, temperature, training) -> null;
        assertThatThrownBy(() -> custom.compute(null, null, null, 1.0, true, true))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("entropy_coeff > 0");
    }
}
