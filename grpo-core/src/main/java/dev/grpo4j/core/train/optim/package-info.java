/**
 * Optimisation pieces the trainer owns so that a checkpoint can capture them exactly: an AdamW
 * optimizer with exportable moments, learning-rate schedules, and global gradient-norm clipping.
 */
package dev.grpo4j.core.train.optim;
