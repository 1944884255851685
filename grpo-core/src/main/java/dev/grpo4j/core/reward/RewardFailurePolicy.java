package dev.grpo4j.core.reward;

import java.util.Arrays;

/**
 * What {@link RewardEvaluator} does when a reward call throws or times out.
 *
 * <p>Invalid values (infinite, null, wrong length) are bugs in the function and always raise,
 * whatever the policy.
 */
public enum RewardFailurePolicy {
    /**
     * The default: the first failure, in batch order, aborts the batch with its {@link
     * RewardException}.
     */
    RAISE {
        @Override
        double[] onFailure(RewardException failure, int width) {
            throw failure;
        }
    },
    /**
     * The failed call counts as "not applicable" (NaN) and is counted per function ({@link
     * RewardMatrix#failureCounts()}) and logged at WARN, so one flaky judge does not stop training.
     */
    NAN {
        @Override
        double[] onFailure(RewardException failure, int width) {
            double[] nan = new double[width];
            Arrays.fill(nan, Double.NaN);
            return nan;
        }
    };

    /**
     * Handles one failed call.
     *
     * @param failure the failure
     * @param width how many values the call should have produced (1, or N item ranks)
     * @return the values to record instead
     * @throws RewardException if this policy raises
     */
    abstract double[] onFailure(RewardException failure, int width);
}
