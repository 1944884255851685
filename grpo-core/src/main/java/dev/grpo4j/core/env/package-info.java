/**
 * Multi-turn agent environments: the {@link dev.grpo4j.core.env.Environment} a policy acts in, turn
 * by turn, with observations, anchor-state keys (for GiGPO's step groups), step rewards and a done
 * flag.
 */
package dev.grpo4j.core.env;
