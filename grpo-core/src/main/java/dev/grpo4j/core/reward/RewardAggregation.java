package dev.grpo4j.core.reward;

import dev.grpo4j.core.util.Checks;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How K weighted reward functions become one reward per completion, as TRL's {@code
 * multi_objective_aggregation} (ALGORITHMS.md section 1).
 *
 * <p><b>Split of work.</b> {@link #combine(double[][], double[], int[])} produces the combined
 * reward {@code r[B]}; it never computes advantages. What follows is the advantage estimator's job:
 * for {@link #SUM_THEN_NORMALIZE} the group-mean centring and the group/batch/no scaling; for
 * {@link #NORMALIZE_THEN_SUM} the batch-level z-score {@code (r - nanmean_batch(r)) /
 * (nanstd_batch(r) + 1e-4)}. In both cases a NaN {@code r_i} (a row that no function could score)
 * must end as advantage 0 and stay out of the statistics.
 *
 * <p>Notation: {@code x[i][k]} is function k's reward for row i (NaN = not applicable), {@code w_k}
 * its weight, and {@code nansum} a sum over the non-NaN terms only.
 */
public enum RewardAggregation {
    /**
     * TRL's default: {@code r_i = nansum_k(w_k * x_ik)}, and {@code r_i = NaN} if every function
     * returned NaN for row i. Groups play no part here; the estimator normalises r within the group
     * afterwards.
     */
    SUM_THEN_NORMALIZE("sum_then_normalize") {
        @Override
        double[] combineChecked(double[][] x, double[] w, int[] groupIds) {
            double[] r = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                r[i] = weightedRowSum(x[i], x[i], w);
            }
            return r;
        }
    },
    /**
     * GDPO: each function is z-scored within its group first, {@code z_ik = (x_ik - mean_g(x_k)) /
     * (std_g(x_k) + 1e-4)}, then {@code r_i = nansum_k(w_k * z_ik)}, and {@code r_i = NaN} if every
     * {@code x_ik} was NaN. The batch-level z-score that TRL applies next belongs to the estimator.
     *
     * <p>{@code mean_g} and {@code std_g} run over the n non-NaN values of function k in group g;
     * {@code std_g} is the sample standard deviation. When n = 1 the single value equals its mean,
     * so its z-score is 0 (std taken as 0, as TRL does for groups of one). TRL's {@code nanstd}
     * gives NaN there instead, which its {@code nansum} then skips: the combined r is the same.
     *
     * <p>One deliberate difference from TRL: TRL's nansum turns a row where every function returned
     * NaN into 0, which then enters the batch z-score as a real reward; here it stays NaN, exactly
     * as in {@link #SUM_THEN_NORMALIZE}, so the estimator gives it advantage 0 and leaves it out of
     * the batch statistics.
     */
    NORMALIZE_THEN_SUM("normalize_then_sum") {
        @Override
        double[] combineChecked(double[][] x, double[] w, int[] groupIds) {
            double[][] z = groupZScores(x, groupIds);
            double[] r = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                r[i] = weightedRowSum(z[i], x[i], w);
            }
            return r;
        }
    };

    /** The constant TRL adds to every standard deviation before dividing by it. */
    public static final double EPSILON = 1e-4;

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
     * Combines per-function rewards into one reward per row.
     *
     * @param rewards {@code [B][K]} rewards, row i holding each function's value for completion i;
     *     NaN means "not applicable", infinities are rejected
     * @param weights {@code [K]} finite weights (negative weights are allowed: a function can be a
     *     penalty)
     * @param groupIds {@code [B]} the group of each row; rows with equal ids form one group (any
     *     order, any ints; {@link #contiguousGroupIds(int...)} builds TRL's contiguous blocks)
     * @return {@code [B]} combined rewards; NaN exactly for rows where every function returned NaN
     * @throws IllegalArgumentException naming the offending value if the shapes disagree, the batch
     *     is empty, a weight is not finite or a reward is infinite
     */
    public double[] combine(double[][] rewards, double[] weights, int[] groupIds) {
        validate(rewards, weights, groupIds);
        return combineChecked(rewards, weights, groupIds);
    }

    abstract double[] combineChecked(double[][] x, double[] w, int[] groupIds);

    /**
     * Z-scores every function within every group: {@code z_ik = (x_ik - mean_g) / (std_g + 1e-4)},
     * with mean and sample std over the non-NaN values of function k in row i's group g, std taken
     * as 0 when only one value is present, and NaN kept as NaN.
     *
     * @param rewards {@code [B][K]} rewards, NaN = not applicable
     * @param groupIds {@code [B]} group of each row
     * @return {@code [B][K]} z-scores
     * @throws IllegalArgumentException if the shapes disagree or a reward is infinite
     */
    public static double[][] groupZScores(double[][] rewards, int[] groupIds) {
        Objects.requireNonNull(rewards, "rewards");
        Checks.require(rewards.length > 0, "cannot z-score an empty batch");
        Objects.requireNonNull(rewards[0], "rewards[0]");
        double[] unitWeights = new double[rewards[0].length];
        Arrays.fill(unitWeights, 1.0);
        validate(rewards, unitWeights, groupIds);
        int k = unitWeights.length;
        double[][] z = new double[rewards.length][k];
        for (int[] rows : groups(groupIds).values()) {
            for (int f = 0; f < k; f++) {
                double[] column = new double[rows.length];
                for (int j = 0; j < rows.length; j++) {
                    column[j] = rewards[rows[j]][f];
                }
                double mean = NanStats.mean(column);
                double std = NanStats.count(column) < 2 ? 0.0 : NanStats.sampleStd(column);
                for (int j = 0; j < rows.length; j++) {
                    // A NaN reward stays NaN: (NaN - mean) is NaN.
                    z[rows[j]][f] = (column[j] - mean) / (std + EPSILON);
                }
            }
        }
        return z;
    }

    /**
     * Group ids for contiguous groups, as TRL lays out a batch: the first {@code groupSizes[0]}
     * rows are group 0, the next {@code groupSizes[1]} rows group 1, and so on.
     *
     * @param groupSizes the size of each group, each &gt; 0
     * @return one group id per row
     * @throws IllegalArgumentException if no size is given or a size is not positive
     */
    public static int[] contiguousGroupIds(int... groupSizes) {
        Objects.requireNonNull(groupSizes, "groupSizes");
        Checks.require(groupSizes.length > 0, "at least one group size is needed");
        int total = 0;
        for (int g = 0; g < groupSizes.length; g++) {
            Checks.require(
                    groupSizes[g] > 0, "group %d has size %d; sizes must be > 0", g, groupSizes[g]);
            total += groupSizes[g];
        }
        int[] ids = new int[total];
        int row = 0;
        for (int g = 0; g < groupSizes.length; g++) {
            for (int j = 0; j < groupSizes[g]; j++) {
                ids[row++] = g;
            }
        }
        return ids;
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

    /**
     * {@code sum_k w_k * terms[k]} over the k where {@code raw[k]} is not NaN; NaN if every raw
     * value is NaN. {@code terms} is the raw row itself or its z-scores.
     */
    private static double weightedRowSum(double[] terms, double[] raw, double[] w) {
        double sum = 0;
        boolean any = false;
        for (int k = 0; k < w.length; k++) {
            if (!Double.isNaN(raw[k])) {
                sum += w[k] * terms[k];
                any = true;
            }
        }
        return any ? sum : Double.NaN;
    }

    /** The rows of each group, groups in order of first appearance. */
    private static Map<Integer, int[]> groups(int[] groupIds) {
        Map<Integer, List<Integer>> lists = new LinkedHashMap<>();
        for (int i = 0; i < groupIds.length; i++) {
            lists.computeIfAbsent(groupIds[i], id -> new ArrayList<>()).add(i);
        }
        Map<Integer, int[]> rows = new LinkedHashMap<>();
        lists.forEach(
                (id, list) -> rows.put(id, list.stream().mapToInt(Integer::intValue).toArray()));
        return rows;
    }

    private static void validate(double[][] rewards, double[] weights, int[] groupIds) {
        Objects.requireNonNull(rewards, "rewards");
        Objects.requireNonNull(weights, "weights");
        Objects.requireNonNull(groupIds, "groupIds");
        Checks.require(rewards.length > 0, "cannot combine the rewards of an empty batch");
        Checks.require(weights.length > 0, "at least one reward function (weight) is needed");
        Checks.require(
                groupIds.length == rewards.length,
                "%d group ids given for a batch of %d rows",
                groupIds.length,
                rewards.length);
        for (int k = 0; k < weights.length; k++) {
            Checks.require(
                    Double.isFinite(weights[k]),
                    "weight %d must be finite but was %s",
                    k,
                    weights[k]);
        }
        for (int i = 0; i < rewards.length; i++) {
            Objects.requireNonNull(rewards[i], "rewards row " + i);
            Checks.require(
                    rewards[i].length == weights.length,
                    "row %d has %d rewards but there are %d weights",
                    i,
                    rewards[i].length,
                    weights.length);
            for (int k = 0; k < weights.length; k++) {
                Checks.require(
                        !Double.isInfinite(rewards[i][k]),
                        "reward %d of row %d is %s; use NaN for 'not applicable'",
                        k,
                        i,
                        rewards[i][k]);
            }
        }
    }
}
