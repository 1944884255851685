package dev.grpo4j.core.rollout;

import dev.grpo4j.core.util.Checks;
import java.util.List;
import java.util.Objects;

/**
 * The G trajectories started from the same task (verl-agent's {@code uid}): GiGPO's outer group.
 * Step groups (same anchor state) are formed only inside one trajectory group, never across groups.
 */
public final class TrajectoryGroup {

    private final String taskKey;
    private final List<Trajectory> trajectories;

    private TrajectoryGroup(String taskKey, List<Trajectory> trajectories) {
        this.taskKey = taskKey;
        this.trajectories = trajectories;
    }

    /**
     * Creates a group.
     *
     * @param taskKey identifies the task (environment seed) the trajectories started from
     * @param trajectories at least one trajectory
     * @return the group
     */
    public static TrajectoryGroup of(String taskKey, List<Trajectory> trajectories) {
        Objects.requireNonNull(taskKey, "taskKey");
        Checks.require(
                trajectories != null && !trajectories.isEmpty(),
                "trajectory group '%s' is empty",
                taskKey);
        return new TrajectoryGroup(taskKey, List.copyOf(trajectories));
    }

    /**
     * The task's identifier.
     *
     * @return the key
     */
    public String taskKey() {
        return taskKey;
    }

    /**
     * The trajectories.
     *
     * @return an unmodifiable list
     */
    public List<Trajectory> trajectories() {
        return trajectories;
    }

    /**
     * The number of trajectories G.
     *
     * @return the group size
     */
    public int size() {
        return trajectories.size();
    }

    /**
     * The total number of steps over all trajectories (the number of loss rows).
     *
     * @return the step count
     */
    public int stepCount() {
        int n = 0;
        for (Trajectory t : trajectories) {
            n += t.length();
        }
        return n;
    }

    @Override
    public String toString() {
        return "TrajectoryGroup{task=" + taskKey + ", G=" + trajectories.size() + '}';
    }
}
