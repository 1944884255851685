package dev.grpo4j.prefix.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.grpo4j.core.policy.IncrementalDecoder;
import dev.grpo4j.core.util.Checks;
import java.util.Arrays;

/**
 * The uncached baseline for {@link SamplingThroughput}: every step re-encodes every stream's whole
 * sequence (its own copy of the prompt plus its tokens so far) with plain causal attention and
 * keeps the logits of each stream's last position.
 */
final class RecomputingDecoder implements IncrementalDecoder {

    private final CausalTransformer model;
    private final ParameterStore store;
    private final NDManager manager;
    private final int streams;
    private final int[][] sequences;
    private int generated;
    private NDArray logits;

    RecomputingDecoder(
            CausalTransformer model,
            ParameterStore store,
            NDManager parent,
            int[][] prompts,
            int samplesPerPrompt) {
        Checks.require(prompts.length > 0, "nothing to decode: no prompts");
        Checks.positive("samplesPerPrompt", samplesPerPrompt);
        this.model = model;
        this.store = store;
        this.streams = Math.multiplyExact(prompts.length, samplesPerPrompt);
        this.sequences = new int[streams][];
        for (int s = 0; s < streams; s++) {
            sequences[s] = prompts[s / samplesPerPrompt].clone();
        }
        this.manager = parent.newSubManager();
        recompute();
    }

    private void recompute() {
        int width = 0;
        for (int[] sequence : sequences) {
            width = Math.max(width, sequence.length);
        }
        int[] tokens = new int[streams * width];
        long[] last = new long[streams];
        for (int s = 0; s < streams; s++) {
            System.arraycopy(sequences[s], 0, tokens, s * width, sequences[s].length);
            last[s] = (long) s * width + sequences[s].length - 1;
        }
        try (NDManager step = manager.newSubManager()) {
            NDArray ids = step.create(tokens, new Shape(streams, width));
            NDArray hidden =
                    model.hidden(store, ids, null, CausalTransformer.plainAttention(), false);
            NDArray lastHidden =
                    hidden.reshape((long) streams * width, -1)
                            .get(new NDIndex("{}", step.create(last)));
            NDArray next = model.lmHead(store, lastHidden, false).toType(DataType.FLOAT32, false);
            next.attach(manager);
            if (logits != null) {
                logits.close();
            }
            logits = next;
        }
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

    @Override
    public void append(int[] tokens) {
        Checks.require(
                tokens.length == streams,
                "expected %d tokens, one per stream, but got %d",
                streams,
                tokens.length);
        for (int s = 0; s < streams; s++) {
            int[] sequence = Arrays.copyOf(sequences[s], sequences[s].length + 1);
            sequence[sequence.length - 1] = tokens[s];
            sequences[s] = sequence;
        }
        generated++;
        recompute();
    }

    @Override
    public void close() {
        manager.close();
    }
}
