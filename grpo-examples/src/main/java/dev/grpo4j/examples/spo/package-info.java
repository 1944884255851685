/**
 * The parts of {@link dev.grpo4j.examples.SpoExample}: the recall task family with its 0/1 reward
 * ({@link dev.grpo4j.examples.spo.RecallTasks}), the exact accuracy measurement ({@link
 * dev.grpo4j.examples.spo.PoolEvaluator}), SPO's offline tracker initialisation ({@link
 * dev.grpo4j.examples.spo.OfflineEstimate}), the zero-advantage count ({@link
 * dev.grpo4j.examples.spo.AdvantageProbe}) and the per-run curves ({@link
 * dev.grpo4j.examples.spo.CurveRecorder}).
 */
package dev.grpo4j.examples.spo;
