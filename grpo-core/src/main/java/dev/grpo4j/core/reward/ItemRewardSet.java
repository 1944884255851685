package dev.grpo4j.core.reward;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * M named item-reward functions with their weights, for ranked-list completions (Rank-GRPO).
 * Immutable; the same rules as {@link RewardSet} apply (at least one function, finite weights
 * defaulting to 1.0, distinct names).
 *
 * <p>The per-rank rewards combine by a weighted nansum per rank ({@link
 * ItemRewardMatrix#combined()}).
 */
public final class ItemRewardSet {

    private final List<ItemRewardFunction> functions;
    private final double[] weights;

    private ItemRewardSet(List<ItemRewardFunction> functions, double[] weights) {
        for (int k = 0; k < functions.size(); k++) {
            Objects.requireNonNull(functions.get(k), "item reward function " + k);
        }
        this.functions = List.copyOf(functions);
        this.weights = weights.clone();
        RewardSet.validate(names(), this.weights, "item reward", "ItemRewardFunction");
    }

    /**
     * A set whose functions all weigh 1.0.
     *
     * @param functions the functions, at least one
     * @return the set
     * @throws IllegalArgumentException if there are none or two share a name
     */
    public static ItemRewardSet of(ItemRewardFunction... functions) {
        Objects.requireNonNull(functions, "functions");
        double[] ones = new double[functions.length];
        Arrays.fill(ones, 1.0);
        return new ItemRewardSet(Arrays.asList(functions), ones);
    }

    /**
     * A set with explicit weights.
     *
     * @param functions the functions, at least one
     * @param weights one finite weight per function
     * @return the set
     * @throws IllegalArgumentException naming the value if the counts differ, a weight is not
     *     finite, there are no functions or two share a name
     */
    public static ItemRewardSet of(List<ItemRewardFunction> functions, double[] weights) {
        Objects.requireNonNull(functions, "functions");
        Objects.requireNonNull(weights, "weights");
        return new ItemRewardSet(functions, weights);
    }

    /**
     * The number of functions M.
     *
     * @return M
     */
    public int size() {
        return functions.size();
    }

    /**
     * The functions, in registration order.
     *
     * @return an unmodifiable list
     */
    public List<ItemRewardFunction> functions() {
        return functions;
    }

    /**
     * Function {@code m}.
     *
     * @param m the index
     * @return the function
     */
    public ItemRewardFunction function(int m) {
        return functions.get(m);
    }

    /**
     * The functions' names, in order.
     *
     * @return an unmodifiable list
     */
    public List<String> names() {
        return functions.stream().map(ItemRewardFunction::name).toList();
    }

    /**
     * The weights, in order.
     *
     * @return a copy of the M weights
     */
    public double[] weights() {
        return weights.clone();
    }

    @Override
    public String toString() {
        return "ItemRewardSet{" + names() + ", weights=" + Arrays.toString(weights) + '}';
    }
}
