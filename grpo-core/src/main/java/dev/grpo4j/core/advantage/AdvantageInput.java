package dev.grpo4j.core.advantage;

import dev.grpo4j.core.rollout.RolloutGroup;
import dev.grpo4j.core.rollout.TrajectoryGroup;
import dev.grpo4j.core.util.Checks;
import java.util.List;
import java.util.Objects;

/**
 * What an estimator scores: either single-turn rollout groups or multi-turn trajectory groups.
 *
 * <p>Row order, which every {@link Advantages} follows: for rollout groups, group 0's rollouts first,
 * in order; for trajectory groups, group by group, trajectory by trajectory, step by step.
 */
public final class AdvantageInput {

    /** Which of the two forms an input holds. */
    public enum Kind {
        /** Single-turn: {@link #rolloutGroups()}. */
        ROLLOUTS,
        /** Multi-turn: {@link #trajectoryGroups()}. */
        TRAJECTORIES
    }

    private final Kind kind;
    private final List<RolloutGroup> rolloutGroups;
    private final List<TrajectoryGroup> trajectoryGroups;

    private AdvantageInput(
            Kind kind, List<RolloutGroup> rolloutGroups, List<TrajectoryGroup> trajectoryGroups) {
        this.kind = kind;
        this.rolloutGroups = rolloutGroups;
        this.trajectoryGroups = trajectoryGroups;
    }

    /**
     * Wraps scored single-turn groups.
     *
     * @param groups at least one group; every rollout must be scored
     * @return the input
     */
    public static AdvantageInput ofRollouts(List<RolloutGroup> groups) {
        Objects.requireNonNull(groups, "groups");
        Checks.require(!groups.isEmpty(), "advantage input needs at least one rollout group");
        return new AdvantageInput(Kind.ROLLOUTS, List.copyOf(groups), List.of());
    }

    /**
     * Wraps multi-turn trajectory groups.
     *
     * @param groups at least one group
     * @return the input
     */
    public static AdvantageInput ofTrajectories(List<TrajectoryGroup> groups) {
        Objects.requireNonNull(groups, "groups");
        Checks.require(!groups.isEmpty(), "advantage input needs at least one trajectory group");
        return new AdvantageInput(Kind.TRAJECTORIES, List.of(), List.copyOf(groups));
    }

    /**
     * Which form this input holds.
     *
     * @return the kind
     */
    public Kind kind() {
        return kind;
    }

    /**
     * The single-turn groups; empty for trajectory input.
     *
     * @return an unmodifiable list
     */
    public List<RolloutGroup> rolloutGroups() {
        return rolloutGroups;
    }

    /**
     * The multi-turn groups; empty for rollout input.
     *
     * @return an unmodifiable list
     */
    public List<TrajectoryGroup> trajectoryGroups() {
        return trajectoryGroups;
    }

    /**
     * The number of loss rows: rollouts, or steps for trajectory input.
     *
     * @return the row count
     */
    public int rowCount() {
        int n = 0;
        if (kind == Kind.ROLLOUTS) {
            for (RolloutGroup g : rolloutGroups) {
                n += g.size();
            }
        } else {
            for (TrajectoryGroup g : trajectoryGroups) {
                n += g.stepCount();
            }
        }
        return n;
    }
}
