/**
 * The transformer policy of the prefix module: {@link dev.grpo4j.prefix.model.CausalTransformer} (a
 * DJL block implementing the core {@code CausalLmPolicy}, with rotary positions, grouped-query
 * attention, SwiGLU and a tied head), its {@link dev.grpo4j.prefix.model.TransformerConfig}, the
 * key/value-cached {@link dev.grpo4j.prefix.model.CachedDecoder} whose prompt cache is shared by a
 * group's samples, and the {@link dev.grpo4j.prefix.model.SamplingThroughput} measurement.
 */
package dev.grpo4j.prefix.model;
