package dev.grpo4j.core.policy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

/**
 * A causal language-model policy: token ids in, next-token logits out.
 *
 * <p>Rows never see each other, and position {@code t} of a row sees only positions {@code <= t} of
 * the same row. The policy's parameters live in {@link #block()}, which the trainer hands to a DJL
 * {@code Model}; the forward methods take the {@link ParameterStore} to read them through, as DJL
 * blocks do.
 *
 * <p>Memory: results are attached to the manager of the input arrays (token ids), so that a caller
 * who builds its inputs in a per-step manager frees everything with that manager.
 */
public interface CausalLmPolicy {

    /**
     * The DJL block that owns the parameters.
     *
     * @return the block
     */
    Block block();

    /**
     * The vocabulary size V: valid token ids are {@code 0..V-1}.
     *
     * @return V
     */
    int vocabSize();

    /**
     * The longest sequence (prompt plus completion) the policy can process.
     *
     * @return the maximum length in tokens
     */
    int maxSequenceLength();

    /**
     * Next-token logits for every position of every row.
     *
     * @param store the parameter store to read parameters through
     * @param tokenIds {@code [N, L]} int32 token ids; rows are independent sequences
     * @param positionIds {@code [N, L]} int32 positions, or null for {@code 0..L-1} in every row
     * @param training true when gradients are being recorded
     * @return {@code [N, L, V]} logits; entry {@code [n, t]} predicts token {@code t+1} of row n
     * @throws IllegalArgumentException if an id is outside the vocabulary or L exceeds {@link
     *     #maxSequenceLength()}
     */
    NDArray logits(ParameterStore store, NDArray tokenIds, NDArray positionIds, boolean training);

    /**
     * Starts incremental decoding: encodes each prompt once and shares its key/value cache among
     * {@code samplesPerPrompt} streams.
     *
     * @param store the parameter store to read parameters through
     * @param manager the manager that will own the cache; closed with the decoder
     * @param prompts P prompts, each non-empty
     * @param samplesPerPrompt G streams per prompt; stream s belongs to prompt {@code s / G}
     * @return the decoder, positioned after the prompts
     */
    IncrementalDecoder newDecoder(
            ParameterStore store, NDManager manager, int[][] prompts, int samplesPerPrompt);

    /**
     * A copy of this policy with the same architecture and the current parameter values, whose
     * parameters never receive gradients: the frozen reference for the KL term.
     *
     * @param manager the manager that will own the copy's parameters
     * @return the frozen copy
     */
    CausalLmPolicy frozenCopy(NDManager manager);
}
