/**
 * Rewards: the {@link dev.grpo4j.core.reward.RewardFunction} interface, weighted combination of
 * several functions with TRL's two aggregations, a parallel evaluator with per-call timeouts and
 * clear failures, and built-in rewards.
 *
 * <p>The flow: each sampled completion becomes a {@link dev.grpo4j.core.reward.Completion} (prompt,
 * token ids, decoded text, truncated flag, batch index). A {@link
 * dev.grpo4j.core.reward.RewardEvaluator} scores the batch with every function of a {@link
 * dev.grpo4j.core.reward.RewardSet} and returns a {@link dev.grpo4j.core.reward.RewardMatrix}
 * ({@code [B][K]}, NaN = not applicable), whose {@code combine} applies a {@link
 * dev.grpo4j.core.reward.RewardAggregation} to give one reward per completion. Centring and scaling
 * that reward into an advantage is the advantage estimator's job. Ranked-list completions take the
 * same path with {@link dev.grpo4j.core.reward.ItemRewardFunction}, {@link
 * dev.grpo4j.core.reward.ItemRewardSet} and {@link dev.grpo4j.core.reward.ItemRewardMatrix}.
 *
 * <p>Built-in rewards: {@link dev.grpo4j.core.reward.ExactMatchReward}, {@link
 * dev.grpo4j.core.reward.RegexFormatReward}, {@link dev.grpo4j.core.reward.LengthPenaltyReward} and
 * DAPO's {@link dev.grpo4j.core.reward.OverlongPenaltyReward}.
 */
package dev.grpo4j.core.reward;
