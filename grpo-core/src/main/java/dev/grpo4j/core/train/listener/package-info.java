/**
 * Training listeners: the {@link dev.grpo4j.core.train.listener.GrpoListener} SPI and the standard
 * listeners (SLF4J logging, a JSONL metrics file, a console progress bar, a PNG chart of the reward
 * and KL curves).
 */
package dev.grpo4j.core.train.listener;
