/** Benchmarks: mains that measure and print Markdown tables for docs/benchmarks.md. */
package dev.grpo4j.examples.bench;
