package dev.grpo4j.core.rollout;

import dev.grpo4j.core.util.Checks;
import java.util.List;

/**
 * One multi-turn episode: its steps in time order and its episode score.
 *
 * <p>The episode score R is what GiGPO's episode-level advantage compares across the trajectories
 * of one task; by default it is the sum of the step rewards (verl-agent's episode total).
 */
public final class Trajectory {

    private final List<Step> steps;
    private final double episodeScore;

    private Trajectory(List<Step> steps, double episodeScore) {
        this.steps = steps;
        this.episodeScore = episodeScore;
    }

    /**
     * Creates a trajectory whose episode score is the sum of its step rewards.
     *
     * @param steps the steps in time order, at least one
     * @return the trajectory
     */
    public static Trajectory of(List<Step> steps) {
        Checks.require(steps != null && !steps.isEmpty(), "a trajectory needs at least one step");
        double sum = 0;
        for (Step s : steps) {
            sum += s.reward();
        }
        return new Trajectory(List.copyOf(steps), sum);
    }

    /**
     * Creates a trajectory with an explicit episode score.
     *
     * @param steps the steps in time order, at least one
     * @param episodeScore the episode's score (finite)
     * @return the trajectory
     */
    public static Trajectory of(List<Step> steps, double episodeScore) {
        Checks.require(steps != null && !steps.isEmpty(), "a trajectory needs at least one step");
        Checks.finite("episode score", episodeScore);
        return new Trajectory(List.copyOf(steps), episodeScore);
    }

    /**
     * The steps, in time order.
     *
     * @return an unmodifiable list
     */
    public List<Step> steps() {
        return steps;
    }

    /**
     * The number of steps.
     *
     * @return the length
     */
    public int length() {
        return steps.size();
    }

    /**
     * The episode score R.
     *
     * @return the score
     */
    public double episodeScore() {
        return episodeScore;
    }

    /**
     * The step rewards in time order.
     *
     * @return a new array
     */
    public double[] stepRewards() {
        double[] r = new double[steps.size()];
        for (int t = 0; t < r.length; t++) {
            r[t] = steps.get(t).reward();
        }
        return r;
    }

    /**
     * The anchor states in time order.
     *
     * @return a new array
     */
    public Object[] anchorStates() {
        Object[] a = new Object[steps.size()];
        for (int t = 0; t < a.length; t++) {
            a[t] = steps.get(t).anchorState();
        }
        return a;
    }

    @Override
    public String toString() {
        return "Trajectory{steps=" + steps.size() + ", score=" + episodeScore + '}';
    }
}
