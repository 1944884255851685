package dev.grpo4j.advantage;

/**
 * Which list GiGPO's episode-level mean and standard deviation are taken over, within one group of
 * trajectories started from the same task.
 */
public enum EpisodeStatistics {
    /**
     * One entry per step row, holding its trajectory's episode score, so a longer trajectory weighs
     * more (verl-agent's default, {@code compute_mean_std_cross_steps = true}).
     */
    PER_STEP {
        @Override
        double[] entriesPerTrajectory(TrajectoryBatch batch) {
            double[] steps = new double[batch.trajectories()];
            for (int j = 0; j < steps.length; j++) {
                steps[j] = batch.length(j);
            }
            return steps;
        }
    },
    /**
     * One entry per trajectory: the textbook episode-level statistics (the default of the authors'
     * later DrMAS code).
     */
    PER_TRAJECTORY {
        @Override
        double[] entriesPerTrajectory(TrajectoryBatch batch) {
            return null;
        }
    };

    /** How many entries of V each trajectory contributes, or null for one each. */
    abstract double[] entriesPerTrajectory(TrajectoryBatch batch);
}
