/**
 * The advantage-estimator SPI: {@link dev.grpo4j.core.advantage.AdvantageEstimator} turns scored
 * rollouts or trajectories ({@link dev.grpo4j.core.advantage.AdvantageInput}) into {@link
 * dev.grpo4j.core.advantage.Advantages} per rollout, per step, per rank or per token. The
 * estimators themselves (GRPO, GiGPO, SPO, Rank-GRPO) live in the {@code grpo-advantage} module.
 */
package dev.grpo4j.core.advantage;
