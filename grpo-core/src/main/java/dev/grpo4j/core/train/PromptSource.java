package dev.grpo4j.core.train;

import dev.grpo4j.core.rollout.Prompt;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Supplies the prompts of each training step.
 *
 * <p>Resumability contract: the prompts of step {@code s} must depend only on {@code s}, {@code
 * count} and what the source draws from {@code random} (the trainer's generator for that step,
 * derived from the seed and the step), plus state that the trainer checkpoints (such as SPO's
 * tracker). A source that walks a dataset computes its position from the step rather than keeping
 * an iterator, so that a resumed run sees exactly the prompts an uninterrupted run would have seen.
 *
 * <p>Implementations: {@link PromptSources#cycling}, {@link PromptSources#uniform}, {@link
 * PromptSources#generated}, and SPO's prioritized sampler in {@code grpo-advantage}.
 */
@FunctionalInterface
public interface PromptSource {

    /**
     * The prompts for one step.
     *
     * @param step the 0-based training step
     * @param count how many prompts to return ({@code > 0})
     * @param random the trainer's generator for this step
     * @return {@code count} prompts
     */
    List<Prompt> next(long step, int count, RandomGenerator random);
}
