package dev.grpo4j.core.reward;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeoutException;

/**
 * A reward function failed on one completion: it threw, ran past the evaluator's timeout, or
 * returned a value outside its contract (infinite, null, or the wrong number of item ranks).
 *
 * <p>The message and the accessors name the function, the rollout (the completion's {@link
 * Completion#index()}) and the cause; {@link #getCause()} is the function's exception, a {@link
 * TimeoutException} for a timeout, or null for an invalid value.
 */
public final class RewardException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    public enum Kind {
        /** The function threw; {@link RewardException#getCause()} is what it threw. */
        EXCEPTION,
        /** The call ran past the timeout and was cancelled with an interrupt. */
        TIMEOUT,
        /**
         * The function returned something outside its contract (an infinite value, null, or a wrong
         * number of ranks). Always raised, whatever the failure policy: it is a bug in the
         * function, not a transient failure.
         */
        INVALID_VALUE
    }

    /** The failing function's name. */
    private final String functionName;

    /** The failing function's index in its reward set. */
    private final int functionIndex;

    /** The batch index of the completion being scored. */
    private final int rolloutIndex;

    /** What went wrong. */
    private final Kind kind;

    private RewardException(
            String message,
            Throwable cause,
            String functionName,
            int functionIndex,
            int rolloutIndex,
            Kind kind) {
        super(message, cause);
        this.functionName = functionName;
        this.functionIndex = functionIndex;
        this.rolloutIndex = rolloutIndex;
        this.kind = kind;
    }

    /**
     * The function threw.
     *
     * @param functionName the function's name
     * @param functionIndex its index in the reward set
     * @param rolloutIndex the completion's batch index
     * @param cause what it threw
     * @return the exception
     */
    static RewardException threw(
            String functionName, int functionIndex, int rolloutIndex, Throwable cause) {
        Objects.requireNonNull(cause, "cause");
        return new RewardException(
                String.format(
                        "reward function '%s' (function %d) failed on rollout %d: %s",
                        functionName, functionIndex, rolloutIndex, cause),
                cause,
                functionName,
                functionIndex,
                rolloutIndex,
                Kind.EXCEPTION);
    }

    /**
     * The call exceeded the timeout.
     *
     * @param functionName the function's name
     * @param functionIndex its index in the reward set
     * @param rolloutIndex the completion's batch index
     * @param timeout the limit it exceeded
     * @return the exception
     */
    static RewardException timedOut(
            String functionName, int functionIndex, int rolloutIndex, Duration timeout) {
        String limit = timeout.toMillis() + " ms";
        return new RewardException(
                String.format(
                        "reward function '%s' (function %d) timed out on rollout %d after %s",
                        functionName, functionIndex, rolloutIndex, limit),
                new TimeoutException("no result within " + limit),
                functionName,
                functionIndex,
                rolloutIndex,
                Kind.TIMEOUT);
    }

    /**
     * The function returned a value outside its contract.
     *
     * @param functionName the function's name
     * @param functionIndex its index in the reward set
     * @param rolloutIndex the completion's batch index
     * @param what what it returned, e.g. "Infinity"
     * @return the exception
     */
    static RewardException invalid(
            String functionName, int functionIndex, int rolloutIndex, String what) {
        return new RewardException(
                String.format(
                        "reward function '%s' (function %d) returned %s for rollout %d;"
                                + " use NaN for 'not applicable'",
                        functionName, functionIndex, what, rolloutIndex),
                null,
                functionName,
                functionIndex,
                rolloutIndex,
                Kind.INVALID_VALUE);
    }

    /**
     * The failing function's name.
     *
     * @return the name
     */
    public String functionName() {
        return functionName;
    }

    /**
     * The failing function's index in its reward set.
     *
     * @return the index
     */
    public int functionIndex() {
        return functionIndex;
    }

    /**
     * The batch index of the completion being scored ({@link Completion#index()}).
     *
     * @return the rollout index
     */
    public int rolloutIndex() {
        return rolloutIndex;
    }

    /**
     * What went wrong.
     *
     * @return the kind
     */
    public Kind kind() {
        return kind;
    }
}
