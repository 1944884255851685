package dev.grpo4j.advantage;

/**
 * What GRPO does with a group of a single rollout, whose standard deviation is undefined. The
 * references disagree, so the choice is explicit.
 */
public enum SingletonPolicy {
    /**
     * An error naming the group (the default; TRL requires {@code num_generations >= 2}): a lone
     * rollout has nothing to be compared with, which usually means a batching bug.
     */
    REJECT(false) {
        @Override
        void check(int group) {
            throw new IllegalArgumentException(
                    "group "
                            + group
                            + " has a single rollout; GRPO needs at least 2 per group (use"
                            + " SingletonPolicy.RAW_SCORE or ZERO to accept singleton groups)");
        }
    },
    /**
     * verl's rule: the group's mean is taken as 0 and its standard deviation as 1, so the advantage
     * is the raw reward (divided by {@code 1 + epsilon} under {@link RewardScale#GROUP}, by the
     * batch divisor under {@link RewardScale#BATCH}).
     */
    RAW_SCORE(true) {
        @Override
        void check(int group) {
            // Accepted.
        }
    },
    /**
     * The lone rollout gets advantage 0 (what TRL computes when evaluating with one generation).
     */
    ZERO(false) {
        @Override
        void check(int group) {
            // Accepted.
        }
    };

    private final boolean rawScore;

    SingletonPolicy(boolean rawScore) {
        this.rawScore = rawScore;
    }

    /** Called for each group of size 1. */
    abstract void check(int group);

    /** Whether singleton groups use mean 0 and standard deviation 1. */
    boolean rawScore() {
        return rawScore;
    }
}
