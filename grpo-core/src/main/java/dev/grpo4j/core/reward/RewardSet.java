package dev.grpo4j.core.reward;

import dev.grpo4j.core.util.Checks;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * K named reward functions with their weights: TRL's {@code reward_funcs} plus {@code
 * reward_weights}. Immutable.
 *
 * <p>Rules, checked when the set is built:
 *
 * <ul>
 *   <li>at least one function;
 *   <li>one weight per function, default 1.0; weights must be finite, and may be zero or negative
 *       (a negative weight turns a score into a penalty, as TRL allows);
 *   <li>names must be distinct, because metrics are keyed by name: give lambdas names with {@link
 *       RewardFunction#named(String, RewardFunction)}.
 * </ul>
 *
 * <p>{@link RewardEvaluator#evaluate(RewardSet, List)} scores a batch with the set; the resulting
 * {@link RewardMatrix} carries the weights and combines them with a {@link RewardAggregation}.
 */
public final class RewardSet {

    private final List<RewardFunction> functions;
    private final double[] weights;

    private RewardSet(List<RewardFunction> functions, double[] weights) {
        for (int k = 0; k < functions.size(); k++) {
            Objects.requireNonNull(functions.get(k), "reward function " + k);
        }
        this.functions = List.copyOf(functions);
        this.weights = weights.clone();
        validate(names(), this.weights, "reward", "RewardFunction");
    }

    /**
     * A set whose functions all weigh 1.0.
     *
     * @param functions the functions, at least one
     * @return the set
     * @throws IllegalArgumentException if there are none or two share a name
     */
    public static RewardSet of(RewardFunction... functions) {
        Objects.requireNonNull(functions, "functions");
        return of(Arrays.asList(functions));
    }

    /**
     * A set whose functions all weigh 1.0.
     *
     * @param functions the functions, at least one
     * @return the set
     * @throws IllegalArgumentException if there are none or two share a name
     */
    public static RewardSet of(List<RewardFunction> functions) {
        Objects.requireNonNull(functions, "functions");
        double[] ones = new double[functions.size()];
        Arrays.fill(ones, 1.0);
        return new RewardSet(functions, ones);
    }

    /**
     * A set with explicit weights, in TRL's form of two parallel lists.
     *
     * @param functions the functions, at least one
     * @param weights one finite weight per function
     * @return the set
     * @throws IllegalArgumentException naming the value if the counts differ, a weight is not
     *     finite, there are no functions or two share a name
     */
    public static RewardSet of(List<RewardFunction> functions, double[] weights) {
        Objects.requireNonNull(functions, "functions");
        Objects.requireNonNull(weights, "weights");
        return new RewardSet(functions, weights);
    }

    /**
     * Starts a builder that adds functions one at a time.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The number of functions K.
     *
     * @return K
     */
    public int size() {
        return functions.size();
    }

    /**
     * The functions, in registration order (the column order of every result).
     *
     * @return an unmodifiable list
     */
    public List<RewardFunction> functions() {
        return functions;
    }

    /**
     * Function {@code k}.
     *
     * @param k the index
     * @return the function
     */
    public RewardFunction function(int k) {
        return functions.get(k);
    }

    /**
     * The functions' names, in order.
     *
     * @return an unmodifiable list
     */
    public List<String> names() {
        return functions.stream().map(RewardFunction::name).toList();
    }

    /**
     * The weights, in order.
     *
     * @return a copy of the K weights
     */
    public double[] weights() {
        return weights.clone();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("RewardSet{");
        for (int k = 0; k < functions.size(); k++) {
            sb.append(k == 0 ? "" : ", ")
                    .append(functions.get(k).name())
                    .append('*')
                    .append(weights[k]);
        }
        return sb.append('}').toString();
    }

    /**
     * Checks the rules shared with {@link ItemRewardSet}.
     *
     * @param kind "reward" or "item reward", for the messages
     * @param type the function interface's simple name, for the naming hint
     */
    static void validate(List<String> names, double[] weights, String kind, String type) {
        Checks.require(!names.isEmpty(), "a %s set needs at least one function", kind);
        Checks.require(
                weights.length == names.size(),
                "%d weights given for %d %s functions",
                weights.length,
                names.size(),
                kind);
        Map<String, Integer> seen = new HashMap<>();
        for (int k = 0; k < names.size(); k++) {
            String name = RewardNames.check(names.get(k));
            Integer previous = seen.putIfAbsent(name, k);
            Checks.require(
                    previous == null,
                    "%s function name '%s' is used by functions %s and %d; names key the metrics,"
                            + " so give each a distinct name with %s.named(name, f)",
                    kind,
                    name,
                    previous,
                    k,
                    type);
            Checks.require(
                    Double.isFinite(weights[k]),
                    "weight %d (of '%s') must be finite but was %s",
                    k,
                    name,
                    weights[k]);
        }
    }

    /** Adds functions one at a time, each with weight 1.0 unless given. */
    public static final class Builder {
        private final List<RewardFunction> functions = new ArrayList<>();
        private final List<Double> weights = new ArrayList<>();

        private Builder() {}

        /**
         * Adds a function with weight 1.0.
         *
         * @param function the function
         * @return this builder
         */
        public Builder addFunction(RewardFunction function) {
            return addFunction(function, 1.0);
        }

        /**
         * Adds a function with a weight.
         *
         * @param function the function
         * @param weight its finite weight; negative makes it a penalty
         * @return this builder
         */
        public Builder addFunction(RewardFunction function, double weight) {
            functions.add(Objects.requireNonNull(function, "function"));
            weights.add(weight);
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the set
         * @throws IllegalArgumentException naming the value if no function was added, a weight is
         *     not finite or two functions share a name
         */
        public RewardSet build() {
            return new RewardSet(
                    functions, weights.stream().mapToDouble(Double::doubleValue).toArray());
        }
    }
}
