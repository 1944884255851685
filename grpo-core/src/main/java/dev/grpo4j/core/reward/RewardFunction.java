package dev.grpo4j.core.reward;

import java.util.Objects;

/**
 * Scores one completion: the scalar reward that GRPO turns into an advantage.
 *
 * <p>Return {@code NaN} when the function does not apply to this completion (TRL's {@code None}),
 * for example a code-execution reward on a math prompt: NaN values are left out of the weighted sum
 * and of every mean and standard deviation. Infinite values are errors.
 *
 * <p>Functions are called concurrently from several threads by {@link RewardEvaluator}, so they
 * must be thread-safe. A call that may block (a sandbox, a remote judge) should respond to
 * interruption: the evaluator interrupts calls that exceed its timeout.
 *
 * <p>{@link #name()} names the function in metrics ({@code rewards/<name>/mean}), logs and errors.
 * Lambdas have no readable name; give them one with {@link #named(String, RewardFunction)}.
 */
@FunctionalInterface
public interface RewardFunction {

    /** The name {@link #name()} reports for lambdas and anonymous classes. */
    String UNNAMED = "unnamed";

    /**
     * Scores a completion.
     *
     * @param completion the completion with its prompt
     * @return the reward, or NaN if this function does not apply to the completion; never infinite
     */
    double score(Completion completion);

    /**
     * The name used in metrics, logs and errors. By default the class's simple name, or {@value
     * #UNNAMED} for lambdas and anonymous classes.
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
    static RewardFunction named(String name, RewardFunction function) {
        String checked = RewardNames.check(name);
        Objects.requireNonNull(function, "function");
        return new RewardFunction() {
            @Override
            public double score(Completion completion) {
                return function.score(completion);
            }

            @Override
            public String name() {
                return checked;
            }

            @Override
            public String toString() {
                return "RewardFunction{" + checked + '}';
            }
        };
    }
}
