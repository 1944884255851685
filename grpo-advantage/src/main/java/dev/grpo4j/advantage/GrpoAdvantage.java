package dev.grpo4j.advantage;

import dev.grpo4j.advantage.internal.GroupStats;
import dev.grpo4j.advantage.internal.NdScope;
import dev.grpo4j.advantage.internal.SegmentLayout;
import dev.grpo4j.core.advantage.AdvantageEstimator;
import dev.grpo4j.core.advantage.AdvantageInput;
import dev.grpo4j.core.advantage.Advantages;
import dev.grpo4j.core.reward.RewardAggregation;
import dev.grpo4j.core.rollout.Rollout;
import dev.grpo4j.core.rollout.RolloutGroup;
import dev.grpo4j.core.util.Checks;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * GRPO's group-relative advantage (Shao et al. 2024, DeepSeekMath), with TRL's and verl's options.
 *
 * <p>For group g with (combined) rewards {@code r_i}: {@code A_i = (r_i - mean_g(r)) / (s + eps)},
 * where {@code s} is chosen by {@link RewardScale}: the group's sample standard deviation
 * (default), the batch's, or no division. NaN rewards are left out of the statistics and get
 * advantage 0 (TRL). With K reward functions per rollout the rewards are combined by {@link
 * RewardAggregation}: a weighted NaN-skipping sum then the group normalisation (default), or a
 * per-function group z-score, a weighted sum and a batch z-score (GDPO).
 *
 * <p>All statistics run on ND4J over the whole batch at once (see {@code docs/algorithms/grpo.md}).
 * Instances are immutable and thread-safe.
 *
 * <pre>{@code
 * double[][] a = GrpoAdvantage.builder().optScale(RewardScale.GROUP).optEpsilon(1e-4).build()
 *     .compute(new double[][] {{1, 0, 0, 1}, {0.2, 0.4, 0.6, 0.8}});
 * }</pre>
 */
public final class GrpoAdvantage implements AdvantageEstimator {

    /** TRL's epsilon, hard-coded there: {@value}. */
    public static final double DEFAULT_EPSILON = 1e-4;

    /** verl's epsilon: {@value}. */
    public static final double VERL_EPSILON = 1e-6;

    private final RewardScale scale;
    private final double epsilon;
    private final NanPolicy nanPolicy;
    private final SingletonPolicy singletonPolicy;
    private final double[] rewardWeights;
    private final RewardAggregation aggregation;

    private GrpoAdvantage(Builder b) {
        this.scale = b.scale;
        this.epsilon = b.epsilon;
        this.nanPolicy = b.nanPolicy;
        this.singletonPolicy = b.singletonPolicy;
        this.rewardWeights = b.rewardWeights == null ? null : b.rewardWeights.clone();
        this.aggregation = b.aggregation;
    }

    /**
     * Starts a builder with TRL's defaults: {@link RewardScale#GROUP}, epsilon 1e-4, {@link
     * NanPolicy#IGNORE}, {@link SingletonPolicy#REJECT}, weights 1, {@link
     * RewardAggregation#SUM_THEN_NORMALIZE}.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * verl's {@code compute_grpo_outcome_advantage}: epsilon 1e-6 and {@link
     * SingletonPolicy#RAW_SCORE}; the same as {@code
     * builder().optEpsilon(1e-6).optSingletonPolicy(SingletonPolicy.RAW_SCORE).build()}. For verl's
     * {@code norm_adv_by_std_in_grpo=false} use {@code
     * verl().toBuilder().optScale(RewardScale.NONE)}. NaN rewards still follow {@link
     * NanPolicy#IGNORE} (verl has no NaN handling).
     *
     * @return the estimator
     */
    public static GrpoAdvantage verl() {
        return builder()
                .optEpsilon(VERL_EPSILON)
                .optSingletonPolicy(SingletonPolicy.RAW_SCORE)
                .build();
    }

