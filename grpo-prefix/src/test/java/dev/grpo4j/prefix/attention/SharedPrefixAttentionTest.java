package dev.grpo4j.prefix.attention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.grpo4j.prefix.attention.AttentionFixture.Result;
import dev.grpo4j.prefix.layout.PrefixLayout;
import dev.grpo4j.prefix.layout.PrefixLayoutArrays;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shared-prefix op, the masked reference and a naive per-completion computation agree on
 * outputs and on the gradients of q, k and v.
 */
class SharedPrefixAttentionTest {

    private static final int HEADS = 4;
    private static final int DIM = 8;

    /** Prompts of 3, 5 and 1 tokens; G = 2, 1, 3; completions of 1 to 4 tokens. */
    static PrefixLayout ragged() {
        return PrefixLayout.builder()
                .setPrompts(new int[] {1, 2, 3}, new int[] {4, 5, 6, 7, 8}, new int[] {9})
                .setGroupSizes(2, 1, 3)
                .setCompletions(
                        new int[] {11, 12},
                        new int[] {13},
                        new int[] {14, 15, 16},
                        new int[] {17},
                        new int[] {18, 19, 20, 21},
                        new int[] {22, 23})
                .build();
    }

    /** Every group has one completion (G = 1), of different lengths. */
    static PrefixLayout singletons() {
        return PrefixLayout.builder()
                .setPrompts(new int[] {1, 2, 3, 4}, new int[] {5, 6})
                .setGroupSizes(1, 1)
                .setCompletions(new int[] {7, 8, 9}, new int[] {10, 11, 12, 13, 14})
                .build();
    }

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (DataType type : new DataType[] {DataType.FLOAT32, DataType.FLOAT64}) {
            for (int kvHeads : new int[] {4, 2, 1}) {
                cases.add(Arguments.of("ragged", ragged(), kvHeads, type));
            }
            cases.add(Arguments.of("singletons", singletons(), 2, type));
        }
        return cases.stream();
    }

    private static double forwardTolerance(DataType type) {
        return type == DataType.FLOAT32 ? 1e-5 : 1e-10;
    }

    private static double gradientTolerance(DataType type) {
        return type == DataType.FLOAT32 ? 1e-4 : 1e-9;
    }

    private static Result shared(NDManager m, AttentionFixture f) {
        try (PrefixLayoutArrays arrays = f.layout.toArrays(m)) {
            SharedPrefixAttention op = new SharedPrefixAttention(arrays);
            return f.run(m, x -> op.attend(x.get(0), x.get(1), x.get(2)));
        }
    }

    private static Result masked(NDManager m, AttentionFixture f) {
        MaskedAttention op = new MaskedAttention(f.layout.visibilityMask(m));
        return f.run(m, x -> op.attend(x.get(0), x.get(1), x.get(2)));
    }

    private static Result naive(NDManager m, AttentionFixture f) {
        return f.run(m, f::naive);
    }

    @ParameterizedTest(name = "{0}, Hkv={2}, {3}")
    @MethodSource("cases")
    void sharedPrefixOutputsMatchTheNaivePerCompletionComputation(
            String name, PrefixLayout layout, int kvHeads, DataType type) {
        try (NDManager m = NDManager.newBaseManager()) {
            AttentionFixture f = new AttentionFixture(layout, HEADS, kvHeads, DIM, type, 7);
            assertAllClose(shared(m, f).out(), naive(m, f).out(), forwardTolerance(type));
        }
    }

    @ParameterizedTest(name = "{0}, Hkv={2}, {3}")
    @MethodSource("cases")
    void maskedReferenceOutputsMatchTheNaivePerCompletionComputation(
            String name, PrefixLayout layout, int kvHeads, DataType type) {
        try (NDManager m = NDManager.newBaseManager()) {
            AttentionFixture f = new AttentionFixture(layout, HEADS, kvHeads, DIM, type, 11);
            assertAllClose(masked(m, f).out(), naive(m, f).out(), forwardTolerance(type));
        }
    }

    @ParameterizedTest(name = "{0}, Hkv={2}, {3}")
    @MethodSource("cases")
    void sharedPrefixInputGradientsMatchBothReferences(
            String name, PrefixLayout layout, int kvHeads, DataType type) {
        try (NDManager m = NDManager.newBaseManager()) {
            AttentionFixture f = new AttentionFixture(layout, HEADS, kvHeads, DIM, type, 13);
            Result shared = shared(m, f);
            double tol = gradientTolerance(type);
            for (Result reference : new Result[] {naive(m, f), masked(m, f)}) {
                assertRelativelyClose("dq", shared.dq(), reference.dq(), tol);
                assertRelativelyClose("dk", shared.dk(), reference.dk(), tol);
                assertRelativelyClose("dv", shared.dv(), reference.dv(), tol);
            }
        }
    }

    @Test
    void paddingPositionsOutputZeroAndReceiveZeroGradients() {
        PrefixLayout layout = ragged();
        try (NDManager m = NDManager.newBaseManager()) {
            AttentionFixture f = new AttentionFixture(layout, HEADS, 2, DIM, DataType.FLOAT32, 17);
            assertThat(layout.packedLength()).isEqualTo(8);
            Result shared = shared(m, f);
            // Row 0 holds 6 valid tokens of 8: columns 6 and 7 are padding.
            for (int column : new int[] {6, 7}) {
                int qBase = column * HEADS * DIM;
                int kvBase = column * 2 * DIM;
                for (int e = 0; e < HEADS * DIM; e++) {
                    assertThat(shared.out()[qBase + e]).isZero();
                    assertThat(shared.dq()[qBase + e]).isZero();
                }
                for (int e = 0; e < 2 * DIM; e++) {
                    assertThat(shared.dk()[kvBase + e]).isZero();
                    assertThat(shared.dv()[kvBase + e]).isZero();
                }
            }
            assertThat(Arrays.stream(shared.dq())).allMatch(Double::isFinite);
            assertThat(Arrays.stream(shared.dk())).allMatch(Double::isFinite);
            assertThat(Arrays.stream(shared.dv())).allMatch(Double::isFinite);
        }
    }

    @Test
    void gradientsMatchCentralFiniteDifferencesInFloat64() {
        PrefixLayout layout =
                PrefixLayout.builder()
                        .setPrompts(new int[] {1, 2}, new int[] {3})
                        .setGroupSizes(2, 1)
                        .setCompletions(new int[] {4, 5}, new int[] {6}, new int[] {7, 8})
                        .build();
        int heads = 2;
        int kvHeads = 1;
        int dim = 2;
        try (NDManager m = NDManager.newBaseManager();
                PrefixLayoutArrays arrays = layout.toArrays(m)) {
            AttentionFixture f =
                    new AttentionFixture(layout, heads, kvHeads, dim, DataType.FLOAT64, 19);
            SharedPrefixAttention op = new SharedPrefixAttention(arrays);
            Result autograd = f.run(m, x -> op.attend(x.get(0), x.get(1), x.get(2)));
            double[][] inputs = {f.q, f.k, f.v};
            double[][] grads = {autograd.dq(), autograd.dk(), autograd.dv()};
            double eps = 1e-6;
            for (int which = 0; which < 3; which++) {
                double[] x = inputs[which];
                for (int e = 0; e < x.length; e++) {
                    double saved = x[e];
                    x[e] = saved + eps;
                    double plus = loss(m, f, op);
                    x[e] = saved - eps;
                    double minus = loss(m, f, op);
                    x[e] = saved;
                    double numeric = (plus - minus) / (2 * eps);
                    assertThat(grads[which][e])
                            .as("input %d element %d", which, e)
                            .isCloseTo(numeric, within(1e-7));
                }
            }
        }
    }

    private static double loss(NDManager m, AttentionFixture f, SharedPrefixAttention op) {
        try (NDManager scope = m.newSubManager()) {
            NDArray out =
                    op.attend(
                            f.array(scope, f.q, f.qShape()),
                            f.array(scope, f.k, f.kvShape()),
                            f.array(scope, f.v, f.kvShape()));
            return out.mul(f.array(scope, f.w, f.qShape())).sum().getDouble();
        }
    }

    @Test
    void outputIsAttachedToTheManagerOfQ() {
        try (NDManager m = NDManager.newBaseManager();
                PrefixLayoutArrays arrays = ragged().toArrays(m);
                NDManager step = m.newSubManager()) {
            AttentionFixture f =
                    new AttentionFixture(arrays.layout(), HEADS, 2, DIM, DataType.FLOAT32, 23);
            NDArray q = f.array(step, f.q, f.qShape());
            NDArray out =
                    new SharedPrefixAttention(arrays)
                            .attend(
                                    q,
                                    f.array(step, f.k, f.kvShape()),
                                    f.array(step, f.v, f.kvShape()));
            assertThat(out.getManager()).isSameAs(q.getManager());
            assertThat(out.getShape()).isEqualTo(f.qShape());
        }
    }

    @Test
    void rejectsQueriesThatDoNotMatchTheLayout() {
        try (NDManager m = NDManager.newBaseManager();
                PrefixLayoutArrays arrays = ragged().toArrays(m)) {
            SharedPrefixAttention op = new SharedPrefixAttention(arrays);
            NDArray q = m.zeros(new Shape(3, 7, 4, 8));
            NDArray kv = m.zeros(new Shape(3, 7, 2, 8));
            assertThatThrownBy(() -> op.attend(q, kv, kv))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("q has shape (3, 7, 4, 8)")
                    .hasMessageContaining("3 rows of length 8");
        }
    }

    @Test
    void rejectsQueryHeadsThatAreNotAMultipleOfTheKeyHeads() {
        try (NDManager m = NDManager.newBaseManager();
                PrefixLayoutArrays arrays = ragged().toArrays(m)) {
            SharedPrefixAttention op = new SharedPrefixAttention(arrays);
            NDArray q = m.zeros(new Shape(3, 8, 4, 8));
            NDArray kv = m.zeros(new Shape(3, 8, 3, 8));
            assertThatThrownBy(() -> op.attend(q, kv, kv))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("4 query heads are not a multiple of 3 key/value heads");
        }
    }

    static void assertAllClose(double[] actual, double[] expected, double tol) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int e = 0; e < expected.length; e++) {
            assertThat(actual[e]).as("element %d", e).isCloseTo(expected[e], within(tol));
        }
    }

    /** Every element within {@code tol} times the largest magnitude of the expected gradient. */
    static void assertRelativelyClose(String what, double[] actual, double[] expected, double tol) {
        assertThat(actual).hasSameSizeAs(expected);
        double scale = 0;
        for (double x : expected) {
            scale = Math.max(scale, Math.abs(x));
        }
        assertThat(scale).as("%s is not identically zero", what).isPositive();
        for (int e = 0; e < expected.length; e++) {
            assertThat(actual[e])
                    .as("%s element %d", what, e)
                    .isCloseTo(expected[e], within(tol * scale));
        }
    }
}
