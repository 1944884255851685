package dev.grpo4j.core.util;

import ai.djl.ndarray.NDArray;

/**
 * Arithmetic between an NDArray and a Java number that is safe under autograd.
 *
 * <p><b>Why this exists.</b> DJL 0.36's PyTorch engine implements {@code x.mul(2.0)}, {@code div},
 * {@code pow}, {@code minimum} and {@code maximum} with a number by wrapping the number in a scalar
 * tensor that points into a small direct {@code ByteBuffer}, running the op, and closing the scalar
 * at once. Those ops save the scalar for their backward pass, but the buffer is released with the
 * scalar and freed at the next garbage collection: a backward that runs after a GC reads freed
 * memory. Gradients then come out silently wrong, or NaN (measured: 20 of 20 trials of {@code
 * x.mul(3.0)} with a GC between forward and backward gave the gradient 0 instead of 3). The methods
 * here make the scalar a tensor with its own PyTorch storage, which autograd keeps alive for as
 * long as it needs it.
 *
 * <p>Use them for every number that meets a differentiable array. The results are attached to the
 * manager of {@code x}, and have its type and device.
 */
public final class Scalars {

    private Scalars() {}

    /**
     * A 0-dimensional array holding {@code value}, of the type and device of {@code like}, in the
     * manager of {@code like}, whose storage belongs to the engine (not to a Java buffer).
     *
     * @param like the array whose type, device and manager the scalar takes
     * @param value the value
     * @return the scalar
     */
    public static NDArray of(NDArray like, double value) {
        try (NDArray wrapped = like.getManager().create(value);
                NDArray typed = wrapped.toType(like.getDataType(), false)) {
            // duplicate() clones: the clone owns its storage, so the wrapped Java buffer may go. (A
            // same-type toType, even a "copying" one, aliases the buffer.)
            NDArray owned = typed.duplicate();
            return owned.getDevice().equals(like.getDevice())
                    ? owned
                    : owned.toDevice(like.getDevice(), false);
        }
    }

    /**
     * {@code x * value}.
     *
     * @param x the array
     * @param value the factor
     * @return the product, same shape as {@code x}
     */
    public static NDArray mul(NDArray x, double value) {
        return x.mul(of(x, value));
    }

    /**
     * {@code x / value}.
     *
     * @param x the array
     * @param value the divisor
     * @return the quotient, same shape as {@code x}
     */
    public static NDArray div(NDArray x, double value) {
        return x.div(of(x, value));
    }

    /**
     * {@code x ^ value}, element-wise.
     *
     * @param x the array
     * @param value the exponent
     * @return the power, same shape as {@code x}
     */
    public static NDArray pow(NDArray x, double value) {
        return x.pow(of(x, value));
    }

    /**
     * {@code min(x, value)}, element-wise.
     *
     * @param x the array
     * @param value the bound
     * @return the minimum, same shape as {@code x}
     */
    public static NDArray minimum(NDArray x, double value) {
        return x.minimum(of(x, value));
    }
}