    /**
     * A builder holding this estimator's settings, to derive a variant.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b =
                new Builder()
                        .optScale(scale)
                        .optEpsilon(epsilon)
                        .optNanPolicy(nanPolicy)
                        .optSingletonPolicy(singletonPolicy)
                        .optAggregation(aggregation);
        if (rewardWeights != null) {
            b.optRewardWeights(rewardWeights);
        }
        return b;
    }

    /**
     * Advantages of single-reward groups.
     *
     * @param rewardsByGroup {@code [group][rollout]} rewards; groups may differ in size; NaN means
     *     "not applicable"
     * @return {@code [group][rollout]} advantages, same shape
     * @throws IllegalArgumentException for no groups, an empty or null group, an infinite reward, a
     *     NaN under {@link NanPolicy#REJECT}, a singleton under {@link SingletonPolicy#REJECT}, or
     *     reward weights for more than one function
     */
    public double[][] compute(double[][] rewardsByGroup) {
        RewardColumns columns = RewardColumns.of(rewardsByGroup, nanPolicy, singletonPolicy);
        return columns.split(advantages(columns));
    }

    /**
     * Advantages of multi-reward groups: K reward functions per rollout, combined by the configured
     * weights and {@link RewardAggregation}.
     *
     * @param rewardsByGroupAndFunction {@code [group][rollout][k]}; every rollout has the same K;
     *     NaN means "this function does not apply"
     * @return {@code [group][rollout]} advantages
     * @throws IllegalArgumentException for the cases of {@link #compute(double[][])}, a rollout
     *     with a different K, or weights whose length is not K
     */
    public double[][] compute(double[][][] rewardsByGroupAndFunction) {
        RewardColumns columns =
                RewardColumns.of(rewardsByGroupAndFunction, nanPolicy, singletonPolicy);
        return columns.split(advantages(columns));
    }

    /**
     * {@inheritDoc}
     *
     * <p>Accepts {@link AdvantageInput.Kind#ROLLOUTS}; each rollout's {@link Rollout#rewards()} are
     * its K per-function rewards. Reward weights and aggregation carried by the input (the ones the
     * trainer scored with) take precedence over this estimator's own. Returns {@link
     * Advantages#perRollout} in row order.
     */
    @Override
    public Advantages estimate(AdvantageInput input) {
        Objects.requireNonNull(input, "input");
        Checks.require(
                input.kind() == AdvantageInput.Kind.ROLLOUTS,
                "GrpoAdvantage scores rollout groups, not %s",
                input.kind());
        List<RolloutGroup> groups = input.rolloutGroups();
        double[][][] rewards = new double[groups.size()][][];
        for (int g = 0; g < rewards.length; g++) {
            RolloutGroup group = groups.get(g);
            rewards[g] = new double[group.size()][];
            for (int r = 0; r < group.size(); r++) {
                Rollout rollout = group.rollout(r);
                Checks.require(
                        rollout.isScored(),
                        "rollout %d of group %d ('%s') is not scored",
                        r,
                        g,
                        group.promptKey());
                rewards[g][r] = rollout.rewards();
            }
        }
        GrpoAdvantage scorer = this;
        if (input.rewardWeights().isPresent() || input.aggregation().isPresent()) {
            Builder b = toBuilder();
            input.rewardWeights().ifPresent(b::optRewardWeights);
            input.aggregation().ifPresent(b::optAggregation);
            scorer = b.build();
        }
        double[][] adv = scorer.compute(rewards);
        double[] flat = new double[input.rowCount()];
        int i = 0;
        for (double[] group : adv) {
            System.arraycopy(group, 0, flat, i, group.length);
            i += group.length;
        }
        return Advantages.perRollout(flat);
    }

    /**
     * Returns {@code true} for rollouts only.
     *
     * @param kind the input kind
     * @return whether {@link #estimate} accepts it
     */
    @Override
    public boolean supports(AdvantageInput.Kind kind) {
        return kind == AdvantageInput.Kind.ROLLOUTS;
    }

    /**
     * Returns {@code "grpo"}.
     *
     * @return the name
     */
    @Override
    public String name() {
        return "grpo";
    }

    /**
     * The scale.
     *
     * @return the configured {@link RewardScale}
     */
    public RewardScale scale() {
        return scale;
    }

