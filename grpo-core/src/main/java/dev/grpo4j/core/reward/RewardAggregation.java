package dev.grpo4j.core.reward;

import java.util.Arrays;
import java.util.Locale;

/**
 * How K weighted reward functions become one advantage signal, as TRL's {@code
 * multi_objective_aggregation} (ALGORITHMS.md section 1).
 */
public enum RewardAggregation {
    /**
     * TRL's default: {@code r_i = nansum_k(w_k * x_ik)} (NaN if every function returned NaN), then the
     * estimator normalises r within the group.
     */
    SUM_THEN_NORMALIZE("sum_then_normalize"),
    /**
     * GDPO: z-score each function within its group, {@code z_ik = (x_ik - mean_g) / (std_g + eps)},
     * then {@code r_i = nansum_k(w_k z_ik)}, then a batch-level z-score of r.
     */
    NORMALIZE_THEN_SUM("normalize_then_sum");

    private final String trlName;

    RewardAggregation(String trlName) {
        this.trlName = trlName;
    }

    /**
     * TRL's spelling of this aggregation.
     *
     * @return the name
     */
    public String trlName() {
        return trlName;
    }

    /**
     * Parses TRL's spelling or the constant's name, case-insensitively.
     *
     * @param name e.g. {@code "sum_then_normalize"}
     * @return the aggregation
     * @throws IllegalArgumentException naming the unknown value and the accepted ones
     */
    public static RewardAggregation fromName(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        for (RewardAggregation a : values()) {
            if (a.trlName.equals(n) || a.name().toLowerCase(Locale.ROOT).equals(n)) {
                return a;
            }
        }
        throw new IllegalArgumentException(
                "unknown reward aggregation '"
                        + name
                        + "'; expected one of "
                        + Arrays.stream(values()).map(RewardAggregation::trlName).toList());
    }
}
