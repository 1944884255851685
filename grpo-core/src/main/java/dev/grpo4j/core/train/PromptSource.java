package dev.grpo4j.core.train;

import dev.grpo4j.core.rollout.Prompt;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Supplies the prompts of each training step. The trainer passes its own seeded random generator, so a
 * source that draws only from it makes runs reproducible and resumable.
 *
 * <p>Implementations: {@link PromptSources#cycling} and {@link PromptSources#uniform} here, and SPO's
 * prioritized sampler in {@code grpo-advantage}.
 */
@FunctionalInterface
public interface PromptSource {

    /**
     * The prompts for the next step.
     *
     * @param count how many prompts to return ({@code > 0})
     * @param random the trainer's generator for this step
     * @return {@code count} prompts
     */
    List<Prompt> next(int count, RandomGenerator random);
}
