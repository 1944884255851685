/**
 * Prefix Grouper's shared-prefix computation for GRPO training: a group's prompt is encoded once
 * and shared by its G completions, with outputs and gradients equal to the plain computation.
 */
package dev.grpo4j.prefix;
