package dev.grpo4j.advantage;

import dev.grpo4j.advantage.internal.GroupStats;
import dev.grpo4j.advantage.internal.NdScope;
import dev.grpo4j.advantage.internal.SegmentLayout;
import dev.grpo4j.core.advantage.AdvantageEstimator;
import dev.grpo4j.core.advantage.AdvantageInput;
import dev.grpo4j.core.advantage.Advantages;
import dev.grpo4j.core.rollout.Step;
import dev.grpo4j.core.rollout.Trajectory;
import dev.grpo4j.core.rollout.TrajectoryGroup;
import dev.grpo4j.core.util.Checks;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * GiGPO's two-level advantage for multi-turn agents (Feng et al. 2025, arXiv 2505.10978), as
 * verl-agent computes it.
 *
 * <p>Within each group of G trajectories started from the same task, every step row gets {@code A =
 * A_E + omega * A_S}:
 *
 * <ul>
 *   <li>the episode advantage {@code A_E = R - mean(V)} (or divided by {@code std(V) + eps} in
 *       {@link GigpoMode#MEAN_STD_NORM}), where R is the trajectory's episode score and V the
 *       group's list of episode scores, one entry per step row or per trajectory ({@link
 *       EpisodeStatistics}); a list of one entry uses mean 0 and std 1;
 *   <li>the step advantage {@code A_S}, the same normalisation applied to the discounted return
 *       {@code Ret_t = r_t + gamma * Ret_{t+1}} within the step group: the rows of the group whose
 *       anchor states are identical (or similar, see {@link Builder#optSimilarityGrouping}); a step
 *       group of one row gets {@code A_S = 0}.
 * </ul>
 *
 * <p>Returns, episode and step statistics run on ND4J over the whole batch. Instances are immutable
 * and thread-safe. verl-agent's optional invalid-action penalty is not applied here; subtract it
 * from the step rewards and episode scores beforehand.
 *
 * <pre>{@code
 * double[][][] g = GigpoAdvantage.builder().optGamma(0.95).optStepWeight(1.0)
 *     .optMode(GigpoMode.MEAN_NORM).optEpsilon(1e-6).build()
 *     .compute(anchorStates, stepRewards); // [group][trajectory][step]
 * }</pre>
 */
public final class GigpoAdvantage implements AdvantageEstimator {

    /** verl-agent's config default for gamma: {@value} (its example scripts use 0.95). */
    public static final double DEFAULT_GAMMA = 1.0;

    /** verl-agent's epsilon: {@value}. */
    public static final double DEFAULT_EPSILON = 1e-6;

    /** verl-agent's default similarity threshold: {@value}. */
    public static final double DEFAULT_SIMILARITY_THRESHOLD = 0.95;

    private final double gamma;
    private final double stepWeight;
    private final GigpoMode mode;
    private final double epsilon;
    private final EpisodeStatistics episodeStatistics;
    private final boolean similarityGrouping;
    private final double similarityThreshold;

    private GigpoAdvantage(Builder b) {
        this.gamma = b.gamma;
        this.stepWeight = b.stepWeight;
        this.mode = b.mode;
        this.epsilon = b.epsilon;
        this.episodeStatistics = b.episodeStatistics;
        this.similarityGrouping = b.similarityGrouping;
        this.similarityThreshold = b.similarityThreshold;
    }

    /**
     * Starts a builder with verl-agent's config defaults: gamma 1.0, step weight 1.0, {@link
     * GigpoMode#MEAN_NORM}, epsilon 1e-6, {@link EpisodeStatistics#PER_STEP}, exact anchor
     * grouping.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Advantages of text-anchored trajectories whose episode score is the sum of their step
     * rewards.
     *
     * @param anchorStates {@code [group][trajectory][step]} anchor observations
     * @param stepRewards {@code [group][trajectory][step]} finite step rewards, same shape
     * @return {@code [group][trajectory][step]} advantages
     * @throws IllegalArgumentException if the shapes differ, a group or trajectory is empty, an
     *     anchor is null or a reward is not finite
     */
    public double[][][] compute(String[][][] anchorStates, double[][][] stepRewards) {
        return compute((Object[][][]) anchorStates, stepRewards, null);
    }

    /**
     * Advantages of trajectories with any supported anchor type (strings, numbers, arrays, lists,
     * maps) whose episode score is the sum of their step rewards.
     *
     * @param anchorStates {@code [group][trajectory][step]} anchor states
     * @param stepRewards {@code [group][trajectory][step]} finite step rewards, same shape
     * @return {@code [group][trajectory][step]} advantages
     * @throws IllegalArgumentException as {@link #compute(String[][][], double[][][])}, or for an
     *     anchor of an unsupported type
     */
    public double[][][] compute(Object[][][] anchorStates, double[][][] stepRewards) {
        return compute(anchorStates, stepRewards, null);
    }

    /**
     * Advantages of trajectories with explicit episode scores.
     *
     * @param anchorStates {@code [group][trajectory][step]} anchor states
     * @param stepRewards {@code [group][trajectory][step]} finite step rewards, same shape
     * @param episodeScores {@code [group][trajectory]} finite episode scores R, or null for the sum
     *     of each trajectory's step rewards
     * @return {@code [group][trajectory][step]} advantages
     * @throws IllegalArgumentException as {@link #compute(Object[][][], double[][][])}, or if the
     *     scores do not match the trajectories
     */
    public double[][][] compute(
            Object[][][] anchorStates, double[][][] stepRewards, double[][] episodeScores) {
        TrajectoryBatch batch = TrajectoryBatch.of(anchorStates, stepRewards, episodeScores);
        return batch.split(advantages(batch));
    }

    /**
     * {@inheritDoc}
     *
     * <p>Accepts {@link AdvantageInput.Kind#TRAJECTORIES}: anchors from {@link Step#anchorState()},
     * step rewards from {@link Step#reward()}, R from {@link Trajectory#episodeScore()}. Returns
     * {@link Advantages#perStep} in the order group, trajectory, step.
     */
    @Override
    public Advantages estimate(AdvantageInput input) {
        Objects.requireNonNull(input, "input");
        Checks.require(
                input.kind() == AdvantageInput.Kind.TRAJECTORIES,
                "GigpoAdvantage scores trajectory groups, not %s",
                input.kind());
        List<TrajectoryGroup> groups = input.trajectoryGroups();
        Object[][][] anchors = new Object[groups.size()][][];
        double[][][] rewards = new double[groups.size()][][];
        double[][] scores = new double[groups.size()][];
        for (int g = 0; g < anchors.length; g++) {
            List<Trajectory> ts = groups.get(g).trajectories();
            anchors[g] = new Object[ts.size()][];
            rewards[g] = new double[ts.size()][];
            scores[g] = new double[ts.size()];
            for (int t = 0; t < ts.size(); t++) {
                anchors[g][t] = ts.get(t).anchorStates();
                rewards[g][t] = ts.get(t).stepRewards();
                scores[g][t] = ts.get(t).episodeScore();
            }
        }
        return Advantages.perStep(advantages(TrajectoryBatch.of(anchors, rewards, scores)));
    }

    /**
     * Returns {@code true} for trajectories only.
     *
     * @param kind the input kind
     * @return whether {@link #estimate} accepts it
     */
    @Override
    public boolean supports(AdvantageInput.Kind kind) {
        return kind == AdvantageInput.Kind.TRAJECTORIES;
    }

    /**
     * Returns {@code "gigpo"}.
     *
     * @return the name
     */
    @Override
    public String name() {
        return "gigpo";
    }

    /** All rows' advantages, in row order. */
    private double[] advantages(TrajectoryBatch batch) {
        int[] stepGroup = new int[batch.rows()];
        int stepGroups =
                similarityGrouping
                        ? StepGroups.similar(batch, similarityThreshold, stepGroup)
                        : StepGroups.exact(batch, stepGroup);
        double[] advantage = new double[batch.rows()];
        try (NdScope scope = NdScope.open()) {
            addEpisodeAdvantages(batch, advantage);
            double[] returns = discountedReturns(batch);
            SegmentLayout layout = SegmentLayout.of(stepGroup, stepGroups);
            GroupStats steps = GroupStats.compute(layout.pack(returns), layout, false);
            mode.normalize(steps, epsilon);
            steps.addTo(stepWeight, advantage);
        }
        return advantage;
    }

    /**
     * {@code A_E}, computed per trajectory: a trajectory's score enters its group's list V once, or
     * once per step as a weight (the same mean and standard deviation as repeating it, with a tenth
     * of the data for 10-step trajectories). A list of one entry uses mean 0 and std 1.
     */
    private void addEpisodeAdvantages(TrajectoryBatch batch, double[] advantage) {
        SegmentLayout layout = SegmentLayout.contiguous(batch.trajectoriesPerGroup());
        double[] weights = episodeStatistics.entriesPerTrajectory(batch);
        GroupStats stats =
                GroupStats.compute(
                        layout.pack(batch.scores()),
                        weights == null ? null : layout.pack(weights),
                        layout,
                        true);
        mode.normalize(stats, epsilon);
        double[] perTrajectory = stats.toRowOrder();
        for (int j = 0; j < perTrajectory.length; j++) {
            int start = batch.start(j);
            Arrays.fill(advantage, start, start + batch.length(j), perTrajectory[j]);
        }
    }

    /**
     * {@code Ret_t = r_t + gamma * Ret_{t+1}} for all trajectories at once: a {@code [T, n]}
     * matrix, time by trajectory, zero-padded past each end, swept from the last step back.
     */
    private double[] discountedReturns(TrajectoryBatch batch) {
        double[] rewards = batch.rewards();
        if (gamma == 0) {
            return rewards;
        }
        int n = batch.trajectories();
        int steps = batch.maxLength();
        double[] padded = new double[steps * n];
        for (int j = 0; j < n; j++) {
            int start = batch.start(j);
            for (int t = 0; t < batch.length(j); t++) {
                padded[t * n + j] = rewards[start + t];
            }
        }
        INDArray ret = NdScope.matrix(padded, 0, steps, n);
        for (int t = steps - 2; t >= 0; t--) {
            Nd4j.getBlasWrapper().level1().axpy(n, gamma, ret.getRow(t + 1), ret.getRow(t));
        }
        NdScope.read(ret, padded, 0);
        double[] returns = new double[rewards.length];
        for (int j = 0; j < n; j++) {
            int start = batch.start(j);
            for (int t = 0; t < batch.length(j); t++) {
                returns[start + t] = padded[t * n + j];
            }
        }
        return returns;
    }

    @Override
    public String toString() {
        return "GigpoAdvantage{gamma="
                + gamma
                + ", stepWeight="
                + stepWeight
                + ", mode="
                + mode
                + ", epsilon="
                + epsilon
                + ", episodeStatistics="
                + episodeStatistics
                + (similarityGrouping ? ", similarity>=" + similarityThreshold : ", exact anchors")
                + '}';
    }

    /** Builds a {@link GigpoAdvantage}; every setting is optional ({@code optX}). */
    public static final class Builder {
        private double gamma = DEFAULT_GAMMA;
        private double stepWeight = 1.0;
        private GigpoMode mode = GigpoMode.MEAN_NORM;
        private double epsilon = DEFAULT_EPSILON;
        private EpisodeStatistics episodeStatistics = EpisodeStatistics.PER_STEP;
        private boolean similarityGrouping;
        private double similarityThreshold = DEFAULT_SIMILARITY_THRESHOLD;

        private Builder() {}

        /**
         * Sets the discount of the step returns (default 1.0, verl-agent's config default; its
         * published scripts use 0.95).
         *
         * @param gamma a value in [0, 1]
         * @return this builder
         */
        public Builder optGamma(double gamma) {
            this.gamma = Checks.inRange("gamma", gamma, 0, 1);
            return this;
        }

        /**
         * Sets omega, the weight of the step advantage (default 1.0).
         *
         * @param stepWeight a finite weight
         * @return this builder
         */
        public Builder optStepWeight(double stepWeight) {
            this.stepWeight = Checks.finite("step weight", stepWeight);
            return this;
        }

        /**
         * Sets the normalisation of both levels (default {@link GigpoMode#MEAN_NORM}).
         *
         * @param mode the mode
         * @return this builder
         */
        public Builder optMode(GigpoMode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /**
         * Sets the epsilon added to standard deviations in {@link GigpoMode#MEAN_STD_NORM} (default
         * 1e-6).
         *
         * @param epsilon a finite value {@code >= 0}
         * @return this builder
         */
        public Builder optEpsilon(double epsilon) {
            this.epsilon = Checks.nonNegative("epsilon", epsilon);
            return this;
        }

        /**
         * Sets the list the episode statistics are taken over (default {@link
         * EpisodeStatistics#PER_STEP}).
         *
         * @param episodeStatistics the choice
         * @return this builder
         */
        public Builder optEpisodeStatistics(EpisodeStatistics episodeStatistics) {
            this.episodeStatistics = Objects.requireNonNull(episodeStatistics, "episodeStatistics");
            return this;
        }

        /**
         * Groups text anchors by similarity instead of identity (default off): a row joins the
         * first step group whose first member has a {@code difflib} ratio of at least the threshold
         * with it. Every anchor must then be a string.
         *
         * @param enable whether to group by similarity
         * @return this builder
         */
        public Builder optSimilarityGrouping(boolean enable) {
            this.similarityGrouping = enable;
            return this;
        }

        /**
         * Sets the similarity threshold (default 0.95), used when similarity grouping is on.
         *
         * @param threshold a value strictly between 0 and 1
         * @return this builder
         */
        public Builder optSimilarityThreshold(double threshold) {
            Checks.require(
                    threshold > 0 && threshold < 1,
                    "similarity threshold must lie in (0, 1) but was %s",
                    threshold);
            this.similarityThreshold = threshold;
            return this;
        }

        /**
         * Builds the estimator.
         *
         * @return the estimator
         */
        public GigpoAdvantage build() {
            return new GigpoAdvantage(this);
        }
    }
}
