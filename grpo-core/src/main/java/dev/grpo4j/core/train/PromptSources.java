package dev.grpo4j.core.train;

import dev.grpo4j.core.rollout.Prompt;
import dev.grpo4j.core.util.Checks;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/** Ready-made {@link PromptSource}s; all are stateless, so runs resume exactly. */
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
        return (step, count, random) -> {
            List<Prompt> out = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                out.add(copy.get(random.nextInt(copy.size())));
            }
            return out;
        };
    }

    /**
     * Walks a fixed pool in order, wrapping around: step s returns the prompts at positions {@code
     * s * count ... s * count + count - 1} modulo the pool size.
     *
     * @param pool the prompts, at least one
     * @return the source
     */
    public static PromptSource cycling(List<Prompt> pool) {
        List<Prompt> copy = List.copyOf(pool);
        Checks.require(!copy.isEmpty(), "the prompt pool is empty");
        return (step, count, random) -> {
            List<Prompt> out = new ArrayList<>(count);
            long start = step * count;
            for (int i = 0; i < count; i++) {
                out.add(copy.get((int) Math.floorMod(start + i, (long) copy.size())));
            }
            return out;
        };
    }

    /**
     * Generates fresh prompts from the step's generator, for synthetic tasks with an unbounded
     * prompt space.
     *
     * @param generator makes one prompt from the trainer's random generator
     * @return the source
     */
    public static PromptSource generated(Function<RandomGenerator, Prompt> generator) {
        return (step, count, random) -> {
            List<Prompt> out = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                out.add(generator.apply(random));
            }
            return out;
        };
    }
}
