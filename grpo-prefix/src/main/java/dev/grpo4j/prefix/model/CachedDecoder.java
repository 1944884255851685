package dev.grpo4j.prefix.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.grpo4j.core.policy.IncrementalDecoder;
import dev.grpo4j.core.util.Checks;
import dev.grpo4j.prefix.attention.CausalAttention;
import dev.grpo4j.prefix.attention.SelfAttention;

/**
 * Incremental decoding of P prompts times G samples with a key/value cache in which each prompt is
 * stored once.
 *
 * <p>Prefill runs the P prompts as one batch, right-padded to the longest; causal attention keeps
 * padding out of every valid position, and the padded key columns are masked in later steps. Per
 * layer the cache holds the prompt keys {@code [P, Hkv, d, Lp]} and values {@code [P, Hkv, Lp, d]},
 * plus each stream's own suffix keys {@code [S, Hkv, d, t]} and values {@code [S, Hkv, t, d]}. A
 * decoding step stacks the queries of a prompt's G streams (and of the query heads sharing a
 * key/value head) into one matrix, {@code [P, Hkv, G * rep, d]}, and multiplies it by the prompt
 * keys once: the prompt cache is never copied per stream. Scores against the prompt and against the
 * stream's own suffix share one softmax. The new token's position is its prompt's length plus the
 * tokens generated so far.
 *
 * <p>{@link #logits()} is float32 as the interface asks; {@link #modelLogits()} gives the same
 * logits in the model's float type (float64 for exact tests). Both are freed by the next {@link
 * #append}. Intended for inference: call it outside a gradient collector.
 */
public final class CachedDecoder implements IncrementalDecoder {

    private final CausalTransformer model;
    private final ParameterStore store;
    private final NDManager manager;
    private final int promptCount;
    private final int samples;
    private final int streams;
    private final int[] promptLengths;
    private final int promptWidth;
    private final int heads;
    private final int kvHeads;
    private final int headDim;
    private final NDArray promptMask;
    private final NDArray[] promptKeys;
    private final NDArray[] promptValues;
    private final NDArray[] suffixKeys;
    private final NDArray[] suffixValues;
    private int generated;
    private NDArray modelLogits;
    private NDArray logits;

    CachedDecoder(
            CausalTransformer model,
            ParameterStore store,
            NDManager parent,
            int[][] prompts,
            int samplesPerPrompt) {
        TransformerConfig config = model.config();
        Checks.require(prompts.length > 0, "nothing to decode: no prompts");
        Checks.positive("samplesPerPrompt", samplesPerPrompt);
        this.model = model;
        this.store = store;
        this.promptCount = prompts.length;
        this.samples = samplesPerPrompt;
        this.streams = Math.multiplyExact(prompts.length, samplesPerPrompt);
        this.promptLengths = new int[promptCount];
        int width = 0;
        for (int p = 0; p < promptCount; p++) {
            int[] prompt = prompts[p];
            Checks.require(prompt.length > 0, "prompt %d is empty", p);
            Checks.require(
                    prompt.length <= config.maxSequenceLength(),
                    "prompt %d has %d tokens, more than the maximum length %d",
                    p,
                    prompt.length,
                    config.maxSequenceLength());
            for (int i = 0; i < prompt.length; i++) {
                checkToken(prompt[i], config.vocabSize(), "prompt " + p + " token " + i);
            }
            promptLengths[p] = prompt.length;
            width = Math.max(width, prompt.length);
        }
        this.promptWidth = width;
        this.heads = config.heads();
        this.kvHeads = config.kvHeads();
        this.headDim = config.headDim();
        int layerCount = config.layers();
        this.promptKeys = new NDArray[layerCount];
        this.promptValues = new NDArray[layerCount];
        this.suffixKeys = new NDArray[layerCount];
        this.suffixValues = new NDArray[layerCount];
        this.manager = parent.newSubManager();
        this.manager.setName("kv-cache");
        this.promptMask = paddingMask(manager, promptLengths, width, model.dataType());
        prefill(prompts);
    }

    private static void checkToken(int id, int vocab, String where) {
        if (id < 0 || id >= vocab) {
            throw new IllegalArgumentException(
                    String.format(
                            "%s has id %d, outside the vocabulary [0, %d)", where, id, vocab));
        }
    }

    /** {@code [P, 1, 1, Lp]}: 0 for a prompt token, the masked score for a padding column. */
    private static NDArray paddingMask(
            NDManager manager, int[] lengths, int width, DataType dataType) {
        double[] mask = new double[lengths.length * width];
        for (int p = 0; p < lengths.length; p++) {
            for (int t = lengths[p]; t < width; t++) {
                mask[p * width + t] = CausalAttention.MASKED_SCORE;
            }
        }
        return manager.create(mask, new Shape(lengths.length, 1, 1, width)).toType(dataType, false);
    }

    private void prefill(int[][] prompts) {
        try (NDManager step = manager.newSubManager()) {
            int[] tokens = new int[promptCount * promptWidth];
            long[] last = new long[promptCount];
            for (int p = 0; p < promptCount; p++) {
                System.arraycopy(prompts[p], 0, tokens, p * promptWidth, prompts[p].length);
                last[p] = (long) p * promptWidth + prompts[p].length - 1;
            }
            NDArray ids = step.create(tokens, new Shape(promptCount, promptWidth));
            NDArray hidden = model.hiddenStates(store, ids, null, this::prefillAttention, false);
            NDArray lastHidden =
                    hidden.reshape((long) promptCount * promptWidth, -1)
                            .get(new NDIndex("{}", step.create(last)));
            NDArray promptLogits = model.lmHead(store, lastHidden, false);
            long[] promptOfStream = new long[streams];
            for (int s = 0; s < streams; s++) {
                promptOfStream[s] = s / samples;
            }
            setLogits(promptLogits.get(new NDIndex("{}", step.create(promptOfStream))));
        }
    }

