/**
 * Checkpoints written atomically: a checkpoint directory appears complete or not at all, so a crash
 * or an exception while writing leaves the previous checkpoint intact.
 */
package dev.grpo4j.core.train.checkpoint;
