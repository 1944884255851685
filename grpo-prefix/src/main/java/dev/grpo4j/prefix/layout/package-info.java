/**
 * The packed layout of Prefix Grouper: each prompt once, followed by its completions, with the
 * position ids and index maps that let the attention op and the output split treat every completion
 * as if it had its own copy of the prompt.
 */
package dev.grpo4j.prefix.layout;