    /** Plain causal attention over the padded prompts that also stores their keys and values. */
    private SelfAttention prefillAttention(int layer) {
        return (q, k, v) -> {
            long p = promptCount;
            long lp = promptWidth;
            // The reshape through [P * Hkv, ...] cannot be a view, so the cache is contiguous.
            NDArray keys =
                    k.transpose(0, 2, 3, 1)
                            .reshape(p * kvHeads, headDim, lp)
                            .reshape(p, kvHeads, headDim, lp);
            NDArray values =
                    v.transpose(0, 2, 1, 3)
                            .reshape(p * kvHeads, lp, headDim)
                            .reshape(p, kvHeads, lp, headDim);
            keys.attach(manager);
            values.attach(manager);
            promptKeys[layer] = keys;
            promptValues[layer] = values;
            return CausalAttention.causal(q, k, v);
        };
    }

    /** One new token per stream against the shared prompt cache and the stream's own suffix. */
    private SelfAttention stepAttention(int layer) {
        return (q, k, v) -> {
            appendToSuffix(layer, k, v);
            long p = promptCount;
            long g = samples;
            long s = streams;
            long rep = heads / kvHeads;
            long lp = promptWidth;
            long d = headDim;
            double scale = 1.0 / Math.sqrt(d);
            // [S, 1, H, d] = [P, G, Hkv, rep, d] -> [P, Hkv, G * rep, d]
            NDArray grouped =
                    q.reshape(p, g, kvHeads, rep, d)
                            .transpose(0, 2, 1, 3, 4)
                            .reshape(p, kvHeads, g * rep, d);
            NDArray promptScores =
                    grouped.matMul(promptKeys[layer])
                            .mul(scale)
                            .add(promptMask)
                            .reshape(p, kvHeads, g, rep, lp)
                            .transpose(0, 2, 1, 3, 4)
                            .reshape(s, kvHeads, rep, lp);
            NDArray ownScores = q.reshape(s, kvHeads, rep, d).matMul(suffixKeys[layer]).mul(scale);
            NDArray weights = NDArrays.concat(new NDList(promptScores, ownScores), 3).softmax(3);
            NDArray fromPrompt =
                    weights.get(new NDIndex("..., :{}", lp))
                            .reshape(p, g, kvHeads, rep, lp)
                            .transpose(0, 2, 1, 3, 4)
                            .reshape(p, kvHeads, g * rep, lp)
                            .matMul(promptValues[layer])
                            .reshape(p, kvHeads, g, rep, d)
                            .transpose(0, 2, 1, 3, 4)
                            .reshape(s, kvHeads, rep, d);
            NDArray fromOwn = weights.get(new NDIndex("..., {}:", lp)).matMul(suffixValues[layer]);
            return fromPrompt.add(fromOwn).reshape(s, 1, heads, d);
        };
    }

    private void appendToSuffix(int layer, NDArray k, NDArray v) {
        NDArray newKeys = k.transpose(0, 2, 3, 1); // [S, Hkv, d, 1]
        NDArray newValues = v.transpose(0, 2, 1, 3); // [S, Hkv, 1, d]
        NDArray oldKeys = suffixKeys[layer];
        NDArray oldValues = suffixValues[layer];
        NDArray keys = oldKeys == null ? newKeys : oldKeys.concat(newKeys, 3);
        NDArray values = oldValues == null ? newValues : oldValues.concat(newValues, 2);
        keys.attach(manager);
        values.attach(manager);
        suffixKeys[layer] = keys;
        suffixValues[layer] = values;
        if (oldKeys != null) {
            oldKeys.close();
            oldValues.close();
        }
    }

    private void setLogits(NDArray next) {
        if (logits != null) {
            if (logits != modelLogits) {
                logits.close();
            }
            modelLogits.close();
        }
        next.attach(manager);
        modelLogits = next;
        logits =
                next.getDataType() == DataType.FLOAT32
                        ? next
                        : next.toType(DataType.FLOAT32, false);
    }

    @Override
    public int streamCount() {
        return streams;
    }

    @Override
    public int generatedLength() {
        return generated;
    }

    @Override
    public NDArray logits() {
        return logits;
    }

    /**
     * The logits predicting every stream's next token, in the model's float type.
     *
     * @return {@code [S, V]}, valid until the next {@link #append(int[])}
     */
    public NDArray modelLogits() {
        return modelLogits;
    }

    @Override
    public void append(int[] tokens) {
        Checks.require(
                tokens.length == streams,
                "expected %d tokens, one per stream, but got %d",
                streams,
                tokens.length);
        int vocab = model.vocabSize();
        long[] positions = new long[streams];
        for (int s = 0; s < streams; s++) {
            checkToken(tokens[s], vocab, "token of stream " + s);
            int length = promptLengths[s / samples] + generated + 1;
            Checks.require(
                    length <= model.maxSequenceLength(),
                    "stream %d would have %d tokens, more than the maximum length %d",
                    s,
                    length,
                    model.maxSequenceLength());
            positions[s] = length - 1;
        }
        try (NDManager step = manager.newSubManager()) {
            NDArray ids = step.create(tokens, new Shape(streams, 1));
            NDArray positionIds = step.create(positions, new Shape(streams, 1));
            NDArray hidden =
                    model.hiddenStates(store, ids, positionIds, this::stepAttention, false);
            setLogits(model.lmHead(store, hidden.reshape(streams, -1), false));
        }
        generated++;
    }

    @Override
    public void close() {
        manager.close();
    }
}
