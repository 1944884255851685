package dev.grpo4j.core.train.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import org.junit.jupiter.api.Test;

class AdamWTest {

    /** Minimises sum(w^2 * c) for two steps and compares with AdamW computed by hand in doubles. */
    @Test
    void matchesHandComputedAdamW() {
        double lr = 0.1;
        double wd = 0.01;
        double[] w = {1.0, -2.0};
        double[] c = {0.5, 3.0};
        try (NDManager m = NDManager.newBaseManager();
                AdamW adam =
                        AdamW.builder()
                                .setManager(m)
                                .optLearningRate(step -> lr)
                                .optWeightDecay(wd)
                                .build()) {
            NDArray weight = m.create(w.clone());
            weight.setRequiresGradient(true);
            double[] mean = new double[2];
            double[] var = new double[2];
            for (int t = 1; t <= 2; t++) {
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    gc.backward(weight.square().mul(m.create(c)).sum());
                }
                adam.update("w", weight, weight.getGradient().duplicate());
                for (int i = 0; i < 2; i++) {
                    double g = 2 * w[i] * c[i];
                    w[i] -= lr * wd * w[i];
                    mean[i] = 0.9 * mean[i] + 0.1 * g;
                    var[i] = 0.999 * var[i] + 0.001 * g * g;
                    double mh = mean[i] / (1 - Math.pow(0.9, t));
                    double vh = var[i] / (1 - Math.pow(0.999, t));
                    w[i] -= lr * mh / (Math.sqrt(vh) + 1e-8);
                }
                double[] got = weight.toDoubleArray();
                assertThat(got[0]).isCloseTo(w[0], within(1e-12));
                assertThat(got[1]).isCloseTo(w[1], within(1e-12));
                assertThat(weight.getGradient().toDoubleArray()).containsOnly(0.0);
            }
            assertThat(adam.stepCount("w")).isEqualTo(2);
        }
    }

    @Test
    void savedStateResumesExactly() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.create(new float[] {0.3f, -1.2f, 2.0f});
            NDArray b = a.duplicate();
            a.setRequiresGradient(true);
            b.setRequiresGradient(true);
            NDArray coef = m.create(new float[] {1f, 2f, 3f});
            try (AdamW first =
                            AdamW.builder()
                                    .setManager(m)
                                    .optLearningRate(s -> 0.05 / (1 + s))
                                    .build();
                    AdamW second =
                            AdamW.builder()
                                    .setManager(m)
                                    .optLearningRate(s -> 0.05 / (1 + s))
                                    .build()) {
                step(m, first, a, coef);
                step(m, first, a, coef);
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                first.save(new DataOutputStream(bytes));
                // b follows a's first two steps with a different optimizer instance, then loads a's
                // state.
                step(m, second, b, coef);
                step(m, second, b, coef);
                second.load(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
                for (int i = 0; i < 3; i++) {
                    step(m, first, a, coef);
                    step(m, second, b, coef);
                }
                assertThat(b.toFloatArray()).containsExactly(a.toFloatArray());
                assertThat(second.stepCount("w")).isEqualTo(5);
            }
        }
    }

    private static void step(NDManager m, AdamW adam, NDArray w, NDArray coef) {
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(w.mul(coef).sin().sum());
        }
        adam.update("w", w, w.getGradient().duplicate());
    }

    @Test
    void schedulesFollowHuggingFace() {
        assertThat(LearningRateSchedule.LINEAR.rate(1.0, 0, 2, 10)).isEqualTo(0.0);
        assertThat(LearningRateSchedule.LINEAR.rate(1.0, 1, 2, 10)).isEqualTo(0.5);
        assertThat(LearningRateSchedule.LINEAR.rate(1.0, 2, 2, 10)).isEqualTo(1.0);
        assertThat(LearningRateSchedule.LINEAR.rate(1.0, 6, 2, 10)).isEqualTo(0.5);
        assertThat(LearningRateSchedule.COSINE.rate(2.0, 6, 2, 10)).isCloseTo(1.0, within(1e-12));
        assertThat(LearningRateSchedule.COSINE.rate(2.0, 10, 2, 10)).isCloseTo(0.0, within(1e-12));
        assertThat(LearningRateSchedule.CONSTANT.rate(2.0, 9, 0, 10)).isEqualTo(2.0);
        assertThat(LearningRateSchedule.fromName("cosine")).isEqualTo(LearningRateSchedule.COSINE);
    }

    @Test
    void clipsToTheGlobalNorm() {
        try (NDManager m = NDManager.newBaseManager()) {
            ai.djl.nn.Parameter p =
                    ai.djl.nn.Parameter.builder()
                            .setName("p")
                            .setType(ai.djl.nn.Parameter.Type.WEIGHT)
                            .optArray(m.create(new double[] {1.0, 1.0}))
                            .build();
            p.getArray().setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(p.getArray().mul(m.create(new double[] {3.0, 4.0})).sum());
            }
            double norm = GradientClipping.clip(java.util.List.of(p), 1.0);
            assertThat(norm).isCloseTo(5.0, within(1e-12));
            double[] g = p.getArray().getGradient().toDoubleArray();
            assertThat(g[0]).isCloseTo(3.0 / (5.0 + 1e-6), within(1e-12));
            assertThat(g[1]).isCloseTo(4.0 / (5.0 + 1e-6), within(1e-12));
        }
    }
}
