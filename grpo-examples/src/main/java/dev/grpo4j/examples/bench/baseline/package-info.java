/**
 * Plain-Java implementations of the advantage estimators, the baselines the ND4J estimators are
 * timed against in {@link dev.grpo4j.examples.bench.AdvantageBenchmark}. Not part of the library.
 */
package dev.grpo4j.examples.bench.baseline;
