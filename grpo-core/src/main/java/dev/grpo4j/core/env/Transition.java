package dev.grpo4j.core.env;

import dev.grpo4j.core.util.Checks;

/**
 * The environment's answer to an action.
 *
 * @param next the observation for the next turn; ignored (may be null) when {@code done}
 * @param reward the step reward, finite
 * @param done whether the episode has ended
 */
public record Transition(Observation next, double reward, boolean done) {

    /**
     * Validates.
     *
     * @param next the next observation
     * @param reward the reward
     * @param done whether the episode ended
     */
    public Transition {
        Checks.finite("step reward", reward);
        Checks.require(
                done || next != null, "a transition that is not done needs a next observation");
    }

    /**
     * An episode-ending transition.
     *
     * @param reward the final step reward
     * @return the transition
     */
    public static Transition end(double reward) {
        return new Transition(null, reward, true);
    }

    /**
     * A transition to a further turn.
     *
     * @param next the next observation
     * @param reward the step reward
     * @return the transition
     */
    public static Transition next(Observation next, double reward) {
        return new Transition(next, reward, false);
    }
}
