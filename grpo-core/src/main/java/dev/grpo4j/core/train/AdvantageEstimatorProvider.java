package dev.grpo4j.core.train;

import dev.grpo4j.core.advantage.AdvantageEstimator;

/**
 * Supplies the default advantage estimator when a trainer is built without one, found with {@link
 * java.util.ServiceLoader}. {@code grpo-advantage} registers one that builds TRL's GRPO estimator
 * from the config's {@code scale_rewards}; with it on the class path, a trainer needs no estimator
 * to be named.
 */
public interface AdvantageEstimatorProvider {

    /**
     * Builds the default estimator for a run.
     *
     * @param config the run's settings
     * @return the estimator
     */
    AdvantageEstimator create(GrpoConfig config);
}
