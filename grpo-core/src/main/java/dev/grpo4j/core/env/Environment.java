package dev.grpo4j.core.env;

import dev.grpo4j.core.rollout.Prompt;

/**
 * A multi-turn environment for agent training. The trainer creates G instances per task (through an
 * {@link EnvironmentFactory}), resets each with the same task so the G episodes start from the same
 * state, and then alternates: sample an action for every running episode, {@link #step} it.
 *
 * <p>Exceptions thrown by an environment end training with an {@link EnvironmentException} naming
 * the task, the trajectory and the turn; the last checkpoint stays intact.
 */
public interface Environment {

    /**
     * Starts an episode of the given task.
     *
     * @param task the task, as drawn from the trainer's prompt source (its key and metadata say
     *     which task, e.g. a maze seed)
     * @return the first observation
     */
    Observation reset(Prompt task);

    /**
     * Applies an action.
     *
     * @param actionIds the token ids the policy generated
     * @return the next observation, the step reward and whether the episode ended
     */
    Transition step(int[] actionIds);
}
