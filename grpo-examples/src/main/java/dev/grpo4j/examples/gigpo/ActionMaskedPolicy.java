package dev.grpo4j.examples.gigpo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.grpo4j.core.policy.CausalLmPolicy;
import dev.grpo4j.core.policy.IncrementalDecoder;
import java.util.Arrays;
import java.util.Objects;

/**
 * A policy restricted to a set of action tokens: every other token's logit is lowered by {@value
 * #MASK}, so its probability is zero in float32 and the policy samples and scores actions only
 * (action masking, as agent frameworks constrain decoding to the valid action format).
 *
 * <p>The same mask applies when sampling ({@link #newDecoder}) and when the trainer computes
 * log-probabilities ({@link #logits}), so sampling and training see one distribution and the
 * importance ratio starts at 1. The mask is finite rather than minus infinity so that masked tokens
 * contribute exactly 0 (not NaN) to entropies. Parameters are the wrapped policy's own.
 */
public final class ActionMaskedPolicy implements CausalLmPolicy {

    /** What masked logits are lowered by: {@value}. */
    public static final float MASK = -1e4f;

    private final CausalLmPolicy inner;
    private final int[] allowed;
    private final float[] mask;

    /**
     * Wraps a policy.
     *
     * @param inner the policy whose parameters are trained
     * @param allowedTokens the token ids the policy may produce, at least one, each in the
     *     vocabulary
     * @throws IllegalArgumentException naming a token outside the vocabulary, or if none is given
     */
    public ActionMaskedPolicy(CausalLmPolicy inner, int... allowedTokens) {
        this.inner = Objects.requireNonNull(inner, "inner");
        if (allowedTokens.length == 0) {
            throw new IllegalArgumentException("at least one token must stay allowed");
        }
        this.allowed = allowedTokens.clone();
        this.mask = new float[inner.vocabSize()];
        Arrays.fill(mask, MASK);
        for (int t : allowedTokens) {
            if (t < 0 || t >= mask.length) {
                throw new IllegalArgumentException(
                        "allowed token "
                                + t
                                + " lies outside the vocabulary [0, "
                                + mask.length
                                + ")");
            }
            mask[t] = 0f;
        }
    }

    /**
     * The allowed token ids.
     *
     * @return a copy
     */
    public int[] allowedTokens() {
        return allowed.clone();
    }

    /**
     * The wrapped policy's block (its parameters are this policy's).
     *
     * @return the block
     */
    @Override
    public Block block() {
        return inner.block();
    }

    /**
     * The wrapped policy's vocabulary size.
     *
     * @return V
     */
    @Override
    public int vocabSize() {
        return inner.vocabSize();
    }

    /**
     * The wrapped policy's maximum sequence length.
     *
     * @return the length in tokens
     */
    @Override
    public int maxSequenceLength() {
        return inner.maxSequenceLength();
    }

    /**
     * The wrapped policy's logits with the mask added over the vocabulary axis.
     *
     * @param store the parameter store
     * @param tokenIds {@code [B, T]} token ids
     * @param positionIds {@code [B, T]} positions, or null
     * @param training whether gradients are recorded
     * @return {@code [B, T, V]} masked logits, attached where the wrapped policy attaches its own
     */
    @Override
    public NDArray logits(
            ParameterStore store, NDArray tokenIds, NDArray positionIds, boolean training) {
        NDArray raw = inner.logits(store, tokenIds, positionIds, training);
        return masked(raw);
    }

    /**
     * A decoder whose logits carry the mask.
     *
     * @param store the parameter store
     * @param manager owns the cache and the masked logits
     * @param prompts the prompts
     * @param samplesPerPrompt G
     * @return the decoder
     */
    @Override
    public IncrementalDecoder newDecoder(
            ParameterStore store, NDManager manager, int[][] prompts, int samplesPerPrompt) {
        IncrementalDecoder decoder = inner.newDecoder(store, manager, prompts, samplesPerPrompt);
        return new IncrementalDecoder() {
            private NDArray last;

            @Override
            public int streamCount() {
                return decoder.streamCount();
            }

            @Override
            public int generatedLength() {
                return decoder.generatedLength();
            }

            @Override
            public NDArray logits() {
                // Like the wrapped decoder, keep only the latest logits alive.
                if (last != null) {
                    last.close();
                }
                last = masked(decoder.logits());
                return last;
            }

            @Override
            public void append(int[] tokens) {
                decoder.append(tokens);
            }

            @Override
            public void close() {
                if (last != null) {
                    last.close();
                    last = null;
                }
                decoder.close();
            }
        };
    }

    /**
     * A frozen copy of the wrapped policy under the same mask.
     *
     * @param manager owns the copy's parameters
     * @return the copy
     */
    @Override
    public CausalLmPolicy frozenCopy(NDManager manager) {
        return new ActionMaskedPolicy(inner.frozenCopy(manager), allowed);
    }

    private NDArray masked(NDArray logits) {
        try (NDArray m = logits.getManager().create(mask);
                NDArray typed = m.toType(logits.getDataType(), false)) {
            return logits.add(typed);
        }
    }
}
