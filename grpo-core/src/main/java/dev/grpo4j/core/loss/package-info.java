/**
 * The policy-gradient loss of GRPO and its successors as pure, differentiable math on DJL NDArrays
 * (ALGORITHMS.md section 2).
 *
 * <p>{@link dev.grpo4j.core.loss.PolicyGradientLoss} turns per-token log-probabilities, advantages
 * and a mask into a scalar loss plus TRL's and verl's diagnostics. Each choice is one object whose
 * constant carries its behaviour:
 *
 * <ul>
 *   <li>{@link dev.grpo4j.core.loss.LossType}: TRL's {@code loss_type} (surrogate plus default
 *       aggregation);
 *   <li>{@link dev.grpo4j.core.loss.Aggregation}: how per-token losses become one number (verl's
 *       {@code loss_agg_mode} and TRL's normalisers);
 *   <li>{@link dev.grpo4j.core.loss.ImportanceSampling}: token, sequence (GSPO) or item (Rank-GRPO)
 *       importance weights;
 *   <li>{@link dev.grpo4j.core.loss.KlEstimator}: the per-token KL penalty against a reference
 *       policy;
 *   <li>{@link dev.grpo4j.core.loss.ClipRange}: epsilon low and high, INTELLECT-2's delta and
 *       verl's dual clip.
 * </ul>
 *
 * <p>Inputs arrive as a {@link dev.grpo4j.core.loss.LossInput}; the result is a {@link
 * dev.grpo4j.core.loss.LossOutput}. The loss creates its intermediates in the manager of the
 * log-probs, so closing the caller's per-step manager frees them.
 */
package dev.grpo4j.core.loss;
