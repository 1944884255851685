/**
 * Rewards: the {@link dev.grpo4j.core.reward.RewardFunction} interface, weighted combination of several
 * functions with TRL's two aggregations, a parallel evaluator with per-call timeouts and clear failures,
 * and built-in rewards.
 */
package dev.grpo4j.core.reward;
