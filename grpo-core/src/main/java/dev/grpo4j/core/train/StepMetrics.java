package dev.grpo4j.core.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The metrics of one training step, named as TRL names them (see {@code docs/METRICS.md}): {@code
 * reward}, {@code reward_std}, {@code frac_reward_zero_std}, {@code rewards/<function>/mean|std},
 * {@code kl}, {@code entropy}, {@code clip_ratio/*}, {@code completions/*}, {@code grad_norm},
 * {@code learning_rate} (also as {@code lr}), {@code tokens/s} and more.
 *
 * @param step the 1-based number of completed training steps
 * @param values metric name to value, in insertion order
 * @param seconds wall time of the step
 */
public record StepMetrics(long step, Map<String, Double> values, double seconds) {

    /**
     * Copies the values into an unmodifiable ordered map.
     *
     * @param step the step
     * @param values the values
     * @param seconds the wall time
     */
    public StepMetrics {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /**
     * A metric's value.
     *
     * @param name the metric name
     * @return the value, or empty if this step did not record it
     */
    public OptionalDouble get(String name) {
        Double v = values.get(name);
        return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
    }

    /**
     * A metric's value, or a default.
     *
     * @param name the metric name
     * @param fallback returned when the metric is absent
     * @return the value or the fallback
     */
    public double getOrDefault(String name, double fallback) {
        Double v = values.get(name);
        return v == null ? fallback : v;
    }
}
