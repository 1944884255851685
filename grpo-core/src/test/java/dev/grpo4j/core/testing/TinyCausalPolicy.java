package dev.grpo4j.core.testing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.grpo4j.core.policy.CausalLmPolicy;
import dev.grpo4j.core.policy.IncrementalDecoder;
import dev.grpo4j.core.util.Checks;

/**
 * A deliberately small causal policy for tests: {@code h_t = tanh(E[x_t] + P[t] + mean_{s<=t}
 * C[x_s])}, {@code logits_t = h_t W + b}. The running mean gives every position a view of the whole
 * prefix, so the policy can learn prompt-dependent answers, yet decoding needs only a running sum
 * per stream.
 */
public final class TinyCausalPolicy extends AbstractBlock implements CausalLmPolicy {

    private final int vocab;
    private final int hidden;
    private final int maxLength;
    private final Parameter tokenEmbedding;
    private final Parameter contextEmbedding;
    private final Parameter positionEmbedding;
    private final Parameter outputWeight;
    private final Parameter outputBias;

    /**
     * Creates an uninitialised policy.
     *
     * @param vocab vocabulary size
     * @param hidden hidden width
     * @param maxLength maximum sequence length
     */
    public TinyCausalPolicy(int vocab, int hidden, int maxLength) {
        this.vocab = vocab;
        this.hidden = hidden;
        this.maxLength = maxLength;
        tokenEmbedding = addParameter(param("token_embedding", new Shape(vocab, hidden)));
        contextEmbedding = addParameter(param("context_embedding", new Shape(vocab, hidden)));
        positionEmbedding = addParameter(param("position_embedding", new Shape(maxLength, hidden)));
        outputWeight = addParameter(param("output_weight", new Shape(hidden, vocab)));
        outputBias =
                addParameter(
                        Parameter.builder()
                                .setName("output_bias")
                                .setType(Parameter.Type.BIAS)
                                .optShape(new Shape(vocab))
                                .build());
    }

    /**
     * Creates and initialises a policy in {@code manager}.
     *
     * @param manager owns the parameters
     * @param vocab vocabulary size
     * @param hidden hidden width
     * @param maxLength maximum sequence length
     * @param dataType float32 or float64
     * @return the initialised policy
     */
    public static TinyCausalPolicy create(
            NDManager manager, int vocab, int hidden, int maxLength, DataType dataType) {
        TinyCausalPolicy p = new TinyCausalPolicy(vocab, hidden, maxLength);
        p.initialize(manager, dataType, new Shape(1, 1));
        return p;
    }

    private static Parameter param(String name, Shape shape) {
        return Parameter.builder()
                .setName(name)
                .setType(Parameter.Type.WEIGHT)
                .optShape(shape)
                .build();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        return new NDList(logits(store, inputs.head(), null, training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {new Shape(in.get(0), in.get(1), vocab)};
    }

    @Override
    public ai.djl.nn.Block block() {
        return this;
    }

    @Override
    public int vocabSize() {
        return vocab;
    }

    @Override
    public int maxSequenceLength() {
        return maxLength;
    }

    @Override
    public NDArray logits(
            ParameterStore store, NDArray tokenIds, NDArray positionIds, boolean training) {
        NDManager m = tokenIds.getManager();
        long n = tokenIds.getShape().get(0);
        long len = tokenIds.getShape().get(1);
        Checks.require(
                len <= maxLength, "sequence of %d tokens exceeds max length %d", len, maxLength);
        NDArray flat = tokenIds.reshape(-1).toType(DataType.INT64, false);
        NDArray e =
                value(store, tokenEmbedding, m)
                        .get(m, new NDIndex("{}", flat))
                        .reshape(n, len, hidden);
        NDArray c =
                value(store, contextEmbedding, m)
                        .get(m, new NDIndex("{}", flat))
                        .reshape(n, len, hidden);
        NDArray positions =
                positionIds == null
                        ? m.arange(0, (int) len, 1, DataType.INT64).reshape(1, len).repeat(0, n)
                        : positionIds.toType(DataType.INT64, false);
        NDArray p =
                value(store, positionEmbedding, m)
                        .get(m, new NDIndex("{}", positions.reshape(-1)))
                        .reshape(n, len, hidden);
        NDArray counts = m.arange(1, (int) len + 1, 1, e.getDataType()).reshape(1, len, 1);
        NDArray context = c.cumSum(1).div(counts);
        NDArray h = e.add(p).add(context).tanh();
        return h.matMul(value(store, outputWeight, m)).add(value(store, outputBias, m));
    }

    private static NDArray value(ParameterStore store, Parameter parameter, NDManager m) {
        NDArray array = store.getValue(parameter, m.getDevice(), true);
        return array;
    }

    @Override
    public IncrementalDecoder newDecoder(
            ParameterStore store, NDManager manager, int[][] prompts, int samplesPerPrompt) {
        return new Decoder(store, manager, prompts, samplesPerPrompt);
    }

    @Override
    public CausalLmPolicy frozenCopy(NDManager manager) {
        TinyCausalPolicy copy = new TinyCausalPolicy(vocab, hidden, maxLength);
        var source = getParameters();
        var target = copy.getParameters();
        for (int i = 0; i < source.size(); i++) {
            NDArray from = source.get(i).getValue().getArray();
            target.get(i)
                    .getValue()
                    .setInitializer(
                            (m, shape, type) -> {
                                NDArray value = from.stopGradient().duplicate();
                                value.attach(m);
                                return value;
                            });
        }
        copy.initialize(manager, tokenEmbedding.getArray().getDataType(), new Shape(1, 1));
        copy.freezeParameters(true);
        return copy;
    }

    /** Recomputes from the running sums; the "cache" is the per-stream token sum of C. */
    private final class Decoder implements IncrementalDecoder {
        private final ParameterStore store;
        private final NDManager manager;
        private final int streams;
        private final int[][] sequences;
        private int generated;
        private NDArray logits;

        Decoder(ParameterStore store, NDManager parent, int[][] prompts, int samples) {
            this.store = store;
            this.manager = parent.newSubManager();
            this.streams = prompts.length * samples;
            this.sequences = new int[streams][];
            for (int s = 0; s < streams; s++) {
                sequences[s] = prompts[s / samples].clone();
            }
            recompute();
        }

        private void recompute() {
            // A fixture: recomputing the last position is exact and simple.
            NDManager step = manager.newSubManager();
            int[] last = new int[streams];
            float[] all = null;
            for (int s = 0; s < streams; s++) {
                NDArray ids = step.create(sequences[s], new Shape(1, sequences[s].length));
                NDArray out = TinyCausalPolicy.this.logits(store, ids, null, false);
                NDArray row = out.get(0, sequences[s].length - 1).toType(DataType.FLOAT32, false);
                float[] v = row.toFloatArray();
                if (all == null) {
                    all = new float[streams * v.length];
                }
                System.arraycopy(v, 0, all, s * v.length, v.length);
                last[s] = s;
            }
            if (logits != null) {
                logits.close();
            }
            logits = manager.create(all, new Shape(streams, vocab));
            step.close();
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
                    tokens.length == streams, "expected %d tokens, got %d", streams, tokens.length);
            for (int s = 0; s < streams; s++) {
                int[] seq = java.util.Arrays.copyOf(sequences[s], sequences[s].length + 1);
                seq[seq.length - 1] = tokens[s];
                sequences[s] = seq;
            }
            generated++;
            recompute();
        }

        @Override
        public void close() {
            manager.close();
        }
    }
}
