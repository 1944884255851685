/**
 * Benchmarks as mains that print tables and machine-readable {@code RESULT} lines; timing lives
 * here, never in unit tests.
 */
package dev.grpo4j.examples.bench;
