package dev.grpo4j.examples.gigpo;

/**
 * Counts what the grid worlds of a run did since the last {@link #drain()}: episodes started,
 * episodes that reached the goal, moves into walls, invalid action tokens and turns. The trainer
 * plays all episodes of a step before it reports the step, so draining after each step gives that
 * step's figures. Thread-safe.
 */
public final class EpisodeLog {

    /**
     * The figures of one period.
     *
     * @param episodes episodes started
     * @param successes episodes that reached the goal within the turn limit
     * @param wallBumps moves into a wall or off the map
     * @param invalidActions turns whose action was not exactly one move token
     * @param turns turns played
     */
    public record Counts(
            long episodes, long successes, long wallBumps, long invalidActions, long turns) {

        /**
         * The share of episodes that reached the goal.
         *
         * @return successes / episodes, or NaN if no episode started
         */
        public double successRate() {
            return episodes == 0 ? Double.NaN : (double) successes / episodes;
        }

        /**
         * The share of turns that did not move the agent (a wall bump or an invalid action).
         *
         * @return wasted turns / turns, or NaN if no turn was played
         */
        public double wastedTurnRate() {
            return turns == 0 ? Double.NaN : (double) (wallBumps + invalidActions) / turns;
        }
    }

    private long episodes;
    private long successes;
    private long wallBumps;
    private long invalidActions;
    private long turns;

    /** Records the start of an episode. */
    synchronized void episodeStarted() {
        episodes++;
    }

    /**
     * Records a turn.
     *
     * @param outcome what the move did
     */
    synchronized void turn(GridWorld.Outcome outcome) {
        turns++;
        switch (outcome) {
            case WALL -> wallBumps++;
            case INVALID -> invalidActions++;
            case GOAL -> successes++;
            case MOVED -> {
                // an ordinary move changes no other count
            }
        }
    }

    /**
     * Returns the counts since the last drain and starts a new period.
     *
     * @return the counts
     */
    public synchronized Counts drain() {
        Counts c = new Counts(episodes, successes, wallBumps, invalidActions, turns);
        episodes = 0;
        successes = 0;
        wallBumps = 0;
        invalidActions = 0;
        turns = 0;
        return c;
    }
}
