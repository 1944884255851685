package dev.grpo4j.core.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import dev.grpo4j.core.testing.FreedMemory;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The scalar of each op survives a garbage collection between forward and backward: the case in
 * which DJL's own {@code NDArray.mul(Number)} and friends read freed memory (see {@link Scalars}).
 */
class ScalarsTest {

    /**
     * Runs {@code op} on {@code x = [1.5, 4]} under autograd, collects garbage and refills freed
     * native memory with NaN before the backward pass, and returns the gradient of {@code
     * sum(op(x))}.
     */
    private static double[] gradientAfterGc(DataType type, UnaryOperator<NDArray> op)
            throws InterruptedException {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new double[] {1.5, 4.0}).toType(type, false);
            x.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray y = op.apply(x).sum();
                FreedMemory.collectAndRefillWithNaN();
                gc.backward(y);
            }
            return x.getGradient().toType(DataType.FLOAT64, false).toDoubleArray();
        }
    }

    @Test
    void mulKeepsItsFactorForBackward() throws InterruptedException {
        assertThat(gradientAfterGc(DataType.FLOAT32, x -> Scalars.mul(x, 3.0)))
                .containsExactly(3.0, 3.0);
    }

    @Test
    void divKeepsItsDivisorForBackward() throws InterruptedException {
        assertThat(gradientAfterGc(DataType.FLOAT64, x -> Scalars.div(x, 4.0)))
                .containsExactly(0.25, 0.25);
    }

    @Test
    void powKeepsItsExponentForBackward() throws InterruptedException {
        // d/dx x^-0.5 = -0.5 x^-1.5
        assertThat(gradientAfterGc(DataType.FLOAT64, x -> Scalars.pow(x, -0.5)))
                .containsExactly(
                        new double[] {-0.5 * Math.pow(1.5, -1.5), -0.5 * Math.pow(4.0, -1.5)},
                        within(1e-15));
    }

    @Test
    void minimumKeepsItsBoundForBackward() throws InterruptedException {
        // min(x, 2): slope 1 below the bound, 0 above.
        assertThat(gradientAfterGc(DataType.FLOAT32, x -> Scalars.minimum(x, 2.0)))
                .containsExactly(1.0, 0.0);
    }

    @Test
    void theScalarTakesTheTypeAndManagerOfItsArray() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new float[] {1f});
            NDArray s = Scalars.of(x, 0.1);
            assertThat(s.getDataType()).isEqualTo(DataType.FLOAT32);
            assertThat(s.getShape().dimension()).isZero();
            assertThat(s.getManager()).isSameAs(m);
            assertThat(s.getFloat()).isEqualTo(0.1f);
        }
    }
}
