/**
 * Benchmarks: mains that measure and print Markdown tables for docs/benchmarks.md, and
 * machine-readable {@code RESULT} lines where scripts read them; timing lives here, never in unit
 * tests.
 */
package dev.grpo4j.examples.bench;
