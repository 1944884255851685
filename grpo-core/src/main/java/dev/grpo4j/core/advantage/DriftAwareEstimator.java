package dev.grpo4j.core.advantage;

/**
 * An estimator that learns from each rollout's reward after the policy update, discounted by how
 * far the policy drifted since the prompt was last seen (SPO's KL-adaptive forgetting).
 *
 * <p>The trainer measures the drift D of a prompt as the token mean of {@code |lp_stored - lp_now|}
 * over the response stored at the prompt's previous visit (0 at the first visit), then calls {@link
 * #observe} once per rollout, in batch order.
 */
public interface DriftAwareEstimator {

    /**
     * Updates the prompt's state with a new reward.
     *
     * @param promptKey the prompt
     * @param reward the rollout's reward
     * @param drift the measured policy drift D, {@code >= 0}
     */
    void observe(String promptKey, double reward, double drift);
}
