package dev.grpo4j.core.rollout;

import dev.grpo4j.core.util.Checks;
import java.util.Arrays;
import java.util.Objects;

/**
 * One sampled completion of one prompt: the token ids, the log-probabilities the sampler assigned
 * to them, the rewards it earned, and whether generation was cut off by the length limit.
 *
 * <p>Instances are immutable; arrays are copied on the way in and on the way out. Rewards usually
 * arrive after sampling, so {@link #withRewards(double...)} returns a scored copy.
 *
 * <ul>
 *   <li>{@code rewards} has one entry per reward function (K entries, in the order the functions
 *       were registered); {@code NaN} means "not applicable" and is skipped by the estimators, as
 *       in TRL. It is empty before scoring.
 *   <li>{@code itemRewards} has one entry per item of a ranked-list completion (Rank-GRPO's
 *       per-rank rewards, N entries); it is empty for ordinary completions.
 *   <li>{@code samplingLogProbs} has one entry per completion token (natural log, under the
 *       sampling distribution after temperature); it is empty when the sampler did not record them.
 * </ul>
 */
public final class Rollout {

    private static final double[] NO_REWARDS = new double[0];
    private static final float[] NO_LOG_PROBS = new float[0];

    private final int[] promptIds;
    private final int[] completionIds;
    private final float[] samplingLogProbs;
    private final double[] rewards;
    private final double[] itemRewards;
    private final boolean truncated;

    private Rollout(Builder builder) {
        this.promptIds = builder.promptIds.clone();
        this.completionIds = builder.completionIds.clone();
        this.samplingLogProbs = builder.samplingLogProbs.clone();
        this.rewards = builder.rewards.clone();
        this.itemRewards = builder.itemRewards.clone();
        this.truncated = builder.truncated;
        validate();
    }

