/**
 * Advantage estimators of the GRPO family, each an {@link
 * dev.grpo4j.core.advantage.AdvantageEstimator} with a plain-array method for JShell: {@link
 * dev.grpo4j.advantage.GrpoAdvantage} (group-relative, TRL and verl variants), {@link
 * dev.grpo4j.advantage.GigpoAdvantage} (GiGPO's episode plus anchor-state step advantages), {@link
 * dev.grpo4j.advantage.SpoAdvantage} (single-stream, with its {@link
 * dev.grpo4j.advantage.SpoPromptSampler}) and {@link dev.grpo4j.advantage.RankGrpoAdvantage}
 * (per-rank advantages for ranked lists). The numeric work runs on ND4J, vectorised over the whole
 * batch; the formulas, options and the differences between reference implementations are in {@code
 * docs/algorithms/}.
 */
package dev.grpo4j.advantage;
