/**
 * The training loop: {@code GrpoConfig}, {@code GrpoTrainer}, prompt sources, environments for
 * multi-turn agents, listeners, metrics and checkpoints.
 */
package dev.grpo4j.core.train;
