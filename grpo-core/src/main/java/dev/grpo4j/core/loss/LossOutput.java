package dev.grpo4j.core.loss;

import ai.djl.ndarray.NDArray;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The result of one {@link PolicyGradientLoss#compute(LossInput)} call.
 *
 * @param loss a scalar of the log-probs' type, in their manager, differentiable w.r.t. them
 * @param metrics diagnostics computed without gradient, keyed by TRL's and verl's names (see {@link
 *     PolicyGradientLoss} for each definition); insertion-ordered and unmodifiable
 */
public record LossOutput(NDArray loss, Map<String, Double> metrics) {

    /**
     * Copies the metrics.
     *
     * @param loss the scalar loss
     * @param metrics the metrics, copied
     * @throws NullPointerException if either part is null
     */
    public LossOutput {
        Objects.requireNonNull(loss, "loss");
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }

    /**
     * One metric.
     *
     * @param name e.g. {@code "clip_ratio/region_mean"}
     * @return its value
     * @throws IllegalArgumentException if this output has no such metric
     */
    public double metric(String name) {
        Double value = metrics.get(name);
        if (value == null) {
            throw new IllegalArgumentException(
                    "no metric '" + name + "'; this output has " + metrics.keySet());
        }
        return value;
    }
}
