package dev.grpo4j.core.train;

import dev.grpo4j.core.rollout.Prompt;
import dev.grpo4j.core.util.Checks;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Ready-made {@link PromptSource}s. */
public final class PromptSources {

    private PromptSources() {}

    /**
     * Draws prompts uniformly at random (with replacement) from a fixed pool.
     *
     * @param pool the prompts, at least one
     * @return the source
     */
    public static PromptSource uniform(List<Prompt> pool) {
        List<Prompt> copy = List.copyOf(pool);
        Checks.require(!copy.isEmpty(), "the prompt pool is empty");
        return (count, random) -> {
            List<Prompt> out = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                out.add(copy.get(random.nextInt(copy.size())));
            }
            return out;
        };
    }

    /**
     * Walks a fixed pool in order, wrapping around; the position is derived from the number of
     * prompts already drawn, which the caller does not need to track (the source counts internally and
     * is therefore not thread-safe).
     *
     * @param pool the prompts, at least one
     * @return the source
     */
    public static PromptSource cycling(List<Prompt> pool) {
        List<Prompt> copy = List.copyOf(pool);
        Checks.require(!copy.isEmpty(), "the prompt pool is empty");
        long[] drawn = {0};
        return (count, random) -> {
            List<Prompt> out = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                out.add(copy.get((int) (drawn[0]++ % copy.size())));
            }
            return out;
        };
    }

    /**
     * Generates fresh prompts from the generator, for synthetic tasks with an unbounded prompt space.
     *
     * @param generator makes one prompt from the trainer's random generator
     * @return the source
     */
    public static PromptSource generated(Function<java.util.random.RandomGenerator, Prompt> generator) {
        return (count, random) -> {
            List<Prompt> out = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                out.add(generator.apply(random));
            }
            return out;
        };
    }
}
