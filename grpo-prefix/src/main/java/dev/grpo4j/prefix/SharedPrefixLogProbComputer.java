package dev.grpo4j.prefix;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.ParameterStore;
import dev.grpo4j.core.policy.CausalLmPolicy;
import dev.grpo4j.core.policy.LogProbComputer;
import dev.grpo4j.core.policy.PlainLogProbComputer;
import dev.grpo4j.core.policy.TokenLogProbs;
import dev.grpo4j.core.rollout.RolloutBatch;
import dev.grpo4j.core.util.Checks;
import dev.grpo4j.prefix.attention.SharedPrefixAttention;
import dev.grpo4j.prefix.layout.PrefixLayout;
import dev.grpo4j.prefix.layout.PrefixLayoutArrays;
import dev.grpo4j.prefix.model.CausalTransformer;

/**
 * A {@link LogProbComputer} that encodes each group's prompt once (Prefix Grouper): the batch is
 * packed into one row per group, {@code [prompt; completion 1; ...; completion G]}, and the {@link
 * CausalTransformer} runs once over the packed rows with {@link SharedPrefixAttention}. Embeddings,
 * norms, projections and the MLP therefore see {@code Lp + sum Ls} tokens per group instead of
 * {@code G Lp + sum Ls}.
 *
 * <p>Only the hidden states that predict completion tokens (the last prompt position for each
 * completion's first token, then the completion's own positions) go through the language-model
 * head, so prompt positions never pay for the vocabulary projection. Log-probs and entropies equal
 * those of {@link PlainLogProbComputer} up to float reordering, and so do all parameter gradients.
 *
 * <p>Every completion must have at least one token, and every prompt plus completion must fit the
 * model's maximum length; violations raise an {@link IllegalArgumentException} naming the offending
 * group or completion. The packed inputs, the layout's index arrays and all activations live in the
 * batch's manager (the arrays in a sub-manager of it), so closing the batch frees them; results are
 * attached to the batch's manager.
 */
public final class SharedPrefixLogProbComputer implements LogProbComputer {

    /** Creates the computer; it is stateless and thread-safe. */
    public SharedPrefixLogProbComputer() {}

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if the policy is not a {@link CausalTransformer}, a
     *     completion is empty, a prompt plus completion exceeds the maximum length or a token id
     *     lies outside the vocabulary
     */
    @Override
    public TokenLogProbs compute(
            CausalLmPolicy policy,
            ParameterStore store,
            RolloutBatch batch,
            double temperature,
            boolean training) {
        return compute(policy, store, batch, temperature, training, false);
    }

    @Override
    public TokenLogProbs compute(
            CausalLmPolicy policy,
            ParameterStore store,
            RolloutBatch batch,
            double temperature,
            boolean training,
            boolean differentiableEntropy) {
        Checks.positive("temperature", temperature);
        Checks.require(
                policy instanceof CausalTransformer,
                "shared-prefix log-probs need a CausalTransformer, whose attention step can be"
                        + " replaced, but the policy is a %s",
                policy.getClass().getName());
        CausalTransformer model = (CausalTransformer) policy;
        PrefixLayout layout =
                PrefixLayout.builder(batch)
                        .optMaxLength(model.maxSequenceLength())
                        .optVocabSize(model.vocabSize())
                        .build();
        NDManager manager = batch.manager();
        // The arrays must outlive this call: backward reads the index maps. They close with the
        // batch.
        PrefixLayoutArrays arrays = layout.toArrays(manager);
        // The model attaches its activations to the manager of its input ids: make that the
        // batch's.
        NDArray tokenIds = inBatch(arrays.tokenIds(), manager);
        NDArray positionIds = inBatch(arrays.positionIds(), manager);
        NDArray hidden =
                model.hidden(
                        store, tokenIds, positionIds, new SharedPrefixAttention(arrays), training);
        long width = hidden.getShape().get(2);
        long n = layout.completionCount();
        long ls = layout.maxSuffixLength();
        NDArray predicting =
                hidden.reshape(-1, width)
                        .get(new NDIndex("{}", arrays.predictingPositions()))
                        .reshape(n, ls, width);
        NDArray logits = model.lmHead(store, predicting, training);
        return TokenLogProbs.fromLogits(
                logits,
                batch.completionIds(),
                batch.completionMask(),
                temperature,
                differentiableEntropy);
    }

    private static NDArray inBatch(NDArray array, NDManager manager) {
        NDArray copy = array.duplicate();
        copy.attach(manager);
        return copy;
    }
}
