package dev.grpo4j.advantage;

import dev.grpo4j.advantage.internal.GroupStats;
import java.util.Arrays;
import java.util.Locale;

/**
 * What GRPO divides the group-centred rewards by (TRL's {@code scale_rewards}). Centring is always
 * by the group mean; only the divisor changes.
 */
public enum RewardScale {
    /** Divide by the group's sample standard deviation plus epsilon (TRL's default, verl's). */
    GROUP("group") {
        @Override
        void scale(GroupStats stats, double epsilon) {
            stats.divideBySegmentStd(epsilon);
        }
    },
    /**
     * Divide by the sample standard deviation of all rewards of the batch (around the batch mean)
     * plus epsilon: one divisor for every group. With fewer than two valid rewards in the batch
     * that spread is undefined and every advantage is 0 (TRL's NaN-to-0).
     */
    BATCH("batch") {
        @Override
        void scale(GroupStats stats, double epsilon) {
            stats.divideBy(stats.batchStd(), epsilon);
        }
    },
    /**
     * Do not divide: {@code A = r - mean} (Dr. GRPO; verl's {@code norm_adv_by_std_in_grpo=false}).
     */
    NONE("none") {
        @Override
        void scale(GroupStats stats, double epsilon) {
            // Centred only.
        }
    };

    private final String trlName;

    RewardScale(String trlName) {
        this.trlName = trlName;
    }

    /** Applies this scale to the centred rewards held by {@code stats}, in place. */
    abstract void scale(GroupStats stats, double epsilon);

    /**
     * TRL's spelling of this scale.
     *
     * @return {@code "group"}, {@code "batch"} or {@code "none"}
     */
    public String trlName() {
        return trlName;
    }

    /**
     * Parses TRL's spelling ({@code "group"}, {@code "batch"}, {@code "none"}, and the booleans
     * {@code "true"} = group, {@code "false"} = none) or the constant's name, case-insensitively.
     *
     * @param name the name
     * @return the scale
     * @throws IllegalArgumentException naming the unknown value and the accepted ones
     */
    public static RewardScale fromName(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        switch (n) {
            case "true":
                return GROUP;
            case "false":
                return NONE;
            default:
                for (RewardScale s : values()) {
                    if (s.trlName.equals(n)) {
                        return s;
                    }
                }
                throw new IllegalArgumentException(
                        "unknown reward scale '"
                                + name
                                + "'; expected one of "
                                + Arrays.stream(values()).map(RewardScale::trlName).toList()
                                + ", true or false");
        }
    }
}
