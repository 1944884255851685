/**
 * Immutable, validated value types for what a policy produced: single-turn {@link
 * dev.grpo4j.core.rollout.Rollout}s grouped by prompt in {@link
 * dev.grpo4j.core.rollout.RolloutGroup}, multi-turn {@link dev.grpo4j.core.rollout.Trajectory}s of
 * {@link dev.grpo4j.core.rollout.Step}s, and the padded NDArray view {@link
 * dev.grpo4j.core.rollout.RolloutBatch} that the loss consumes.
 */
package dev.grpo4j.core.rollout;
