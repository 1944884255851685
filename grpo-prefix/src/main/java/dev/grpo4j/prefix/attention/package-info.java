/**
 * Attention kernels as DJL ops: plain causal attention, the shared-prefix attention op, and a
 * masked-attention reference used to prove the two agree.
 */
package dev.grpo4j.prefix.attention;