    private void validate() {
        Checks.require(promptIds.length > 0, "a rollout needs at least one prompt token");
        for (int i = 0; i < promptIds.length; i++) {
            Checks.require(
                    promptIds[i] >= 0, "prompt token %d has negative id %d", i, promptIds[i]);
        }
        for (int i = 0; i < completionIds.length; i++) {
            Checks.require(
                    completionIds[i] >= 0,
                    "completion token %d has negative id %d",
                    i,
                    completionIds[i]);
        }
        Checks.require(
                samplingLogProbs.length == 0 || samplingLogProbs.length == completionIds.length,
                "samplingLogProbs has %d entries but the completion has %d tokens",
                samplingLogProbs.length,
                completionIds.length);
        for (int i = 0; i < samplingLogProbs.length; i++) {
            float lp = samplingLogProbs[i];
            Checks.require(
                    !Float.isNaN(lp) && lp <= 0f,
                    "sampling log-prob of completion token %d must be <= 0 and not NaN but was %s",
                    i,
                    lp);
        }
        for (int k = 0; k < rewards.length; k++) {
            Checks.require(
                    !Double.isInfinite(rewards[k]),
                    "reward %d is %s; use NaN for 'not applicable'",
                    k,
                    rewards[k]);
        }
        for (int k = 0; k < itemRewards.length; k++) {
            Checks.require(
                    !Double.isInfinite(itemRewards[k]), "item reward %d is %s", k, itemRewards[k]);
        }
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
     * Returns a builder pre-filled with this rollout's values.
     *
     * @return a builder
     */
    public Builder toBuilder() {
        return new Builder()
                .setPromptIds(promptIds)
                .setCompletionIds(completionIds)
                .optSamplingLogProbs(samplingLogProbs)
                .optRewards(rewards)
                .optItemRewards(itemRewards)
                .optTruncated(truncated);
    }

    /**
     * Returns a copy with the given per-function rewards.
     *
     * @param rewards one reward per reward function; NaN means "not applicable"
     * @return the scored copy
     */
    public Rollout withRewards(double... rewards) {
        return toBuilder().optRewards(rewards).build();
    }

    /**
     * Returns a copy with the given per-item (per-rank) rewards.
     *
     * @param itemRewards one reward per item rank
     * @return the copy
     */
    public Rollout withItemRewards(double... itemRewards) {
        return toBuilder().optItemRewards(itemRewards).build();
    }

    /**
     * The prompt's token ids.
     *
     * @return a copy of the prompt ids
     */
    public int[] promptIds() {
        return promptIds.clone();
    }

    /**
     * The generated token ids, including a final stop token if one was sampled.
     *
     * @return a copy of the completion ids
     */
    public int[] completionIds() {
        return completionIds.clone();
    }

    /**
     * The number of completion tokens.
     *
     * @return the completion length
     */
    public int completionLength() {
        return completionIds.length;
    }

    /**
     * The number of prompt tokens.
     *
     * @return the prompt length
     */
    public int promptLength() {
        return promptIds.length;
    }

    /**
     * The sampler's log-probability for each completion token, or an empty array if none was
     * recorded.
     *
     * @return a copy of the log-probs
     */
    public float[] samplingLogProbs() {
        return samplingLogProbs.clone();
    }

    /**
     * Whether sampling log-probs were recorded.
     *
     * @return true if {@link #samplingLogProbs()} has one entry per completion token
     */
    public boolean hasSamplingLogProbs() {
        return samplingLogProbs.length == completionIds.length && completionIds.length > 0;
    }

    /**
     * One reward per reward function; empty before scoring.
     *
     * @return a copy of the rewards
     */
    public double[] rewards() {
        return rewards.clone();
    }

    /**
     * Whether this rollout has been scored.
     *
     * @return true if at least one reward is present
     */
    public boolean isScored() {
        return rewards.length > 0;
    }

    /**
     * Reward function {@code k}'s value.
     *
     * @param k the reward function's index
     * @return its reward, NaN if not applicable
     */
    public double reward(int k) {
        Checks.require(
                k >= 0 && k < rewards.length,
                "reward index %d out of range: this rollout has %d rewards",
                k,
                rewards.length);
        return rewards[k];
    }

    /**
     * Per-item rewards of a ranked-list completion; empty for ordinary completions.
     *
     * @return a copy of the item rewards
     */
    public double[] itemRewards() {
        return itemRewards.clone();
    }

    /**
     * Whether generation stopped at the length limit rather than at a stop token.
     *
     * @return true if truncated
     */
    public boolean truncated() {
        return truncated;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Rollout)) {
            return false;
        }
        Rollout that = (Rollout) o;
        return truncated == that.truncated
                && Arrays.equals(promptIds, that.promptIds)
                && Arrays.equals(completionIds, that.completionIds)
                && Arrays.equals(samplingLogProbs, that.samplingLogProbs)
                && Arrays.equals(rewards, that.rewards)
                && Arrays.equals(itemRewards, that.itemRewards);
    }

    @Override
    public int hashCode() {
        int h = Objects.hash(truncated);
        h = 31 * h + Arrays.hashCode(promptIds);
        h = 31 * h + Arrays.hashCode(completionIds);
        h = 31 * h + Arrays.hashCode(samplingLogProbs);
        h = 31 * h + Arrays.hashCode(rewards);
        return 31 * h + Arrays.hashCode(itemRewards);
    }

    @Override
    public String toString() {
        return "Rollout{prompt="
                + promptIds.length
                + " tokens, completion="
                + Arrays.toString(completionIds)
                + ", rewards="
                + Arrays.toString(rewards)
                + (itemRewards.length > 0 ? ", itemRewards=" + Arrays.toString(itemRewards) : "")
                + (truncated ? ", truncated" : "")
                + '}';
    }

    /** Builds a {@link Rollout}; {@code setX} values are required, {@code optX} values optional. */
    public static final class Builder {
        private int[] promptIds;
        private int[] completionIds;
        private float[] samplingLogProbs = NO_LOG_PROBS;
        private double[] rewards = NO_REWARDS;
        private double[] itemRewards = NO_REWARDS;
        private boolean truncated;

        private Builder() {}

        /**
         * Sets the prompt's token ids (required, non-empty).
         *
         * @param promptIds the ids
         * @return this builder
         */
        public Builder setPromptIds(int... promptIds) {
            this.promptIds = Objects.requireNonNull(promptIds, "promptIds");
            return this;
        }

        /**
         * Sets the completion's token ids (required; may be empty only before validation by a
         * consumer that rejects empty completions).
         *
         * @param completionIds the ids
         * @return this builder
         */
        public Builder setCompletionIds(int... completionIds) {
            this.completionIds = Objects.requireNonNull(completionIds, "completionIds");
            return this;
        }

        /**
         * Sets the sampler's per-token log-probabilities (one per completion token).
         *
         * @param samplingLogProbs the log-probs, natural log
         * @return this builder
         */
        public Builder optSamplingLogProbs(float... samplingLogProbs) {
            this.samplingLogProbs = Objects.requireNonNull(samplingLogProbs, "samplingLogProbs");
            return this;
        }

        /**
         * Sets one reward per reward function; NaN means "not applicable".
         *
         * @param rewards the rewards
         * @return this builder
         */
        public Builder optRewards(double... rewards) {
            this.rewards = Objects.requireNonNull(rewards, "rewards");
            return this;
        }

        /**
         * Sets one reward per item rank, for ranked-list completions.
         *
         * @param itemRewards the per-rank rewards
         * @return this builder
         */
        public Builder optItemRewards(double... itemRewards) {
            this.itemRewards = Objects.requireNonNull(itemRewards, "itemRewards");
            return this;
        }

        /**
         * Marks the completion as cut off by the length limit.
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
         * @return the rollout
         * @throws IllegalArgumentException naming the offending value if anything is invalid
         */
        public Rollout build() {
            Checks.require(promptIds != null, "promptIds is required");
            Checks.require(completionIds != null, "completionIds is required");
            return new Rollout(this);
        }
    }
}
