package dev.grpo4j.core.policy;

import ai.djl.training.ParameterStore;
import dev.grpo4j.core.rollout.RolloutBatch;

/**
 * Computes per-token completion log-probabilities and entropies for a {@link RolloutBatch}: the SPI
 * behind the trainer's old-, reference- and current-policy passes.
 *
 * <p>Implementations must give the same numbers (up to float reordering): {@link
 * PlainLogProbComputer} repeats each group's prompt for every completion; {@code
 * dev.grpo4j.prefix.SharedPrefixLogProbComputer} encodes each prompt once per group.
 */
public interface LogProbComputer {

    /**
     * Computes log-probs and entropies of every completion token.
     *
     * @param policy the policy
     * @param store the parameter store to read parameters through
     * @param batch the rollouts; the results are attached to its manager
     * @param temperature the sampling temperature the logits are divided by ({@code > 0}), as TRL
     *     does
     * @param training true to record gradients
     * @return {@code [B, T]} log-probs and entropies of the batch's float type
     */
    TokenLogProbs compute(
            CausalLmPolicy policy,
            ParameterStore store,
            RolloutBatch batch,
            double temperature,
            boolean training);

    /**
     * As {@link #compute(CausalLmPolicy, ParameterStore, RolloutBatch, double, boolean)}, with
     * entropies that carry gradient when {@code differentiableEntropy} is set: what an entropy
     * bonus in the loss ({@code entropy_coeff > 0}) needs. The built-in computers support it; the
     * default refuses it, so a custom computer cannot silently ignore the bonus.
     *
     * @param policy the policy
     * @param store the parameter store to read parameters through
     * @param batch the rollouts; the results are attached to its manager
     * @param temperature the sampling temperature the logits are divided by ({@code > 0})
     * @param training true to record gradients
     * @param differentiableEntropy whether the entropies must be differentiable
     * @return {@code [B, T]} log-probs and entropies of the batch's float type
     * @throws UnsupportedOperationException if differentiable entropies are asked for and this
     *     computer does not provide them
     */
    default TokenLogProbs compute(
            CausalLmPolicy policy,
            ParameterStore store,
            RolloutBatch batch,
            double temperature,
            boolean training,
            boolean differentiableEntropy) {
        if (differentiableEntropy) {
            throw new UnsupportedOperationException(
                    getClass().getName()
                            + " does not compute differentiable entropies, which an entropy"
                            + " bonus (entropy_coeff > 0) needs");
        }
        return compute(policy, store, batch, temperature, training);
    }
}
