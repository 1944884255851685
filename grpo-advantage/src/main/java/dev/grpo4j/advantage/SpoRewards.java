package dev.grpo4j.advantage;

import dev.grpo4j.core.rollout.Rollout;
import dev.grpo4j.core.util.Checks;

/**
 * How SPO turns rewards into the success rates its Beta tracker needs: the check that a reward lies
 * in [0, 1] (or the linear map from a configured range onto [0, 1]), and the weighted sum of a
 * rollout's K rewards.
 */
final class SpoRewards {

    private final double min;
    private final double max;
    private final double[] weights;

    /**
     * @param min the reward that maps to 0, or NaN for rewards that must already lie in [0, 1]
     * @param max the reward that maps to 1 (ignored when {@code min} is NaN)
     * @param weights one weight per reward function, or null for 1 each
     */
    SpoRewards(double min, double max, double[] weights) {
        this.min = min;
        this.max = max;
        this.weights = weights == null ? null : weights.clone();
    }

    /** The reward as a success rate in [0, 1]; rejects NaN and values outside the range. */
    double toUnit(String promptId, double reward) {
        Checks.require(Double.isFinite(reward), "reward for prompt '%s' is %s", promptId, reward);
        if (Double.isNaN(min)) {
            Checks.require(
                    reward >= 0 && reward <= 1,
                    "reward %s for prompt '%s' lies outside [0, 1]; SPO's Beta tracker needs"
                            + " success rates in [0, 1]: rescale the reward or build with"
                            + " optRewardRange(min, max)",
                    reward,
                    promptId);
            return reward;
        }
        Checks.require(
                reward >= min && reward <= max,
                "reward %s for prompt '%s' lies outside the configured range [%s, %s]",
                reward,
                promptId,
                min,
                max);
        return (reward - min) / (max - min);
    }

    /**
     * The weighted sum of a rollout's K rewards; rejects unscored rollouts and NaN rewards.
     *
     * @param rollout the rollout
     * @param where names the rollout in messages, e.g. "rollout 0 of prompt 'a'"
     * @param inputWeights weights that travel with the input and take precedence, or null
     */
    double combine(Rollout rollout, String where, double[] inputWeights) {
        double[] weights = inputWeights != null ? inputWeights : this.weights;
        double[] x = rollout.rewards();
        Checks.require(x.length > 0, "%s has no rewards; score it first", where);
        Checks.require(
                weights == null || weights.length == x.length,
                "%s has %d rewards but %d reward weights are configured",
                where,
                x.length,
                weights == null ? 0 : weights.length);
        double sum = 0;
        for (int k = 0; k < x.length; k++) {
            Checks.require(
                    !Double.isNaN(x[k]),
                    "reward %d of %s is NaN; SPO's tracker has no 'not applicable', so every"
                            + " reward function must score every rollout",
                    k,
                    where);
            sum += (weights == null ? 1.0 : weights[k]) * x[k];
        }
        return sum;
    }
}
