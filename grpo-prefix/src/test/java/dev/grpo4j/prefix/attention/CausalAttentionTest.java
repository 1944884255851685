package dev.grpo4j.prefix.attention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CausalAttentionTest {

    private static final int N = 2;
    private static final int L = 5;
    private static final int HEADS = 4;
    private static final int D = 3;

    /** out[n,t,h] = sum_{s<=t} softmax(q.k / sqrt(d)) v, one head and one query at a time. */
    private static double[] naive(double[] q, double[] k, double[] v, int heads, int kvHeads) {
        double[] out = new double[N * L * heads * D];
        int rep = heads / kvHeads;
        for (int n = 0; n < N; n++) {
            for (int h = 0; h < heads; h++) {
                int g = h / rep;
                for (int t = 0; t < L; t++) {
                    double[] scores = new double[t + 1];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int s = 0; s <= t; s++) {
                        double dot = 0;
                        for (int i = 0; i < D; i++) {
                            dot +=
                                    q[((n * L + t) * heads + h) * D + i]
                                            * k[((n * L + s) * kvHeads + g) * D + i];
                        }
                        scores[s] = dot / Math.sqrt(D);
                        max = Math.max(max, scores[s]);
                    }
                    double z = 0;
                    for (int s = 0; s <= t; s++) {
                        scores[s] = Math.exp(scores[s] - max);
                        z += scores[s];
                    }
                    for (int s = 0; s <= t; s++) {
                        for (int i = 0; i < D; i++) {
                            out[((n * L + t) * heads + h) * D + i] +=
                                    scores[s] / z * v[((n * L + s) * kvHeads + g) * D + i];
                        }
                    }
                }
            }
        }
        return out;
    }

    @ParameterizedTest(name = "kvHeads={0}")
    @ValueSource(ints = {4, 2, 1})
    void matchesNaivePerHeadLoopIncludingGroupedQueryHeads(int kvHeads) {
        Engine.getInstance().setRandomSeed(17);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray q = m.randomNormal(0, 1, new Shape(N, L, HEADS, D), DataType.FLOAT64);
            NDArray k = m.randomNormal(0, 1, new Shape(N, L, kvHeads, D), DataType.FLOAT64);
            NDArray v = m.randomNormal(0, 1, new Shape(N, L, kvHeads, D), DataType.FLOAT64);
            double[] expected =
                    naive(q.toDoubleArray(), k.toDoubleArray(), v.toDoubleArray(), HEADS, kvHeads);
            NDArray out = new CausalAttention().attend(q, k, v);
            assertThat(out.getShape()).isEqualTo(new Shape(N, L, HEADS, D));
            double[] actual = out.toDoubleArray();
            for (int i = 0; i < expected.length; i++) {
                assertThat(actual[i]).as("element %d", i).isCloseTo(expected[i], within(1e-12));
            }
        }
    }

    @Test
    void resultLivesInTheQueriesManager() {
        try (NDManager m = NDManager.newBaseManager();
                NDManager step = m.newSubManager()) {
            NDArray q = step.ones(new Shape(1, 2, 2, 2));
            NDArray k = step.ones(new Shape(1, 2, 1, 2));
            NDArray out = CausalAttention.causal(q, k, k);
            assertThat(out.getManager()).isSameAs(step);
        }
    }

    @Test
    void rejectsQueryHeadsThatAreNotAMultipleOfKeyValueHeads() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray q = m.ones(new Shape(1, 2, 3, 2));
            NDArray k = m.ones(new Shape(1, 2, 2, 2));
            assertThatThrownBy(() -> CausalAttention.causal(q, k, k))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("query heads 3")
                    .hasMessageContaining("key/value heads 2");
        }
    }
}
