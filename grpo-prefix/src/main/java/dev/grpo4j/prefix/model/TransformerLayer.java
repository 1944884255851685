package dev.grpo4j.prefix.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import dev.grpo4j.core.util.Scalars;
import dev.grpo4j.prefix.attention.SelfAttention;

/**
 * One pre-norm transformer layer: {@code x + Attn(RMSNorm(x))}, then {@code x +
 * SwiGLU(RMSNorm(x))}.
 *
 * <p>The attention step is a {@link SelfAttention} given per call, so one layer serves every layout
 * (plain causal rows, packed shared-prefix rows, cached decoding). The math is exposed as static
 * ops ({@link #rmsNorm}, {@link #swiGlu}) in DJL's manner. A layer is a child block of {@link
 * CausalTransformer}; it is not meant to be used alone, so its DJL {@code forward} is unsupported.
 *
 * <p>Initial weights are normal with standard deviation {@code 1/sqrt(fan_in)}; the two projections
 * that write into the residual stream are further scaled by {@code 1/sqrt(2 * layers)}, as in
 * GPT-2, so the stream's scale does not grow with depth. Norm gains start at 1.
 */
public final class TransformerLayer extends AbstractBlock {

    private final TransformerConfig config;
    private final Parameter attentionNorm;
    private final Parameter query;
    private final Parameter key;
    private final Parameter value;
    private final Parameter output;
    private final Parameter mlpNorm;
    private final Parameter gate;
    private final Parameter up;
    private final Parameter down;

    /**
     * Declares an uninitialised layer.
     *
     * @param config the model sizes
     */
    public TransformerLayer(TransformerConfig config) {
        this.config = config;
        int width = config.width();
        int d = config.headDim();
        int qWidth = config.heads() * d;
        int kvWidth = config.kvHeads() * d;
        int mlp = config.mlpWidth();
        float residualScale = (float) (1.0 / Math.sqrt(2.0 * config.layers()));
        attentionNorm = addParameter(gain("attention_norm", width));
        query = addParameter(weight("query", width, qWidth, 1f));
        key = addParameter(weight("key", width, kvWidth, 1f));
        value = addParameter(weight("value", width, kvWidth, 1f));
        output = addParameter(weight("output", qWidth, width, residualScale));
        mlpNorm = addParameter(gain("mlp_norm", width));
        gate = addParameter(weight("gate", width, mlp, 1f));
        up = addParameter(weight("up", width, mlp, 1f));
        down = addParameter(weight("down", mlp, width, residualScale));
    }

    private static Parameter weight(String name, int in, int out, float scale) {
        return Parameter.builder()
                .setName(name)
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(in, out))
                .optInitializer(new NormalInitializer((float) (scale / Math.sqrt(in))))
                .build();
    }

    static Parameter gain(String name, int width) {
        return Parameter.builder()
                .setName(name)
                .setType(Parameter.Type.GAMMA)
                .optShape(new Shape(width))
                .optInitializer(Initializer.ONES)
                .build();
    }

    /**
     * Runs the layer on a residual stream.
     *
     * @param store the parameter store to read the weights through
     * @param x {@code [N, L, D]} residual stream
     * @param rope the rotation for the rows' position ids
     * @param attention the attention step for this layer
     * @param training true when gradients are being recorded
     * @return {@code [N, L, D]}, attached to the manager of {@code x}
     */
    public NDArray forward(
            ParameterStore store,
            NDArray x,
            RotaryEmbedding rope,
            SelfAttention attention,
            boolean training) {
        Shape shape = x.getShape();
        long n = shape.get(0);
        long len = shape.get(1);
        int d = config.headDim();
        double eps = config.normEpsilon();
        NDArray h = rmsNorm(x, value(store, attentionNorm, x, training), eps);
        NDArray q = h.matMul(value(store, query, x, training)).reshape(n, len, config.heads(), d);
        NDArray k = h.matMul(value(store, key, x, training)).reshape(n, len, config.kvHeads(), d);
        NDArray v = h.matMul(value(store, value, x, training)).reshape(n, len, config.kvHeads(), d);
        NDArray attended =
                attention
                        .attend(rope.apply(q), rope.apply(k), v)
                        .reshape(n, len, (long) config.heads() * d);
        NDArray mid = x.add(attended.matMul(value(store, output, x, training)));
        NDArray mlpIn = rmsNorm(mid, value(store, mlpNorm, x, training), eps);
        return mid.add(
                swiGlu(
                        mlpIn,
                        value(store, gate, x, training),
                        value(store, up, x, training),
                        value(store, down, x, training)));
    }

    private static NDArray value(
            ParameterStore store, Parameter parameter, NDArray like, boolean training) {
        return store.getValue(parameter, like.getDevice(), training);
    }

    /**
     * RMSNorm (Zhang and Sennrich 2019): {@code x / sqrt(mean(x^2) + eps) * gain} over the last
     * axis.
     *
     * @param x {@code [..., D]}
     * @param gain {@code [D]}
     * @param epsilon added to the mean square
     * @return same shape as x, attached to the manager of {@code x}
     */
    public static NDArray rmsNorm(NDArray x, NDArray gain, double epsilon) {
        NDArray meanSquare = x.square().mean(new int[] {-1}, true);
        return x.mul(Scalars.pow(meanSquare.add(epsilon), -0.5)).mul(gain);
    }

    /**
     * The SwiGLU MLP (Shazeer 2020): {@code (silu(x Wg) * (x Wu)) Wd} with {@code silu(z) = z
     * sigmoid(z)}.
     *
     * @param x {@code [..., D]}
     * @param gate {@code [D, F]}
     * @param up {@code [D, F]}
     * @param down {@code [F, D]}
     * @return {@code [..., D]}, attached to the manager of {@code x}
     */
    public static NDArray swiGlu(NDArray x, NDArray gate, NDArray up, NDArray down) {
        NDArray g = x.matMul(gate);
        return Activation.sigmoid(g).mul(g).mul(x.matMul(up)).matMul(down);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        throw new UnsupportedOperationException(
                "a transformer layer runs inside CausalTransformer; call forward(store, x, rope,"
                        + " attention, training)");
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
