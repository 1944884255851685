package dev.grpo4j.core.advantage;

/**
 * Turns scored rollouts (or trajectories) into advantages: the SPI every estimator implements.
 *
 * <p>An estimator is pure with respect to its input, except for estimators that also implement
 * {@link StatefulEstimator} (SPO's per-prompt tracker), whose state the trainer checkpoints.
 * Implementations must reject input they cannot score with an {@link IllegalArgumentException} that
 * names the offending value (an empty group, a NaN where NaN is not allowed, mismatched lengths).
 *
 * <p>Implementations: {@code dev.grpo4j.advantage.GrpoAdvantage}, {@code GigpoAdvantage}, {@code
 * SpoAdvantage} and {@code RankGrpoAdvantage} in the {@code grpo-advantage} module.
 */
public interface AdvantageEstimator {

    /**
     * Computes the advantages of every row of {@code input}.
     *
     * @param input scored rollout groups or trajectory groups
     * @return advantages aligned with the input's row order
     * @throws IllegalArgumentException if the input cannot be scored by this estimator
     */
    Advantages estimate(AdvantageInput input);

    /**
     * Whether this estimator accepts the given kind of input.
     *
     * @param kind rollouts or trajectories
     * @return true if {@link #estimate} accepts it
     */
    default boolean supports(AdvantageInput.Kind kind) {
        return kind == AdvantageInput.Kind.ROLLOUTS;
    }

    /**
     * A short name for logs and metrics, e.g. {@code "grpo"}.
     *
     * @return the name
     */
    default String name() {
        return getClass().getSimpleName();
    }
}
