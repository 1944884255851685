/**
 * What the example mains share: command-line options ({@code --steps --seed --out --quick}), and
 * the report that compares an estimator with its GRPO baseline (CSV, PNG chart and the {@code
 * FINAL} line).
 */
package dev.grpo4j.examples.support;
