package dev.grpo4j.core.reward;

import dev.grpo4j.core.util.Checks;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The per-rank rewards of a batch of ranked-list completions: {@code [B][M][N]} values (B rows in
 * batch order, M item-reward functions in {@link ItemRewardSet} order, N item ranks), with the
 * functions' names, weights and failure counts. Immutable.
 *
 * <p>{@link #combined()} gives the {@code [B][N]} per-rank rewards that Rank-GRPO's estimator
 * takes: the weighted nansum of the functions at each rank.
 */
public final class ItemRewardMatrix {

    private final List<String> names;
    private final double[] weights;
    private final double[][][] values;
    private final int itemCount;
    private final int[] failureCounts;

    private ItemRewardMatrix(
            List<String> names,
            double[] weights,
            double[][][] values,
            int itemCount,
            int[] failureCounts) {
        this.names = List.copyOf(names);
        this.weights = weights.clone();
        this.itemCount = itemCount;
        this.failureCounts = failureCounts.clone();
        RewardSet.validate(this.names, this.weights, "item reward", "ItemRewardFunction");
        Checks.require(itemCount > 0, "item count must be > 0 but was %d", itemCount);
        Checks.require(values.length > 0, "an item reward matrix needs at least one row");
        Checks.require(
                this.failureCounts.length == this.names.size(),
                "%d failure counts given for %d functions",
                this.failureCounts.length,
                this.names.size());
        this.values = new double[values.length][this.names.size()][];
        for (int i = 0; i < values.length; i++) {
            Objects.requireNonNull(values[i], "row " + i);
            Checks.require(
                    values[i].length == this.names.size(),
                    "row %d has %d item-reward vectors but there are %d functions",
                    i,
                    values[i].length,
                    this.names.size());
            for (int m = 0; m < this.names.size(); m++) {
                this.values[i][m] = checkVector(values[i][m], i, m);
            }
        }
    }

    /**
     * A matrix without failures, for item rewards computed elsewhere.
     *
     * @param names the M function names, distinct
     * @param weights the M finite weights
     * @param values {@code [B][M][N]} rewards, NaN = not applicable
     * @param itemCount N, the number of ranks
     * @return the matrix
     * @throws IllegalArgumentException naming the value if the shapes disagree or a value is
     *     infinite
     */
    public static ItemRewardMatrix of(
            List<String> names, double[] weights, double[][][] values, int itemCount) {
        Objects.requireNonNull(weights, "weights");
        return of(names, weights, values, itemCount, new int[weights.length]);
    }

    /**
     * A matrix with per-function failure counts.
     *
     * @param names the M function names, distinct
     * @param weights the M finite weights
     * @param values {@code [B][M][N]} rewards, NaN = not applicable
     * @param itemCount N, the number of ranks
     * @param failureCounts {@code [M]} failed calls per function, each &gt;= 0
     * @return the matrix
     * @throws IllegalArgumentException naming the value if anything is inconsistent
     */
    public static ItemRewardMatrix of(
            List<String> names,
            double[] weights,
            double[][][] values,
            int itemCount,
            int[] failureCounts) {
        Objects.requireNonNull(names, "names");
        Objects.requireNonNull(weights, "weights");
        Objects.requireNonNull(values, "values");
        Objects.requireNonNull(failureCounts, "failureCounts");
        for (int m = 0; m < failureCounts.length; m++) {
            Checks.require(
                    failureCounts[m] >= 0,
                    "failure count %d must be >= 0 but was %d",
                    m,
                    failureCounts[m]);
        }
        return new ItemRewardMatrix(names, weights, values, itemCount, failureCounts);
    }

    private double[] checkVector(double[] v, int row, int m) {
        Objects.requireNonNull(v, "row " + row + " function " + m);
        Checks.require(
                v.length == itemCount,
                "item reward '%s' of row %d has %d ranks but the item count is %d",
                names.get(m),
                row,
                v.length,
                itemCount);
        for (int n = 0; n < v.length; n++) {
            Checks.require(
                    !Double.isInfinite(v[n]),
                    "item reward '%s' of row %d at rank %d is %s",
                    names.get(m),
                    row,
                    n,
                    v[n]);
        }
        return v.clone();
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
     * The number of ranks N.
     *
     * @return N
     */
    public int itemCount() {
        return itemCount;
    }

    /**
     * The function names, in order.
     *
     * @return an unmodifiable list
     */
    public List<String> names() {
        return names;
    }

    /**
     * The weights, in order.
     *
     * @return a copy of the M weights
     */
    public double[] weights() {
        return weights.clone();
    }

    /**
     * One function's per-rank rewards for one row.
     *
     * @param row the completion's row
     * @param function the function's index
     * @return a copy, {@code [N]}
     */
    public double[] values(int row, int function) {
        return values[row][function].clone();
    }

    /**
     * Failed calls per function.
     *
     * @return a copy, {@code [M]}
     */
    public int[] failureCounts() {
        return failureCounts.clone();
    }

    /**
     * The per-rank rewards: {@code c[i][n] = nansum_m(w_m * x[i][m][n])}, and NaN where every
     * function is NaN at that rank.
     *
     * @return a new {@code [B][N]} array
     */
    public double[][] combined() {
        double[][] c = new double[values.length][itemCount];
        for (int i = 0; i < values.length; i++) {
            for (int n = 0; n < itemCount; n++) {
                double sum = 0;
                boolean any = false;
                for (int m = 0; m < weights.length; m++) {
                    double v = values[i][m][n];
                    if (!Double.isNaN(v)) {
                        sum += weights[m] * v;
                        any = true;
                    }
                }
                c[i][n] = any ? sum : Double.NaN;
            }
        }
        return c;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ItemRewardMatrix m
                && itemCount == m.itemCount
                && names.equals(m.names)
                && Arrays.equals(weights, m.weights)
                && Arrays.deepEquals(values, m.values)
                && Arrays.equals(failureCounts, m.failureCounts);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                names,
                itemCount,
                Arrays.hashCode(weights),
                Arrays.deepHashCode(values),
                Arrays.hashCode(failureCounts));
    }

    @Override
    public String toString() {
        return "ItemRewardMatrix{B="
                + values.length
                + ", N="
                + itemCount
                + ", functions="
                + names
                + ", failures="
                + Arrays.toString(failureCounts)
                + '}';
    }
}
