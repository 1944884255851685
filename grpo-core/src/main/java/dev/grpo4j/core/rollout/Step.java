package dev.grpo4j.core.rollout;

import dev.grpo4j.core.util.Checks;
import java.util.Objects;

/**
 * One turn of a multi-turn agent episode: what the policy saw, what it did, and the reward the
 * environment gave for it.
 *
 * <p>The {@code anchorState} is the environment state the action was taken in, without the prompt
 * history (GiGPO groups steps taken from identical anchor states). It may be a {@link String}, a
 * {@link Number}, an array, a {@link java.util.List} or a {@link java.util.Map} of those; it must
 * not be mutated after the step is built.
 *
 * <p>For the loss a step is one row: {@link #asRollout()} turns the observation into the prompt and
 * the action into the completion.
 */
public final class Step {

    private final Object anchorState;
    private final int[] observationIds;
    private final int[] actionIds;
    private final float[] actionLogProbs;
    private final double reward;
    private final boolean truncated;

    private Step(Builder b) {
        this.anchorState = b.anchorState;
        this.observationIds = b.observationIds.clone();
        this.actionIds = b.actionIds.clone();
        this.actionLogProbs = b.actionLogProbs.clone();
        this.reward = b.reward;
        this.truncated = b.truncated;
    }

    /**
     * Starts a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The anchor state key (the environment state, without history).
     *
     * @return the key as given
     */
    public Object anchorState() {
        return anchorState;
    }

    /**
     * The token ids the policy was conditioned on for this turn.
     *
     * @return a copy of the observation ids
     */
    public int[] observationIds() {
        return observationIds.clone();
    }

    /**
     * The token ids of the action the policy generated.
     *
     * @return a copy of the action ids
     */
    public int[] actionIds() {
        return actionIds.clone();
    }

    /**
     * The sampler's log-probability of each action token; empty if not recorded.
     *
     * @return a copy of the log-probs
     */
    public float[] actionLogProbs() {
        return actionLogProbs.clone();
    }

    /**
     * The environment's reward for this step.
     *
     * @return the step reward
     */
    public double reward() {
        return reward;
    }

    /**
     * Whether the action was cut off by the length limit.
     *
     * @return true if truncated
     */
    public boolean truncated() {
        return truncated;
    }

    /**
     * This step as a single-turn rollout (observation as prompt, action as completion, the step
     * reward as its only reward), for the loss.
     *
     * @return the rollout
     */
    public Rollout asRollout() {
        return Rollout.builder()
                .setPromptIds(observationIds)
                .setCompletionIds(actionIds)
                .optSamplingLogProbs(actionLogProbs)
                .optRewards(reward)
                .optTruncated(truncated)
                .build();
    }

    @Override
    public String toString() {
        return "Step{anchor="
                + anchorState
                + ", action="
                + actionIds.length
                + " tokens, reward="
                + reward
                + '}';
    }

    /** Builds a {@link Step}; {@code setX} values are required, {@code optX} values optional. */
    public static final class Builder {
        private Object anchorState;
        private int[] observationIds;
        private int[] actionIds;
        private float[] actionLogProbs = new float[0];
        private double reward;
        private boolean truncated;

        private Builder() {}

        /**
         * Sets the anchor state key (required).
         *
         * @param anchorState a string, number, array, list or map
         * @return this builder
         */
        public Builder setAnchorState(Object anchorState) {
            this.anchorState = Objects.requireNonNull(anchorState, "anchorState");
            return this;
        }

        /**
         * Sets the observation token ids (required, non-empty).
         *
         * @param observationIds the ids
         * @return this builder
         */
        public Builder setObservationIds(int... observationIds) {
            this.observationIds = Objects.requireNonNull(observationIds, "observationIds");
            return this;
        }

        /**
         * Sets the action token ids (required).
         *
         * @param actionIds the ids
         * @return this builder
         */
        public Builder setActionIds(int... actionIds) {
            this.actionIds = Objects.requireNonNull(actionIds, "actionIds");
            return this;
        }

        /**
         * Sets the sampler's log-probability for each action token.
         *
         * @param actionLogProbs the log-probs
         * @return this builder
         */
        public Builder optActionLogProbs(float... actionLogProbs) {
            this.actionLogProbs = Objects.requireNonNull(actionLogProbs, "actionLogProbs");
            return this;
        }

        /**
         * Sets the step reward (default 0).
         *
         * @param reward a finite reward
         * @return this builder
         */
        public Builder optReward(double reward) {
            this.reward = reward;
            return this;
        }

        /**
         * Marks the action as cut off by the length limit.
         *
         * @param truncated true if truncated
         * @return this builder
         */
        public Builder optTruncated(boolean truncated) {
            this.truncated = truncated;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the step
         * @throws IllegalArgumentException naming the offending value if anything is invalid
         */
        public Step build() {
            Checks.require(anchorState != null, "anchorState is required");
            Checks.require(
                    observationIds != null && observationIds.length > 0,
                    "a step needs at least one observation token");
            Checks.require(actionIds != null, "actionIds is required");
            Checks.require(
                    actionLogProbs.length == 0 || actionLogProbs.length == actionIds.length,
                    "actionLogProbs has %d entries but the action has %d tokens",
                    actionLogProbs.length,
                    actionIds.length);
            Checks.finite("step reward", reward);
            return new Step(this);
        }
    }
}
