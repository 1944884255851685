package dev.grpo4j.prefix.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Rotary position embedding (RoPE, Su et al. 2021, arXiv 2104.09864) for given position ids: the
 * cosines and sines of every token's angles, ready to rotate queries and keys.
 *
 * <p>Feature pair {@code (i, i + d/2)} of a head at position p is turned by the angle {@code p *
 * theta^(-2i/d)} (the "half rotation" layout of GPT-NeoX and Llama). Positions are an input, never
 * the column index, so packed layouts whose suffix positions restart at the prefix length, and
 * decoding steps that continue at each prompt's own length, rotate exactly like the plain layout.
 * Angles are computed in float64 and then cast, so the same position always gets the same bits.
 *
 * @param cos {@code [N, L, 1, d/2]} cosines of the model's float type
 * @param sin {@code [N, L, 1, d/2]} sines of the model's float type
 */
public record RotaryEmbedding(NDArray cos, NDArray sin) {

    /**
     * Computes the rotation for the given positions.
     *
     * @param positions {@code [N, L]} integer position ids
     * @param headDim the head width d (even)
     * @param theta the rotary base
     * @param dataType the float type of the queries and keys
     * @return the rotation, attached to the manager of {@code positions}
     */
    public static RotaryEmbedding of(
            NDArray positions, int headDim, double theta, DataType dataType) {
        NDManager manager = positions.getManager();
        Shape shape = positions.getShape();
        int half = headDim / 2;
        double[] inverseFrequency = new double[half];
        for (int i = 0; i < half; i++) {
            inverseFrequency[i] = Math.pow(theta, -2.0 * i / headDim);
        }
        NDArray angles =
                positions
                        .toType(DataType.FLOAT64, false)
                        .reshape(shape.get(0), shape.get(1), 1, 1)
                        .mul(manager.create(inverseFrequency).reshape(1, 1, 1, half));
        return new RotaryEmbedding(
                angles.cos().toType(dataType, false), angles.sin().toType(dataType, false));
    }

    /**
     * Rotates queries or keys.
     *
     * @param x {@code [N, L, heads, d]}
     * @return the rotated array, same shape, attached to the manager of {@code x}
     */
    public NDArray apply(NDArray x) {
        return rotate(x, cos, sin);
    }

    /**
     * The rotation as a static op: {@code [x1, x2] -> [x1 cos - x2 sin, x2 cos + x1 sin]} where x1
     * and x2 are the two halves of the last axis.
     *
     * @param x {@code [N, L, heads, d]}
     * @param cos {@code [N, L, 1, d/2]}
     * @param sin {@code [N, L, 1, d/2]}
     * @return the rotated array, attached to the manager of {@code x}
     */
    public static NDArray rotate(NDArray x, NDArray cos, NDArray sin) {
        long half = x.getShape().get(3) / 2;
        NDArray x1 = x.get(new NDIndex("..., :{}", half));
        NDArray x2 = x.get(new NDIndex("..., {}:", half));
        return NDArrays.concat(
                new NDList(x1.mul(cos).sub(x2.mul(sin)), x2.mul(cos).add(x1.mul(sin))), -1);
    }
}
