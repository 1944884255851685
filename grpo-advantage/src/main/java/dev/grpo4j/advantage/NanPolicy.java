package dev.grpo4j.advantage;

/**
 * What an estimator does with a NaN reward ("this reward function does not apply to this rollout").
 */
public enum NanPolicy {
    /**
     * TRL's behaviour: the NaN is left out of every mean and standard deviation, a rollout whose
     * rewards are all NaN gets advantage 0, and with several reward functions the weighted sum
     * skips NaN terms.
     */
    IGNORE {
        @Override
        void onNaN(String where) {
            // Left out of the statistics by the mask.
        }
    },
    /**
     * Any NaN reward is an error: {@link IllegalArgumentException} naming the group and rollout.
     */
    REJECT {
        @Override
        void onNaN(String where) {
            throw new IllegalArgumentException(where + " is NaN and the NaN policy is REJECT");
        }
    };

    /** Called for every NaN reward; {@code where} names it, e.g. "reward 3 of group 1". */
    abstract void onNaN(String where);
}
