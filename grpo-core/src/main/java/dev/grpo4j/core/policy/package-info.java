/**
 * The policy side of training: {@link dev.grpo4j.core.policy.CausalLmPolicy} (a DJL block from
 * token ids to next-token logits, with incremental decoding), the {@link
 * dev.grpo4j.core.policy.LogProbComputer} SPI with its plain implementation (the prompt repeated
 * for every completion), and the {@link dev.grpo4j.core.policy.Sampler} that draws G completions
 * per prompt from a shared prompt cache.
 */
package dev.grpo4j.core.policy;
