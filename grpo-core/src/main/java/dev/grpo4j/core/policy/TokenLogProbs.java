package dev.grpo4j.core.policy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.grpo4j.core.util.Scalars;

/**
 * Per-token log-probabilities and entropies of a batch's completion tokens under a policy.
 *
 * @param logProbs {@code [B, T]}: log pi(token | context), 0 at padding; differentiable when
 *     computed in training mode
 * @param entropies {@code [B, T]}: entropy (nats) of the next-token distribution at each completion
 *     position, 0 at padding; carries gradient only when asked for (the entropy bonus), since its
 *     backward keeps a further {@code [B, T, V]} array alive
 */
public record TokenLogProbs(NDArray logProbs, NDArray entropies) {

    /**
     * Turns the logits that predict each completion token into its log-prob and the distribution's
     * entropy: the last step shared by every {@link LogProbComputer}.
     *
     * @param logits {@code [B, T, V]} logits; entry {@code [b, t]} predicts completion token t of
     *     row b
     * @param targets {@code [B, T]} integer completion token ids
     * @param mask {@code [B, T]} 1 for a completion token, 0 for padding; its type is the result
     *     type
     * @param temperature the logits are divided by it, as when sampling ({@code > 0})
     * @return masked {@code [B, T]} log-probs (differentiable) and entropies (no gradient)
     */
    public static TokenLogProbs fromLogits(
            NDArray logits, NDArray targets, NDArray mask, double temperature) {
        return fromLogits(logits, targets, mask, temperature, false);
    }

    /**
     * As {@link #fromLogits(NDArray, NDArray, NDArray, double)}, with entropies that carry gradient
     * when {@code differentiableEntropy} is set (for an entropy bonus in the loss).
     *
     * @param logits {@code [B, T, V]} logits
     * @param targets {@code [B, T]} integer completion token ids
     * @param mask {@code [B, T]} 1 for a completion token, 0 for padding
     * @param temperature the logits are divided by it ({@code > 0})
     * @param differentiableEntropy whether the entropies are differentiable w.r.t. the logits
     * @return masked {@code [B, T]} log-probs and entropies
     */
    public static TokenLogProbs fromLogits(
            NDArray logits,
            NDArray targets,
            NDArray mask,
            double temperature,
            boolean differentiableEntropy) {
        DataType type = mask.getDataType();
        NDArray scaled = temperature == 1.0 ? logits : Scalars.div(logits, temperature);
        NDArray logSoftmax = scaled.logSoftmax(-1);
        NDArray index = targets.toType(DataType.INT64, false).expandDims(-1);
        NDArray picked = logSoftmax.gather(index, -1).squeeze(-1).toType(type, false).mul(mask);
        NDArray source = differentiableEntropy ? logSoftmax : logSoftmax.stopGradient();
        NDArray entropy =
                source.exp().mul(source).sum(new int[] {-1}).neg().toType(type, false).mul(mask);
        return new TokenLogProbs(picked, entropy);
    }
}
