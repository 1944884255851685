/**
 * grpo4j core: the data model (rollouts, trajectories), rewards, the advantage-estimator SPI, the
 * policy-gradient loss, the policy and sampler SPIs, and the trainer loop.
 *
 * <p>See {@code docs/ARCHITECTURE.md} for the data flow through these packages.
 */
package dev.grpo4j.core;
