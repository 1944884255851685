package dev.grpo4j.core.reward;

import java.util.Objects;

/**
 * Scores a ranked-list completion item by item: one reward per rank, as Rank-GRPO uses for
 * recommendation lists (for example a hit indicator per position).
 *
 * <p>The evaluator asks for a fixed number of items N per batch ({@link
 * RewardEvaluator#evaluateItems(ItemRewardSet, java.util.List, int)}); the function must return
 * exactly N values. Ranks that do not apply (the list was shorter than N, say) are NaN. Infinite
 * values are errors. Functions are called concurrently and must be thread-safe.
 */
@FunctionalInterface
public interface ItemRewardFunction {

    /**
     * Scores each item rank of a completion.
     *
     * @param completion the completion with its prompt
     * @return N values, index 0 being the top-ranked item; NaN where not applicable
     */
    double[] score(Completion completion);

    /**
     * The name used in metrics, logs and errors. By default the class's simple name, or {@value
     * RewardFunction#UNNAMED} for lambdas and anonymous classes.
     *
     * @return the name, never blank
     */
    default String name() {
        return RewardNames.defaultName(getClass());
    }

    /**
     * Gives a function (typically a lambda) a readable name.
     *
     * @param name the name, not blank
     * @param function the function to wrap
     * @return a function that delegates to {@code function} and reports {@code name}
     * @throws IllegalArgumentException if the name is blank
     */
    static ItemRewardFunction named(String name, ItemRewardFunction function) {
        String checked = RewardNames.check(name);
        Objects.requireNonNull(function, "function");
        return new ItemRewardFunction() {
            @Override
            public double[] score(Completion completion) {
                return function.score(completion);
            }

            @Override
            public String name() {
                return checked;
            }

            @Override
            public String toString() {
                return "ItemRewardFunction{" + checked + '}';
            }
        };
    }
}
