package dev.grpo4j.prefix.attention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class MaskedAttentionTest {

    @Test
    void averagesTheVisibleValuesWhenAllScoresAreEqual() {
        try (NDManager m = NDManager.newBaseManager()) {
            // Zero queries give equal scores, so each output is the mean of the visible values.
            NDArray q = m.zeros(new Shape(1, 3, 1, 1), DataType.FLOAT64);
            NDArray k = m.ones(new Shape(1, 3, 1, 1), DataType.FLOAT64);
            NDArray v = m.create(new double[] {2, 4, 9}, new Shape(1, 3, 1, 1));
            NDArray visible =
                    m.create(
                            new boolean[] {
                                true, false, false, true, false, true, false, false, false
                            },
                            new Shape(1, 3, 3));
            double[] out = new MaskedAttention(visible).attend(q, k, v).toDoubleArray();
            assertThat(out[0]).isCloseTo(2.0, within(1e-12));
            assertThat(out[1]).isCloseTo(5.5, within(1e-12));
            // The last query sees nothing: its output is zero, not an average of masked values.
            assertThat(out[2]).isZero();
        }
    }

    @Test
    void rejectsANonBooleanMask() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray mask = m.ones(new Shape(1, 2, 2));
            assertThatThrownBy(() -> new MaskedAttention(mask))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("must be boolean but is float32");
        }
    }

    @Test
    void rejectsAMaskOfTheWrongLength() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray mask = m.ones(new Shape(1, 2, 2), DataType.BOOLEAN);
            NDArray q = m.zeros(new Shape(1, 3, 2, 4));
            NDArray kv = m.zeros(new Shape(1, 3, 1, 4));
            assertThatThrownBy(() -> new MaskedAttention(mask).attend(q, kv, kv))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(
                            "the visibility mask has shape (1, 2, 2) but q is (1, 3, 2, 4)");
        }
    }
}