    /**
     * The epsilon added to the divisor.
     *
     * @return epsilon
     */
    public double epsilon() {
        return epsilon;
    }

    /**
     * The NaN policy.
     *
     * @return the policy
     */
    public NanPolicy nanPolicy() {
        return nanPolicy;
    }

    /**
     * The singleton-group policy.
     *
     * @return the policy
     */
    public SingletonPolicy singletonPolicy() {
        return singletonPolicy;
    }

    /**
     * The reward weights, if set (otherwise every function weighs 1).
     *
     * @return a copy of the weights, or an empty array when not set
     */
    public double[] rewardWeights() {
        return rewardWeights == null ? new double[0] : rewardWeights.clone();
    }

    /**
     * The multi-reward aggregation.
     *
     * @return the aggregation
     */
    public RewardAggregation aggregation() {
        return aggregation;
    }

    /** The advantages of every rollout, in row order. */
    private double[] advantages(RewardColumns columns) {
        int k = columns.functions();
        int rows = columns.rows();
        int[] sizes = columns.sizes();
        double[] byFunction = columns.byFunction();
        boolean[] unscorable = columns.unscorable();
        double[] weights = weightsFor(k);
        try (NdScope scope = NdScope.open()) {
            if (aggregation == RewardAggregation.NORMALIZE_THEN_SUM) {
                return normalizeThenSum(byFunction, weights, sizes, unscorable);
            }
            double[] combined = byFunction;
            if (k > 1 || weights[0] != 1.0) {
                combined = weightedSum(byFunction, weights, rows, unscorable);
            }
            SegmentLayout layout = SegmentLayout.contiguous(sizes);
            GroupStats stats =
                    GroupStats.compute(layout.pack(combined), layout, singletonPolicy.rawScore());
            scale.scale(stats, epsilon);
            return stats.toRowOrder();
        }
    }

    /** GDPO: per-function group z-scores, weighted sum, batch z-score. */
    private double[] normalizeThenSum(
            double[] byFunction, double[] weights, int[] sizes, boolean[] unscorable) {
        int k = weights.length;
        int rows = unscorable.length;
        // Each (function, group) pair is one segment; the K columns are normalised in one pass.
        int[] perFunctionSizes = new int[k * sizes.length];
        for (int f = 0; f < k; f++) {
            System.arraycopy(sizes, 0, perFunctionSizes, f * sizes.length, sizes.length);
        }
        SegmentLayout layout = SegmentLayout.contiguous(perFunctionSizes);
        GroupStats perFunction =
                GroupStats.compute(layout.pack(byFunction), layout, singletonPolicy.rawScore());
        perFunction.divideBySegmentStd(epsilon);
        // A NaN reward has z = 0 here, the same as nansum skipping it.
        double[] combined = weightedSum(perFunction.toRowOrder(), weights, rows, unscorable);
        SegmentLayout batch = SegmentLayout.contiguous(new int[] {rows});
        GroupStats batchStats = GroupStats.compute(combined, batch, false);
        batchStats.divideBySegmentStd(epsilon);
        return batchStats.toRowOrder();
    }

    /** {@code r_i = sum_f w_f x_fi} over non-NaN terms on ND4J; NaN for unscorable rows. */
    private static double[] weightedSum(
            double[] byFunction, double[] weights, int rows, boolean[] unscorable) {
        int k = weights.length;
        double[] zeroed = new double[byFunction.length];
        for (int j = 0; j < zeroed.length; j++) {
            double v = byFunction[j];
            zeroed[j] = Double.isNaN(v) ? 0 : v;
        }
        INDArray x = NdScope.matrix(zeroed, 0, k, rows);
        INDArray w = NdScope.matrix(weights, 0, 1, k);
        double[] combined = NdScope.read(w.mmul(x));
        for (int i = 0; i < rows; i++) {
            if (unscorable[i]) {
                combined[i] = Double.NaN;
            }
        }
        return combined;
    }

    private double[] weightsFor(int k) {
        if (rewardWeights == null) {
            double[] ones = new double[k];
            Arrays.fill(ones, 1.0);
            return ones;
        }
        Checks.require(
                rewardWeights.length == k,
                "reward weights have %d entries but each rollout has %d rewards",
                rewardWeights.length,
                k);
        return rewardWeights;
    }

