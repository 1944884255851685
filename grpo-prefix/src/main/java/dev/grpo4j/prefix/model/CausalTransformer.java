package dev.grpo4j.prefix.model;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import dev.grpo4j.core.policy.CausalLmPolicy;
import dev.grpo4j.core.util.Checks;
import dev.grpo4j.prefix.attention.CausalAttention;
import dev.grpo4j.prefix.attention.SelfAttention;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * A decoder-only transformer policy: token embeddings, rotary positions, pre-norm layers of grouped
 * query attention and a SwiGLU MLP, a final RMSNorm and a language-model head tied to the
 * embeddings ({@code logits = h E^T}).
 *
 * <p>One code path serves every layout. {@link #logits(ParameterStore, NDArray, NDArray, boolean)}
 * is the plain mode: every row is its own sequence and attention is {@link CausalAttention}. {@link
 * #logits(ParameterStore, NDArray, NDArray, SelfAttention, boolean)} takes the attention step as an
 * argument, so a packed shared-prefix layout only supplies its own {@link SelfAttention} and
 * position ids; embeddings, norms, projections and the MLP run unchanged on its rows. {@link
 * #hidden} and {@link #lmHead} split the two halves so a caller can apply the head only where it
 * needs logits. {@link #newDecoder} decodes with a key/value cache in which each prompt is stored
 * once for all its samples.
 *
 * <p>Memory: every result is attached to the manager of the input token ids, never to the manager
 * that owns the parameters, so closing a per-step manager frees the whole forward pass.
 *
 * <p>Create with {@link #create(NDManager, TransformerConfig, DataType, int)} (float32 or float64).
 * Parameters are saved and loaded with DJL's {@link #saveParameters(DataOutputStream)} and {@link
 * #loadParameters(NDManager, DataInputStream)}, or through {@code ai.djl.Model} with this block
 * set; the saved metadata includes the config, and loading into a transformer of different sizes
 * fails.
 */
public final class CausalTransformer extends AbstractBlock implements CausalLmPolicy {

    private static final byte VERSION = 1;
    private static final SelfAttention CAUSAL = CausalAttention::causal;

    private final TransformerConfig config;
    private final Parameter tokenEmbedding;
    private final List<TransformerLayer> layers;
    private final Parameter finalNorm;

    /**
     * Declares an uninitialised transformer; {@link #create} also initialises it.
     *
     * @param config the sizes
     */
    public CausalTransformer(TransformerConfig config) {
        super(VERSION);
        this.config = config;
        tokenEmbedding =
                addParameter(
                        Parameter.builder()
                                .setName("token_embedding")
                                .setType(Parameter.Type.WEIGHT)
                                .optShape(new Shape(config.vocabSize(), config.width()))
                                // With a tied head and unit-RMS hidden states, logits start at unit
                                // scale.
                                .optInitializer(
                                        new NormalInitializer(
                                                (float) (1.0 / Math.sqrt(config.width()))))
                                .build());
        List<TransformerLayer> list = new ArrayList<>(config.layers());
        for (int i = 0; i < config.layers(); i++) {
            list.add(addChildBlock("layer" + i, new TransformerLayer(config)));
        }
        this.layers = List.copyOf(list);
        finalNorm = addParameter(TransformerLayer.gain("final_norm", config.width()));
    }

    /**
     * Creates a transformer and initialises its parameters in {@code manager}, drawing them from
     * the engine's generator in its current state: call {@code
     * Engine.getInstance().setRandomSeed(seed)} first for reproducible values, or use {@link
     * #create(NDManager, TransformerConfig, DataType, int)}.
     *
     * <p>Initial values: embeddings and projections are normal with standard deviation {@code
     * 1/sqrt(fan_in)} (the two projections into the residual stream further scaled by {@code
     * 1/sqrt(2 * layers)}); norm gains are 1.
     *
     * @param manager owns the parameters
     * @param config the sizes
     * @param dataType {@link DataType#FLOAT32} or {@link DataType#FLOAT64}
     * @return the initialised transformer
     * @throws IllegalArgumentException if the type is not float32 or float64
     */
    public static CausalTransformer create(
            NDManager manager, TransformerConfig config, DataType dataType) {
        checkFloatType(dataType);
        CausalTransformer model = new CausalTransformer(config);
        model.initialize(manager, dataType, new Shape(1, 1));
        return model;
    }

    /**
     * Seeds the engine's generator with {@code seed} ({@code Engine.setRandomSeed}, which also
     * affects later draws) and creates a transformer: the same seed gives the same parameters.
     *
     * @param manager owns the parameters
     * @param config the sizes
     * @param dataType {@link DataType#FLOAT32} or {@link DataType#FLOAT64}
     * @param seed the seed
     * @return the initialised transformer
     * @throws IllegalArgumentException if the type is not float32 or float64
     */
    public static CausalTransformer create(
            NDManager manager, TransformerConfig config, DataType dataType, int seed) {
        checkFloatType(dataType);
        manager.getEngine().setRandomSeed(seed);
        return create(manager, config, dataType);
    }

    private static void checkFloatType(DataType dataType) {
        Checks.require(
                dataType == DataType.FLOAT32 || dataType == DataType.FLOAT64,
                "the transformer computes in float32 or float64, not %s",
                dataType);
    }

    /**
     * The plain layout's attention step, {@link CausalAttention#causal}: what {@link
     * #logits(ParameterStore, NDArray, NDArray, boolean)} uses.
     *
     * @return causal attention within each row
     */
    public static SelfAttention plainAttention() {
        return CAUSAL;
    }

    /**
     * The sizes.
     *
     * @return the config
     */
    public TransformerConfig config() {
        return config;
    }

    /**
     * The float type of the parameters and of all activations.
     *
     * @return float32 or float64
     */
    public DataType dataType() {
        return tokenEmbedding.getArray().getDataType();
    }

    /**
     * The layers, in order.
     *
     * @return an unmodifiable list
     */
    public List<TransformerLayer> layers() {
        return layers;
    }

    @Override
    public Block block() {
        return this;
    }

    @Override
    public int vocabSize() {
        return config.vocabSize();
    }

    @Override
    public int maxSequenceLength() {
        return config.maxSequenceLength();
    }

    /**
     * Plain-mode logits: every row is its own causal sequence.
     *
     * @param store the parameter store to read parameters through
     * @param tokenIds {@code [N, L]} int32 or int64 token ids
     * @param positionIds {@code [N, L]} integer positions, or null for {@code 0..L-1} in every row
     * @param training true when gradients are being recorded
     * @return {@code [N, L, V]} logits of the model's float type, attached to the manager of {@code
     *     tokenIds}
     * @throws IllegalArgumentException if an id is outside the vocabulary, L exceeds the maximum
     *     length, or a position id lies outside {@code [0, maxSequenceLength)}
     */
    @Override
    public NDArray logits(
            ParameterStore store, NDArray tokenIds, NDArray positionIds, boolean training) {
        long length = tokenIds.getShape().dimension() == 2 ? tokenIds.getShape().get(1) : 0;
        Checks.require(
                length <= config.maxSequenceLength(),
                "sequence length %d exceeds the maximum length %d",
                length,
                config.maxSequenceLength());
        return logits(store, tokenIds, positionIds, CAUSAL, training);
    }

    /**
     * Logits with a caller-chosen attention step, e.g. the shared-prefix op on packed rows.
     *
     * @param store the parameter store to read parameters through
     * @param tokenIds {@code [N, L]} int32 or int64 token ids
     * @param positionIds {@code [N, L]} integer positions, or null for {@code 0..L-1} in every row
     * @param attention decides which keys each query sees
     * @param training true when gradients are being recorded
     * @return {@code [N, L, V]} logits, attached to the manager of {@code tokenIds}
     * @throws IllegalArgumentException as for {@link #hidden}
     */
    public NDArray logits(
            ParameterStore store,
            NDArray tokenIds,
            NDArray positionIds,
            SelfAttention attention,
            boolean training) {
        return lmHead(store, hidden(store, tokenIds, positionIds, attention, training), training);
    }

    /**
     * The final normalised hidden states, before the language-model head.
     *
     * <p>With explicit position ids the row length may exceed the maximum length (packed rows hold
     * several sequences); what is checked is that every position id lies in {@code [0,
     * maxSequenceLength)}. Without them, L itself must not exceed it.
     *
     * @param store the parameter store to read parameters through
     * @param tokenIds {@code [N, L]} int32 or int64 token ids
     * @param positionIds {@code [N, L]} integer positions, or null for {@code 0..L-1} in every row
     * @param attention decides which keys each query sees
     * @param training true when gradients are being recorded
     * @return {@code [N, L, D]}, attached to the manager of {@code tokenIds}
     * @throws IllegalArgumentException if an id is outside the vocabulary, a position id is outside
     *     {@code [0, maxSequenceLength)} or the shapes are not {@code [N, L]}
     */
    public NDArray hidden(
            ParameterStore store,
            NDArray tokenIds,
            NDArray positionIds,
            SelfAttention attention,
            boolean training) {
        checkInputs(tokenIds, positionIds);
        return hiddenStates(store, tokenIds, positionIds, layer -> attention, training);
    }

    /**
     * The tied language-model head: {@code hidden E^T}.
     *
     * @param store the parameter store to read the embeddings through
     * @param hidden {@code [..., D]} hidden states from {@link #hidden}
     * @param training true when gradients are being recorded
     * @return {@code [..., V]} logits, attached to the manager of {@code hidden}
     */
    public NDArray lmHead(ParameterStore store, NDArray hidden, boolean training) {
        NDArray embedding = store.getValue(tokenEmbedding, hidden.getDevice(), training);
        // The transpose is a view of a parameter; it must live with the caller's arrays.
        NDArray transposed = embedding.transpose();
        transposed.attach(hidden.getManager());
        return hidden.matMul(transposed);
    }

    /**
     * The shared forward pass without input checks; {@code attentionOfLayer} gives each layer its
     * attention step (the cached decoder records keys and values per layer).
     */
    NDArray hiddenStates(
            ParameterStore store,
            NDArray tokenIds,
            NDArray positionIds,
            IntFunction<SelfAttention> attentionOfLayer,
            boolean training) {
        NDManager manager = tokenIds.getManager();
        Shape shape = tokenIds.getShape();
        long n = shape.get(0);
        long length = shape.get(1);
        NDArray positions =
                positionIds != null
                        ? positionIds
                        : manager.arange(0, (int) length, 1, DataType.INT64).reshape(1, length);
        RotaryEmbedding rope =
                RotaryEmbedding.of(positions, config.headDim(), config.ropeTheta(), dataType());
        NDArray embedding = store.getValue(tokenEmbedding, tokenIds.getDevice(), training);
        NDArray ids = tokenIds.reshape(-1).toType(DataType.INT64, false);
        NDArray x =
                embedding.get(manager, new NDIndex("{}", ids)).reshape(n, length, config.width());
        for (int i = 0; i < layers.size(); i++) {
            x = layers.get(i).forward(store, x, rope, attentionOfLayer.apply(i), training);
        }
        NDArray gain = store.getValue(finalNorm, tokenIds.getDevice(), training);
        return TransformerLayer.rmsNorm(x, gain, config.normEpsilon());
    }

    private void checkInputs(NDArray tokenIds, NDArray positionIds) {
        Shape shape = tokenIds.getShape();
        Checks.require(shape.dimension() == 2, "token ids must be [N, L] but were %s", shape);
        Checks.require(
                tokenIds.getDataType().isInteger(),
                "token ids must be integers, not %s",
                tokenIds.getDataType());
        Checks.require(shape.size() > 0, "token ids %s are empty", shape);
        long[] range = minMax(tokenIds);
        long bad = range[0] < 0 ? range[0] : range[1];
        Checks.require(
                range[0] >= 0 && range[1] < config.vocabSize(),
                "token id %d is outside the vocabulary [0, %d)",
                bad,
                config.vocabSize());
        if (positionIds == null) {
            Checks.require(
                    shape.get(1) <= config.maxSequenceLength(),
                    "sequence length %d exceeds the maximum length %d",
                    shape.get(1),
                    config.maxSequenceLength());
            return;
        }
        Checks.require(
                positionIds.getShape().equals(shape),
                "position ids %s must have the token ids' shape %s",
                positionIds.getShape(),
                shape);
        Checks.require(
                positionIds.getDataType().isInteger(),
                "position ids must be integers, not %s",
                positionIds.getDataType());
        long[] positions = minMax(positionIds);
        Checks.require(positions[0] >= 0, "position id %d is negative", positions[0]);
        Checks.require(
                positions[1] < config.maxSequenceLength(),
                "position id %d is beyond the maximum length %d",
                positions[1],
                config.maxSequenceLength());
    }

    private static long[] minMax(NDArray integers) {
        try (NDArray min = integers.min();
                NDArray max = integers.max();
                NDArray min64 = min.toType(DataType.INT64, true);
                NDArray max64 = max.toType(DataType.INT64, true)) {
            return new long[] {min64.getLong(), max64.getLong()};
        }
    }

    /**
     * Starts cached decoding: the P prompts are encoded once, as one batch, and each prompt's
     * key/value cache is shared by its {@code samplesPerPrompt} streams. Call it outside a gradient
     * collector.
     *
     * @param store the parameter store to read parameters through
     * @param manager the manager whose sub-manager owns the cache; closed with the decoder
     * @param prompts P non-empty prompts of at most {@link #maxSequenceLength()} tokens
     * @param samplesPerPrompt G streams per prompt; stream s belongs to prompt {@code s / G}
     * @return the decoder, positioned after the prompts
     * @throws IllegalArgumentException if a prompt is empty, too long or outside the vocabulary
     */
    @Override
    public CachedDecoder newDecoder(
            ParameterStore store, NDManager manager, int[][] prompts, int samplesPerPrompt) {
        return new CachedDecoder(this, store, manager, prompts, samplesPerPrompt);
    }

    /**
     * A copy with the same config and parameter values whose parameters never receive gradients.
     * Values are copied on the parameters' device; later changes to either model leave the other
     * unchanged.
     *
     * @param manager the manager that will own the copy's parameters
     * @return the frozen copy
     */
    @Override
    public CausalTransformer frozenCopy(NDManager manager) {
        CausalTransformer copy = new CausalTransformer(config);
        ParameterList source = getParameters();
        ParameterList target = copy.getParameters();
        for (int i = 0; i < source.size(); i++) {
            NDArray from = source.get(i).getValue().getArray();
            target.get(i)
                    .getValue()
                    .setInitializer(
                            (m, shape, type) -> {
                                NDArray detached = from.stopGradient();
                                NDArray value = detached.duplicate();
                                detached.close();
                                value.attach(m);
                                return value;
                            });
        }
        copy.initialize(manager, dataType(), new Shape(1, 1));
        copy.freezeParameters(true);
        return copy;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray positions = inputs.size() > 1 ? inputs.get(1) : null;
        return new NDList(logits(store, inputs.head(), positions, training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {new Shape(in.get(0), in.get(1), config.vocabSize())};
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        checkFloatType(dataType);
        for (TransformerLayer layer : layers) {
            layer.initialize(manager, dataType, inputShapes);
        }
    }

    @Override
    protected void saveMetadata(DataOutputStream os) throws IOException {
        saveInputShapes(os);
        os.writeInt(config.vocabSize());
        os.writeInt(config.width());
        os.writeInt(config.layers());
        os.writeInt(config.heads());
        os.writeInt(config.kvHeads());
        os.writeInt(config.mlpWidth());
        os.writeInt(config.maxSequenceLength());
        os.writeDouble(config.ropeTheta());
        os.writeDouble(config.normEpsilon());
    }

    @Override
    protected void loadMetadata(byte loadVersion, DataInputStream is)
            throws IOException, MalformedModelException {
        if (loadVersion != VERSION) {
            throw new MalformedModelException(
                    "CausalTransformer parameters of version "
                            + loadVersion
                            + " cannot be read; expected version "
                            + VERSION);
        }
        readInputShapes(is);
        TransformerConfig saved =
                TransformerConfig.builder()
                        .setVocabSize(is.readInt())
                        .setWidth(is.readInt())
                        .setLayers(is.readInt())
                        .setHeads(is.readInt())
                        .optKvHeads(is.readInt())
                        .optMlpWidth(is.readInt())
                        .setMaxSequenceLength(is.readInt())
                        .optRopeTheta(is.readDouble())
                        .optNormEpsilon(is.readDouble())
                        .build();
        if (!saved.equals(config)) {
            throw new MalformedModelException(
                    "the saved parameters belong to " + saved + ", not to " + config);
        }
    }
}
