/**
 * The advantage estimators: GRPO, GiGPO, SPO ({@link dev.grpo4j.advantage.SpoAdvantage} with its
 * {@link dev.grpo4j.advantage.SpoPromptSampler}) and Rank-GRPO ({@link
 * dev.grpo4j.advantage.RankGrpoAdvantage}). Each implements the core {@link
 * dev.grpo4j.core.advantage.AdvantageEstimator} SPI, does its numeric work on ND4J over the whole
 * batch, and has a plain-array method for JShell.
 */
package dev.grpo4j.advantage;
