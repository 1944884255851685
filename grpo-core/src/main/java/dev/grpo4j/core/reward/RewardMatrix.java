package dev.grpo4j.core.reward;

import dev.grpo4j.core.util.Checks;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The rewards of a batch: {@code [B][K]} values, one row per completion (in batch order) and one
 * column per reward function (in {@link RewardSet} order), with the functions' names and weights
 * and how many calls of each function failed under {@link RewardFailurePolicy#NAN}. Immutable.
 *
 * <p>NaN means "not applicable" (or a failed call under the NaN policy); infinities never occur.
 * {@link #combine(RewardAggregation, int[])} turns the matrix into one reward per row; {@link
 * #metrics()} gives TRL's per-function {@code rewards/<name>/mean} and {@code /std}.
 */
public final class RewardMatrix {

    private final List<String> names;
    private final double[] weights;
    private final double[][] values;
    private final int[] failureCounts;

    private RewardMatrix(
            List<String> names, double[] weights, double[][] values, int[] failureCounts) {
        this.names = List.copyOf(names);
        this.weights = weights.clone();
        this.values = deepCopy(values);
        this.failureCounts = failureCounts.clone();
        validate();
    }

    /**
     * A matrix without failures, for rewards computed elsewhere.
     *
     * @param names the K function names, distinct
     * @param weights the K finite weights
     * @param values {@code [B][K]} rewards, NaN = not applicable; B &gt;= 1
     * @return the matrix
     * @throws IllegalArgumentException naming the value if the shapes disagree, a name repeats, a
     *     weight is not finite or a reward is infinite
     */
    public static RewardMatrix of(List<String> names, double[] weights, double[][] values) {
        Objects.requireNonNull(weights, "weights");
        return of(names, weights, values, new int[weights.length]);
    }

    /**
     * A matrix with per-function failure counts.
     *
     * @param names the K function names, distinct
     * @param weights the K finite weights
     * @param values {@code [B][K]} rewards, NaN = not applicable; B &gt;= 1
     * @param failureCounts {@code [K]} failed calls per function, each &gt;= 0
     * @return the matrix
     * @throws IllegalArgumentException naming the value if anything is inconsistent
     */
    public static RewardMatrix of(
            List<String> names, double[] weights, double[][] values, int[] failureCounts) {
        Objects.requireNonNull(names, "names");
        Objects.requireNonNull(weights, "weights");
        Objects.requireNonNull(values, "values");
        Objects.requireNonNull(failureCounts, "failureCounts");
        return new RewardMatrix(names, weights, values, failureCounts);
    }

    private void validate() {
        RewardSet.validate(names, weights, "reward", "RewardFunction");
        int k = names.size();
        Checks.require(values.length > 0, "a reward matrix needs at least one row");
        for (int i = 0; i < values.length; i++) {
            Checks.require(
                    values[i].length == k,
                    "row %d has %d rewards but there are %d functions",
                    i,
                    values[i].length,
                    k);
            for (int f = 0; f < k; f++) {
                Checks.require(
                        !Double.isInfinite(values[i][f]),
                        "reward '%s' of row %d is %s; use NaN for 'not applicable'",
                        names.get(f),
                        i,
                        values[i][f]);
            }
        }
        Checks.require(
                failureCounts.length == k,
                "%d failure counts given for %d functions",
                failureCounts.length,
                k);
        for (int f = 0; f < k; f++) {
            Checks.require(
                    failureCounts[f] >= 0,
                    "failure count of '%s' must be >= 0 but was %d",
                    names.get(f),
                    failureCounts[f]);
        }
    }

    /**
     * The number of rows B.
     *
     * @return B
     */
    public int rowCount() {
        return values.length;
    }

    /**
     * The number of functions K.
     *
     * @return K
     */
    public int functionCount() {
        return names.size();
    }

    /**
     * The function names, in column order.
     *
     * @return an unmodifiable list
     */
    public List<String> names() {
        return names;
    }

    /**
     * The column of a function.
     *
     * @param name the function's name
     * @return its column index
     * @throws IllegalArgumentException if no function has that name
     */
    public int indexOf(String name) {
        int k = names.indexOf(name);
        Checks.require(k >= 0, "no reward function named '%s'; the functions are %s", name, names);
        return k;
    }

    /**
     * The weights, in column order.
     *
     * @return a copy of the K weights
     */
    public double[] weights() {
        return weights.clone();
    }

    /**
     * One reward.
     *
     * @param row the completion's row
     * @param function the function's column
     * @return the reward, NaN if not applicable or failed
     */
    public double value(int row, int function) {
        return values[row][function];
    }

    /**
     * All rewards.
     *
     * @return a copy, {@code [B][K]}
     */
    public double[][] values() {
        return deepCopy(values);
    }

    /**
     * One completion's rewards.
     *
     * @param row the row
     * @return a copy, {@code [K]}
     */
    public double[] row(int row) {
        return values[row].clone();
    }

    /**
     * One function's rewards over the batch.
     *
     * @param function the column
     * @return a new array, {@code [B]}
     */
    public double[] column(int function) {
        Checks.require(
                function >= 0 && function < names.size(),
                "function index %d out of range [0, %d)",
                function,
                names.size());
        double[] c = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            c[i] = values[i][function];
        }
        return c;
    }

    /**
     * A function's mean over the rows where it applied (TRL's {@code rewards/<name>/mean}).
     *
     * @param function the column
     * @return the NaN-aware mean; NaN if the function applied nowhere
     */
    public double mean(int function) {
        return NanStats.mean(column(function));
    }

    /**
     * A function's sample standard deviation over the rows where it applied (TRL's {@code
     * rewards/<name>/std}).
     *
     * @param function the column
     * @return the NaN-aware sample std; NaN if the function applied to fewer than 2 rows
     */
    public double std(int function) {
        return NanStats.sampleStd(column(function));
    }

    /**
     * How many calls of a function failed and were recorded as NaN ({@link
     * RewardFailurePolicy#NAN}).
     *
     * @param function the column
     * @return the count
     */
    public int failureCount(int function) {
        return failureCounts[function];
    }

    /**
     * Failed calls per function.
     *
     * @return a copy, {@code [K]}
     */
    public int[] failureCounts() {
        return failureCounts.clone();
    }

    /**
     * TRL's per-function reward metrics, in column order: {@code rewards/<name>/mean} and {@code
     * rewards/<name>/std} for each function (NaN when undefined, see {@link #mean(int)} and {@link
     * #std(int)}).
     *
     * @return an insertion-ordered, unmodifiable map
     */
    public Map<String, Double> metrics() {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int k = 0; k < names.size(); k++) {
            m.put("rewards/" + names.get(k) + "/mean", mean(k));
            m.put("rewards/" + names.get(k) + "/std", std(k));
        }
        return java.util.Collections.unmodifiableMap(m);
    }

    /**
     * Combines the functions into one reward per row with this matrix's weights.
     *
     * @param aggregation how to combine
     * @param groupIds {@code [B]} the group of each row (see {@link
     *     RewardAggregation#contiguousGroupIds(int...)})
     * @return {@code [B]} combined rewards; NaN for rows where every function was NaN
     * @throws IllegalArgumentException if the group ids do not match the row count
     */
    public double[] combine(RewardAggregation aggregation, int[] groupIds) {
        Objects.requireNonNull(aggregation, "aggregation");
        return aggregation.combine(values, weights, groupIds);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RewardMatrix m
                && names.equals(m.names)
                && Arrays.equals(weights, m.weights)
                && Arrays.deepEquals(values, m.values)
                && Arrays.equals(failureCounts, m.failureCounts);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                names,
                Arrays.hashCode(weights),
                Arrays.deepHashCode(values),
                Arrays.hashCode(failureCounts));
    }

    @Override
    public String toString() {
        return "RewardMatrix{B="
                + values.length
                + ", functions="
                + names
                + ", failures="
                + Arrays.toString(failureCounts)
                + '}';
    }

    private static double[][] deepCopy(double[][] x) {
        double[][] c = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            c[i] = Objects.requireNonNull(x[i], "row " + i).clone();
        }
        return c;
    }
}
