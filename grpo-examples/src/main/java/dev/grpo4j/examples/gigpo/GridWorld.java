package dev.grpo4j.examples.gigpo;

import dev.grpo4j.core.env.Environment;
import dev.grpo4j.core.env.Observation;
import dev.grpo4j.core.env.Transition;
import dev.grpo4j.core.rollout.Prompt;
import dev.grpo4j.core.util.Checks;
import java.util.Objects;
import java.util.Optional;

/**
 * A grid-world episode: the agent starts on the task's start cell and has a fixed number of turns
 * to reach the goal cell, one move token per turn.
 *
 * <p>Each turn the policy writes one token. A move token moves the agent one cell unless a wall or
 * the edge is in the way (then it stays: a wasted turn). Any other completion is an invalid action:
 * the agent stays and the step reward is {@code -invalidPenalty} (verl-agent's invalid-action
 * penalty, applied to the step reward so it enters both the episode score and the step returns).
 * Reaching the goal ends the episode with reward 1; running out of turns ends it with reward 0. The
 * reward is sparse: nothing tells the agent it got closer.
 *
 * <p>The anchor state of a turn is the observation's text ({@link GridMap#observation}); within one
 * task it names the agent's cell, so every return to a cell, in the same episode or another episode
 * of the group, repeats an anchor.
 */
public final class GridWorld implements Environment {

    /** What one turn did. */
    public enum Outcome {
        /** The agent moved to an open cell that is not the goal. */
        MOVED,
        /** The move hit a wall or the edge; the agent stayed. */
        WALL,
        /** The completion was not exactly one move token; the agent stayed. */
        INVALID,
        /** The agent reached the goal. */
        GOAL
    }

    private final int turnLimit;
    private final double invalidPenalty;
    private final EpisodeLog log;
    private GridTask task;
    private Cell agent;
    private int turn;
    private boolean over = true;

    /**
     * Creates an environment; {@link #reset} starts an episode.
     *
     * @param turnLimit the most turns of an episode, at least 1
     * @param invalidPenalty subtracted from the step reward of an invalid action, non-negative
     * @param log receives the episode counts
     */
    public GridWorld(int turnLimit, double invalidPenalty, EpisodeLog log) {
        this.turnLimit = Checks.positive("turn limit", turnLimit);
        this.invalidPenalty = Checks.nonNegative("invalid-action penalty", invalidPenalty);
        this.log = Objects.requireNonNull(log, "log");
    }

    /**
     * Starts an episode of the task stored in the prompt's metadata ({@link GridTask#prompt()}).
     *
     * @param prompt a prompt made by {@link GridTask#prompt()}
     * @return the observation at the start cell
     * @throws IllegalArgumentException if the prompt carries no grid task
     */
    @Override
    public Observation reset(Prompt prompt) {
        Object t = prompt.get(GridTask.METADATA);
        if (!(t instanceof GridTask gridTask)) {
            throw new IllegalArgumentException(
                    "prompt '"
                            + prompt.key()
                            + "' carries a "
                            + t.getClass().getSimpleName()
                            + " under '"
                            + GridTask.METADATA
                            + "', not a GridTask");
        }
        this.task = gridTask;
        this.agent = gridTask.start();
        this.turn = 0;
        this.over = false;
        log.episodeStarted();
        return observe();
    }

    /**
     * Applies one turn's completion.
     *
     * @param actionIds the generated tokens; a valid action is exactly one move token
     * @return the next observation (or the end of the episode) and the step reward
     * @throws IllegalStateException if no episode is running
     */
    @Override
    public Transition step(int[] actionIds) {
        if (over) {
            throw new IllegalStateException(
                    task == null
                            ? "step before reset"
                            : "the episode of " + task.key() + " is over");
        }
        turn++;
        Outcome outcome;
        double reward = 0.0;
        Optional<Move> move = actionIds.length == 1 ? Move.ofToken(actionIds[0]) : Optional.empty();
        if (move.isEmpty()) {
            outcome = Outcome.INVALID;
            reward -= invalidPenalty;
        } else {
            Cell next = move.get().apply(agent);
            if (!task.map().isOpen(next)) {
                outcome = Outcome.WALL;
                reward -= invalidPenalty;
            } else {
                agent = next;
                outcome = next.equals(task.goal()) ? Outcome.GOAL : Outcome.MOVED;
            }
        }
        log.turn(outcome);
        if (outcome == Outcome.GOAL) {
            over = true;
            return Transition.end(reward + 1.0);
        }
        if (turn >= turnLimit) {
            over = true;
            return Transition.end(reward);
        }
        return Transition.next(observe(), reward);
    }

    /**
     * The agent's cell.
     *
     * @return the cell
     * @throws IllegalStateException before the first reset
     */
    public Cell agent() {
        if (task == null) {
            throw new IllegalStateException("no episode has started");
        }
        return agent;
    }

    /**
     * Whether the current episode has ended (true before the first reset).
     *
     * @return true if over
     */
    public boolean isOver() {
        return over;
    }

    private Observation observe() {
        int[] ids = task.map().observation(agent, task.goal());
        return new Observation(ids, GridVocabulary.text(ids));
    }
}
