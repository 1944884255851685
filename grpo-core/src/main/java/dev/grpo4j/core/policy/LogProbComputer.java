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
}
