package dev.grpo4j.core.advantage;

import dev.grpo4j.core.reward.RewardAggregation;
import dev.grpo4j.core.rollout.RolloutGroup;
import dev.grpo4j.core.rollout.TrajectoryGroup;
import dev.grpo4j.core.util.Checks;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What an estimator scores: either single-turn rollout groups or multi-turn trajectory groups.
 *
 * <p>Row order, which every {@link Advantages} follows: for rollout groups, group 0's rollouts
 * first, in order; for trajectory groups, group by group, trajectory by trajectory, step by step.
 *
 * <p>Rollouts carry their K per-function rewards unweighted. The reward specification (the K
 * weights and TRL's aggregation) may travel with the input: the trainer always attaches the weights
 * its reward functions were registered with, so every estimator combines rewards the way the logged
 * {@code reward} metric does. An estimator uses its own configured weights only when the input
 * carries none.
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
    private final double[] rewardWeights;
    private final RewardAggregation aggregation;

    private AdvantageInput(
            Kind kind,
            List<RolloutGroup> rolloutGroups,
            List<TrajectoryGroup> trajectoryGroups,
            double[] rewardWeights,
            RewardAggregation aggregation) {
        this.kind = kind;
        this.rolloutGroups = rolloutGroups;
        this.trajectoryGroups = trajectoryGroups;
        this.rewardWeights = rewardWeights;
        this.aggregation = aggregation;
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
        return new AdvantageInput(Kind.ROLLOUTS, List.copyOf(groups), List.of(), null, null);
    }

    /**
     * Wraps scored single-turn groups together with the reward specification they were scored
     * under.
     *
     * @param groups at least one group; every rollout must carry {@code weights.length} rewards
     * @param weights one weight per reward function
     * @param aggregation how weighted rewards are combined
     * @return the input
     */
    public static AdvantageInput ofRollouts(
            List<RolloutGroup> groups, double[] weights, RewardAggregation aggregation) {
        Objects.requireNonNull(groups, "groups");
        Objects.requireNonNull(weights, "weights");
        Objects.requireNonNull(aggregation, "aggregation");
        Checks.require(!groups.isEmpty(), "advantage input needs at least one rollout group");
        Checks.require(weights.length > 0, "at least one reward weight is needed");
        for (int k = 0; k < weights.length; k++) {
            Checks.finite("reward weight " + k, weights[k]);
        }
        for (int g = 0; g < groups.size(); g++) {
            for (int i = 0; i < groups.get(g).size(); i++) {
                int k = groups.get(g).rollout(i).rewards().length;
                Checks.require(
                        k == weights.length,
                        "rollout %d of group %d has %d rewards but %d reward weights were given",
                        i,
                        g,
                        k,
                        weights.length);
            }
        }
        return new AdvantageInput(
                Kind.ROLLOUTS, List.copyOf(groups), List.of(), weights.clone(), aggregation);
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
        return new AdvantageInput(Kind.TRAJECTORIES, List.of(), List.copyOf(groups), null, null);
    }

    /**
     * The reward weights the rollouts were scored under, if the input carries them.
     *
     * @return a copy of the K weights
     */
    public Optional<double[]> rewardWeights() {
        return rewardWeights == null ? Optional.empty() : Optional.of(rewardWeights.clone());
    }

    /**
     * The reward aggregation the rollouts were scored under, if the input carries it.
     *
     * @return the aggregation
     */
    public Optional<RewardAggregation> aggregation() {
        return Optional.ofNullable(aggregation);
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
