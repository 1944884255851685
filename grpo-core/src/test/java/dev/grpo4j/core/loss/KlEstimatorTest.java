package dev.grpo4j.core.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The KL estimators' values, ALGORITHMS.md section 2's k3 examples among them. */
class KlEstimatorTest {

    private static double[] estimate(KlEstimator estimator, double[] lp, double[] ref) {
        try (NDManager m = NDManager.newBaseManager()) {
            return estimator.estimate(m.create(lp), m.create(ref)).toDoubleArray();
        }
    }

    @Test
    void k3MatchesTheWorkedExamples() {
        double[] kl =
                estimate(
                        KlEstimator.K3,
                        new double[] {-1.0, -2.0, -0.7},
                        new double[] {-1.2, -1.0, -0.7});
        assertThat(kl).containsExactly(new double[] {0.0187308, 0.7182818, 0}, within(1e-6));
    }

    @ParameterizedTest(name = "{0}({1}, {2}) = {3}")
    @CsvSource({
        "K1, -1.0, -1.2, 0.2",
        "K1, -2.0, -1.0, -1.0",
        "ABS, -2.0, -1.0, 1.0",
        "K2, -2.0, -1.0, 0.5",
        "K2, -1.0, -1.2, 0.02",
        "LOW_VAR_KL, -1.0, -1.2, 0.0187308",
        "LOW_VAR_KL, -2.0, -1.0, 0.7182818",
        "K3_PLUS, -2.0, -1.0, 0.7182818"
    })
    void estimatorGivesItsFormulasValue(String name, double lp, double ref, double expected) {
        double[] kl = estimate(KlEstimator.valueOf(name), new double[] {lp}, new double[] {ref});
        assertThat(kl[0]).isCloseTo(expected, within(1e-6));
    }

    @Test
    void lowVarKlClampsTheLogRatioAndTheResult() {
        // d = lp_ref - lp = 30 -> clamped to 20 -> exp(20) - 21 -> clamped to 10.
        // d = -30 -> clamped to -20 -> exp(-20) + 19 -> clamped to 10.
        // d = 2 -> exp(2) - 3 = 4.389056, inside both clamps.
        double[] kl =
                estimate(
                        KlEstimator.LOW_VAR_KL,
                        new double[] {-31, -1, -3},
                        new double[] {-1, -31, -1});
        assertThat(kl).containsExactly(new double[] {10, 10, Math.exp(2) - 3}, within(1e-9));
        double[] unclamped = estimate(KlEstimator.K3, new double[] {-3}, new double[] {-1});
        assertThat(unclamped[0]).isCloseTo(Math.exp(2) - 3, within(1e-9));
    }

    @Test
    void k3PlusHasTheValueOfK3AndTheGradientOfK2() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray lp = m.create(new double[] {-2.0, -0.5});
            NDArray ref = m.create(new double[] {-1.0, -0.9});
            lp.setRequiresGradient(true);
            NDArray value;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                value = KlEstimator.K3_PLUS.estimate(lp, ref);
                gc.backward(value.sum());
            }
            double[] k3 =
                    estimate(KlEstimator.K3, new double[] {-2.0, -0.5}, new double[] {-1.0, -0.9});
            assertThat(value.toDoubleArray()).containsExactly(k3, within(1e-12));
            // d k2 / d lp = lp - lp_ref.
            assertThat(lp.getGradient().toDoubleArray())
                    .containsExactly(new double[] {-1.0, 0.4}, within(1e-12));
        }
    }

    @Test
    void klTermIsWeightedByBetaAndAddedToThePolicyTerm() {
        PolicyGradientLoss loss = PolicyGradientLoss.builder().optBeta(0.04).build();
        try (NDManager m = NDManager.newBaseManager()) {
            LossOutput out =
                    loss.compute(
                            m.create(new double[][] {{-1.0, -2.0}}),
                            null,
                            m.create(new double[][] {{-1.2, -1.0}}),
                            m.create(new double[] {0.5}),
                            m.create(new double[][] {{1, 1}}));
            // Ratio 1: policy term -A = -0.5 per token; token mean; plus beta times mean k3.
            double meanKl = (0.0187308 + 0.7182818) / 2;
            assertThat(out.loss().getDouble()).isCloseTo(-0.5 + 0.04 * meanKl, within(1e-6));
            assertThat(out.metric("kl")).isCloseTo(meanKl, within(1e-6));
        }
    }

    @Test
    void fromNameAcceptsTrlAndVerlSpellings() {
        assertThat(KlEstimator.fromName("kl")).isEqualTo(KlEstimator.K1);
        assertThat(KlEstimator.fromName("k1")).isEqualTo(KlEstimator.K1);
        assertThat(KlEstimator.fromName("abs")).isEqualTo(KlEstimator.ABS);
        assertThat(KlEstimator.fromName("mse")).isEqualTo(KlEstimator.K2);
        assertThat(KlEstimator.fromName("k3")).isEqualTo(KlEstimator.K3);
        assertThat(KlEstimator.fromName("low_var_kl")).isEqualTo(KlEstimator.LOW_VAR_KL);
        assertThat(KlEstimator.fromName("k3+")).isEqualTo(KlEstimator.K3_PLUS);
        assertThat(KlEstimator.fromName("K3_PLUS")).isEqualTo(KlEstimator.K3_PLUS);
    }

    @Test
    void fromNameListsTheAcceptedNames() {
        assertThatThrownBy(() -> KlEstimator.fromName("k4"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'k4'")
                .hasMessageContaining("low_var_kl");
    }
}