    @Override
    public String toString() {
        return "GrpoAdvantage{scale="
                + scale
                + ", epsilon="
                + epsilon
                + ", nan="
                + nanPolicy
                + ", singleton="
                + singletonPolicy
                + ", weights="
                + (rewardWeights == null ? "1" : Arrays.toString(rewardWeights))
                + ", aggregation="
                + aggregation
                + '}';
    }

    /** Builds a {@link GrpoAdvantage}; every setting is optional ({@code optX}). */
    public static final class Builder {
        private RewardScale scale = RewardScale.GROUP;
        private double epsilon = DEFAULT_EPSILON;
        private NanPolicy nanPolicy = NanPolicy.IGNORE;
        private SingletonPolicy singletonPolicy = SingletonPolicy.REJECT;
        private double[] rewardWeights;
        private RewardAggregation aggregation = RewardAggregation.SUM_THEN_NORMALIZE;

        private Builder() {}

        /**
         * Sets the divisor (default {@link RewardScale#GROUP}).
         *
         * @param scale the scale
         * @return this builder
         */
        public Builder optScale(RewardScale scale) {
            this.scale = Objects.requireNonNull(scale, "scale");
            return this;
        }

        /**
         * Sets the epsilon added to the standard deviation (default 1e-4 as TRL; verl uses 1e-6).
         * With 0 the advantages are exact z-scores; a group of equal rewards still gets 0.
         *
         * @param epsilon a finite value {@code >= 0}
         * @return this builder
         */
        public Builder optEpsilon(double epsilon) {
            this.epsilon = Checks.nonNegative("epsilon", epsilon);
            return this;
        }

        /**
         * Sets what a NaN reward means (default {@link NanPolicy#IGNORE}).
         *
         * @param nanPolicy the policy
         * @return this builder
         */
        public Builder optNanPolicy(NanPolicy nanPolicy) {
            this.nanPolicy = Objects.requireNonNull(nanPolicy, "nanPolicy");
            return this;
        }

        /**
         * Sets what a group of one rollout gets (default {@link SingletonPolicy#REJECT}).
         *
         * @param singletonPolicy the policy
         * @return this builder
         */
        public Builder optSingletonPolicy(SingletonPolicy singletonPolicy) {
            this.singletonPolicy = Objects.requireNonNull(singletonPolicy, "singletonPolicy");
            return this;
        }

        /**
         * Sets one weight per reward function (default 1 each), as TRL's {@code reward_weights}.
         *
         * @param rewardWeights K finite weights
         * @return this builder
         */
        public Builder optRewardWeights(double... rewardWeights) {
            Objects.requireNonNull(rewardWeights, "rewardWeights");
            Checks.require(rewardWeights.length > 0, "reward weights must not be empty");
            for (int f = 0; f < rewardWeights.length; f++) {
                Checks.finite("reward weight " + f, rewardWeights[f]);
            }
            this.rewardWeights = rewardWeights.clone();
            return this;
        }

        /**
         * Sets how K rewards become one advantage (default {@link
         * RewardAggregation#SUM_THEN_NORMALIZE}).
         *
         * @param aggregation the aggregation
         * @return this builder
         */
        public Builder optAggregation(RewardAggregation aggregation) {
            this.aggregation = Objects.requireNonNull(aggregation, "aggregation");
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the estimator
         * @throws IllegalArgumentException if {@link RewardAggregation#NORMALIZE_THEN_SUM} is
         *     combined with a scale other than {@link RewardScale#GROUP}
         */
        public GrpoAdvantage build() {
            Checks.require(
                    aggregation != RewardAggregation.NORMALIZE_THEN_SUM
                            || scale == RewardScale.GROUP,
                    "scale %s has no effect with NORMALIZE_THEN_SUM, which z-scores each function"
                            + " within its group and the weighted sum over the batch; keep the"
                            + " default scale GROUP",
                    scale);
            return new GrpoAdvantage(this);
        }
    }
}
