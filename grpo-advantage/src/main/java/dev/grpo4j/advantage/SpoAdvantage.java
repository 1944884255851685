package dev.grpo4j.advantage;

import dev.grpo4j.core.advantage.AdvantageEstimator;
import dev.grpo4j.core.advantage.AdvantageInput;
import dev.grpo4j.core.advantage.Advantages;
import dev.grpo4j.core.advantage.DriftAwareEstimator;
import dev.grpo4j.core.advantage.StatefulEstimator;
import dev.grpo4j.core.reward.RewardAggregation;
import dev.grpo4j.core.rollout.Rollout;
import dev.grpo4j.core.rollout.RolloutGroup;
import dev.grpo4j.core.util.Checks;
import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * SPO, single-stream policy optimization (Xu and Ding, arXiv 2509.13232; ALGORITHMS.md section 4):
 * one response per prompt, and a persistent per-prompt success tracker instead of a group as
 * baseline.
 *
 * <p>Per prompt the tracker holds a {@link BetaEstimate} with {@code p = alpha / (alpha + beta)}.
 * {@link #compute} returns {@code A_i = (a_i - mean(a)) / (std(a) + eps)} with {@code a_i = r_i -
 * p(x_i)} taken <em>before</em> this batch's update (sample std over the batch; all zeros when
 * every {@code a_i} is equal). After the policy update the trainer calls {@link #update} once per
 * rollout with the measured drift D: {@code alpha <- rho * alpha + r}, {@code beta <- rho * beta +
 * (1 - r)}, {@code rho} from {@link SpoForgetting}. {@link SpoPromptSampler} draws prompts in
 * proportion to {@link #samplingWeight}.
 *
 * <p>Rewards must lie in [0, 1] (fractional rewards are fine; they give the running-mean form of
 * the update) unless {@link Builder#optRewardRange} maps another range onto [0, 1]. Unknown prompt
 * ids are an error unless {@link Builder#optAutoInitialize} is on.
 *
 * <p>Thread-safe: updates, reads and sampling may run concurrently; updates of one prompt are
 * atomic and applied in the order they arrive, and {@link #stateToJson()} sees a consistent
 * snapshot.
 */
public final class SpoAdvantage
        implements AdvantageEstimator, StatefulEstimator, DriftAwareEstimator {

    /** The recipe's drift half-life {@code D_half}. */
    public static final double DEFAULT_DRIFT_HALF_LIFE = 0.06;

    /** The recipe's lower clamp of rho ({@code rho.clip_lower}); also fixes {@code N0}. */
    public static final double DEFAULT_RHO_MIN = 0.875;

    /** The recipe's upper clamp of rho. */
    public static final double DEFAULT_RHO_MAX = 0.96;

    /** The recipe's constant rho ({@code rho.value}). */
    public static final double DEFAULT_CONSTANT_RHO = 0.875;

    /** The recipe's offline sample count {@code n0} per prompt. */
    public static final int DEFAULT_OFFLINE_SAMPLES = 8;

    /** The recipe's exploration bonus added to every sampling weight. */
    public static final double DEFAULT_EXPLORATION = 0.05;

    /** The recipe's epsilon in the global normalisation. */
    public static final double DEFAULT_EPSILON = 1e-8;

    private final SpoForgetting forgetting;
    private final double driftHalfLife;
    private final double rhoMin;
    private final double rhoMax;
    private final double constantRho;
    private final int offlineSamples;
    private final double exploration;
    private final double epsilon;
    private final SpoRewards rewardRules;
    private final SpoTracker tracker;

    private SpoAdvantage(Builder b) {
        this.forgetting = b.forgetting;
        this.driftHalfLife = b.driftHalfLife;
        this.rhoMin = b.rhoMin;
        this.rhoMax = b.rhoMax;
        this.constantRho = b.constantRho;
        this.offlineSamples = b.offlineSamples;
        this.exploration = b.exploration;
        this.epsilon = b.epsilon;
        this.rewardRules = new SpoRewards(b.rewardMin, b.rewardMax, b.rewardWeights);
        this.tracker = new SpoTracker(b.autoInitialize);
    }

    /**
     * Starts a builder with the recipe's defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Sets a prompt's tracker from an offline evaluation of the initial policy: {@code successes}
     * of {@code samples} binarised rewards, turned into {@link BetaEstimate#offlinePrior} with
     * {@code n0} (default 8) and {@code N0 = 1 / (1 - rho_min)}; 0 samples give {@code alpha = beta
     * = 0.5}. Binarising raw scores is the caller's job (or use {@link #initializeFromScores}).
     * Replaces any existing entry.
     *
     * @param promptId the prompt
     * @param successes how many samples succeeded, {@code 0 <= successes <= samples}
     * @param samples how many samples were evaluated, {@code >= 0}
     */
    public void initialize(String promptId, int successes, int samples) {
        Objects.requireNonNull(promptId, "promptId");
        Checks.require(
                samples >= 0 && successes >= 0 && successes <= samples,
                "prompt '%s': successes must lie in [0, samples] and samples must be >= 0 but were"
                        + " %d of %d",
                promptId,
                successes,
                samples);
        double total = 1.0 / (1.0 - rhoMin);
        tracker.put(promptId, BetaEstimate.offlinePrior(successes, samples, offlineSamples, total));
    }

    /**
     * Initialises a prompt from raw offline scores with the recipe's rule: a score {@code > 0} is a
     * success.
     *
     * @param promptId the prompt
     * @param scores the offline scores, none NaN
     */
    public void initializeFromScores(String promptId, double... scores) {
        int successes = 0;
        for (int i = 0; i < scores.length; i++) {
            Checks.require(
                    !Double.isNaN(scores[i]),
                    "offline score %d of prompt '%s' is NaN",
                    i,
                    promptId);
            successes += scores[i] > 0 ? 1 : 0;
        }
        initialize(promptId, successes, scores.length);
    }

    /**
     * SPO advantages of one batch, with the baseline as it stands before this batch's update.
     *
     * @param promptIds {@code [B]} the prompt of each response; duplicates are allowed
     * @param rewards {@code [B]} each response's reward, in [0, 1] or the configured range
     * @return {@code [B]} globally normalised advantages
     * @throws IllegalArgumentException for mismatched lengths, bad rewards or unknown prompts
     */
    public double[] compute(String[] promptIds, double[] rewards) {
        Objects.requireNonNull(promptIds, "promptIds");
        Objects.requireNonNull(rewards, "rewards");
        Checks.require(promptIds.length > 0, "SPO needs at least one response but got none");
        Checks.require(
                promptIds.length == rewards.length,
                "%d prompt ids but %d rewards",
                promptIds.length,
                rewards.length);
        double[] a = new double[rewards.length];
        for (int i = 0; i < a.length; i++) {
            a[i] = rewardRules.toUnit(promptIds[i], rewards[i]);
        }
        // One lock for the whole batch: every baseline comes from the same state.
        tracker.shared(
                () -> {
                    for (int i = 0; i < a.length; i++) {
                        a[i] -= tracker.lookup(promptIds[i]).mean();
                    }
                    return null;
                });
        return normalize(a, epsilon);
    }

    /** {@code (a - mean) / (std + eps)} over the whole batch, on ND4J; zeros if all are equal. */
    static double[] normalize(double[] a, double epsilon) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : a) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        if (max == min) {
            return new double[a.length];
        }
        INDArray v = Nd4j.createFromArray(a);
        double mean = v.meanNumber().doubleValue();
        double std = v.std(true, 0).getDouble(0);
        return v.subi(mean).divi(std + epsilon).toDoubleVector();
    }

    /**
     * Adds one observation to a prompt's tracker, discounted by the forgetting factor for the
     * drift.
     *
     * @param promptId the prompt
     * @param reward the response's reward, in [0, 1] or the configured range
     * @param drift the measured policy drift D, finite and {@code >= 0} (0 on a first visit)
     * @throws IllegalArgumentException for a bad reward or drift, or an unknown prompt
     */
    public void update(String promptId, double reward, double drift) {
        Objects.requireNonNull(promptId, "promptId");
        double r = rewardRules.toUnit(promptId, reward);
        double rho = rho(drift);
        tracker.update(promptId, old -> old.observe(r, rho));
    }

    /**
     * Applies {@link #update} for a whole batch, in order, so a prompt that occurs twice is updated
     * twice in sequence (the recipe keeps only the later write). Everything is validated before the
     * first update.
     *
     * @param promptIds {@code [B]} the prompts
     * @param rewards {@code [B]} the rewards
     * @param drifts {@code [B]} the drifts
     */
    public void updateAll(String[] promptIds, double[] rewards, double[] drifts) {
        Checks.require(
                promptIds.length == rewards.length && rewards.length == drifts.length,
                "%d prompt ids, %d rewards and %d drifts; they must match",
                promptIds.length,
                rewards.length,
                drifts.length);
        for (int i = 0; i < promptIds.length; i++) {
            rewardRules.toUnit(promptIds[i], rewards[i]);
            rho(drifts[i]);
            tracker.get(promptIds[i]);
        }
        for (int i = 0; i < promptIds.length; i++) {
            update(promptIds[i], rewards[i], drifts[i]);
        }
    }

    /**
     * The forgetting factor for a measured drift.
     *
     * @param drift D, finite and {@code >= 0}
     * @return rho
     */
    public double rho(double drift) {
        return forgetting.rho(Checks.nonNegative("drift", drift), this);
    }

    /**
     * The prompt's estimated success probability {@code p = alpha / (alpha + beta)}.
     *
     * @param promptId the prompt
     * @return p
     * @throws IllegalArgumentException for an unknown prompt
     */
    public double estimate(String promptId) {
        return posterior(promptId).mean();
    }

    /**
     * The prompt's sampling weight {@code sqrt(p (1 - p)) + 0.05}: highest for prompts the policy
     * solves about half the time.
     *
     * @param promptId the prompt
     * @return the weight
     * @throws IllegalArgumentException for an unknown prompt
     */
    public double samplingWeight(String promptId) {
        double p = estimate(promptId);
        return Math.sqrt(p * (1 - p)) + exploration;
    }

    /**
     * The prompt's tracker entry.
     *
     * @param promptId the prompt
     * @return its Beta parameters (the uninformed 0.5/0.5 for an unknown prompt under
     *     auto-initialise)
     * @throws IllegalArgumentException for an unknown prompt
     */
    public BetaEstimate posterior(String promptId) {
        return tracker.get(promptId);
    }

    /**
     * Whether the prompt has a tracker entry.
     *
     * @param promptId the prompt
     * @return true if initialised or updated
     */
    public boolean isTracked(String promptId) {
        return tracker.contains(promptId);
    }

    /**
     * How many prompts have a tracker entry.
     *
     * @return the count
     */
    public int trackedCount() {
        return tracker.size();
    }

    /**
     * Sampling weights of a candidate pool; 0 for prompts without an entry, as the recipe. One
     * plain pass: the pool is read from a hash map anyway, and ND4J's fixed cost per call (about
     * 0.3 ms) exceeds the arithmetic for any realistic pool.
     */
    double[] samplingWeightsOrZero(List<String> promptIds) {
        BetaEstimate[] entries = tracker.getAllOrNull(promptIds);
        double[] w = new double[entries.length];
        for (int i = 0; i < w.length; i++) {
            if (entries[i] != null) {
                double p = entries[i].mean();
                w[i] = Math.sqrt(p * (1 - p)) + exploration;
            }
        }
        return w;
    }

    /**
     * SPO advantages of scored rollouts: one rollout per prompt is the intended use (single
     * stream); groups with more rollouts are treated rollout by rollout, each with its group's
     * prompt key. A rollout's reward is the weighted sum of its K rewards, with the weights the
     * input carries (the trainer's) or else the configured ones ({@link #rolloutReward}); NaN
     * rewards are rejected, and so is the NORMALIZE_THEN_SUM aggregation (z-scored rewards are no
     * success rates). Does not update the tracker: the trainer calls {@link #observe} after the
     * policy update, with the same combined reward.
     *
     * @param input rollout groups
     * @return per-rollout advantages
     */
    @Override
    public Advantages estimate(AdvantageInput input) {
        Checks.require(
                input.kind() == AdvantageInput.Kind.ROLLOUTS,
                "SPO scores rollouts, not %s",
                input.kind());
        input.aggregation()
                .ifPresent(
                        a ->
                                Checks.require(
                                        a == RewardAggregation.SUM_THEN_NORMALIZE,
                                        "SPO's tracker needs each rollout's weighted reward as a"
                                                + " success rate, so it only supports"
                                                + " SUM_THEN_NORMALIZE, not %s",
                                        a));
        double[] weights = input.rewardWeights().orElse(null);
        int rows = input.rowCount();
        String[] ids = new String[rows];
        double[] rewards = new double[rows];
        int row = 0;
        for (RolloutGroup group : input.rolloutGroups()) {
            for (int i = 0; i < group.size(); i++, row++) {
                ids[row] = group.promptKey();
                rewards[row] =
                        rewardRules.combine(
                                group.rollout(i),
                                "rollout " + i + " of prompt '" + group.promptKey() + "'",
                                weights);
            }
        }
        return Advantages.perRollout(compute(ids, rewards));
    }

    /**
     * The scalar reward SPO uses for a rollout: the weighted sum of its K rewards (weights from
     * {@link Builder#optRewardWeights}, 1 each by default). Trainers pass this value to {@link
     * #observe}.
     *
     * @param rollout a scored rollout
     * @return the combined reward
     * @throws IllegalArgumentException if the rollout is unscored, has a NaN reward, or has a
     *     different number of rewards than configured weights
     */
    public double rolloutReward(Rollout rollout) {
        return rewardRules.combine(rollout, "the rollout", null);
    }

    /** Same as {@link #update}: the trainer's hook after the policy update. */
    @Override
    public void observe(String promptKey, double reward, double drift) {
        update(promptKey, reward, drift);
    }

    /** The whole tracker as JSON ({@code grpo4j-spo-tracker} version 1), a consistent snapshot. */
    @Override
    public String stateToJson() {
        return SpoStateJson.write(tracker.snapshot());
    }

    /**
     * Replaces the whole tracker with a saved one; the document is validated completely first, so a
     * bad document leaves the current state untouched.
     */
    @Override
    public void restoreState(String json) {
        tracker.replace(SpoStateJson.read(json));
    }

    @Override
    public String name() {
        return "spo";
    }

    double driftHalfLife() {
        return driftHalfLife;
    }

    double rhoMin() {
        return rhoMin;
    }

    double rhoMax() {
        return rhoMax;
    }

    double constantRho() {
        return constantRho;
    }

    /** Builds a {@link SpoAdvantage}; every setting is optional and defaults to the recipe's. */
    public static final class Builder {
        private SpoForgetting forgetting = SpoForgetting.KL_ADAPTIVE;
        private double driftHalfLife = DEFAULT_DRIFT_HALF_LIFE;
        private double rhoMin = DEFAULT_RHO_MIN;
        private double rhoMax = DEFAULT_RHO_MAX;
        private double constantRho = DEFAULT_CONSTANT_RHO;
        private int offlineSamples = DEFAULT_OFFLINE_SAMPLES;
        private double exploration = DEFAULT_EXPLORATION;
        private double epsilon = DEFAULT_EPSILON;
        private boolean autoInitialize;
        private double rewardMin = Double.NaN;
        private double rewardMax = Double.NaN;
        private double[] rewardWeights;

        private Builder() {}

        /**
         * Sets how rho is chosen (default {@link SpoForgetting#KL_ADAPTIVE}).
         *
         * @param forgetting the forgetting mode
         * @return this builder
         */
        public Builder optForgetting(SpoForgetting forgetting) {
            this.forgetting = Objects.requireNonNull(forgetting, "forgetting");
            return this;
        }

        /**
         * Sets the drift at which the raw rho halves, {@code D_half} (default 0.06).
         *
         * @param driftHalfLife a finite value {@code > 0}
         * @return this builder
         */
        public Builder optDriftHalfLife(double driftHalfLife) {
            this.driftHalfLife = Checks.positive("drift half-life", driftHalfLife);
            return this;
        }

        /**
         * Sets the clamp range of the adaptive rho (default [0.875, 0.96]). {@code rho_min} also
         * fixes the offline prior's weight {@code N0 = 1 / (1 - rho_min)}.
         *
         * @param rhoMin the lower clamp, in (0, 1)
         * @param rhoMax the upper clamp, in [rhoMin, 1]
         * @return this builder
         */
        public Builder optRhoRange(double rhoMin, double rhoMax) {
            Checks.require(
                    rhoMin > 0 && rhoMin < 1, "rho min must lie in (0, 1) but was %s", rhoMin);
            Checks.require(
                    rhoMax >= rhoMin && rhoMax <= 1,
                    "rho max must lie in [rho min = %s, 1] but was %s",
                    rhoMin,
                    rhoMax);
            this.rhoMin = rhoMin;
            this.rhoMax = rhoMax;
            return this;
        }

        /**
         * Sets rho for {@link SpoForgetting#CONSTANT} (default 0.875).
         *
         * @param constantRho a value in (0, 1]
         * @return this builder
         */
        public Builder optConstantRho(double constantRho) {
            Checks.require(
                    constantRho > 0 && constantRho <= 1,
                    "constant rho must lie in (0, 1] but was %s",
                    constantRho);
            this.constantRho = constantRho;
            return this;
        }

        /**
         * Sets the offline sample count {@code n0} that the prior is built from (default 8).
         *
         * @param offlineSamples {@code > 0}
         * @return this builder
         */
        public Builder optOfflineSamples(int offlineSamples) {
            this.offlineSamples = Checks.positive("offline samples", offlineSamples);
            return this;
        }

        /**
         * Sets the exploration bonus added to every sampling weight (default 0.05).
         *
         * @param exploration a finite value {@code >= 0}
         * @return this builder
         */
        public Builder optExploration(double exploration) {
            this.exploration = Checks.nonNegative("exploration", exploration);
            return this;
        }

        /**
         * Sets the epsilon of the global normalisation (default 1e-8).
         *
         * @param epsilon a finite value {@code >= 0}
         * @return this builder
         */
        public Builder optEpsilon(double epsilon) {
            this.epsilon = Checks.nonNegative("epsilon", epsilon);
            return this;
        }

        /**
         * Lets unknown prompts start at the uninformed {@code alpha = beta = 0.5} instead of
         * failing (default off, so that a typo in a prompt id is caught). Reads of an unknown
         * prompt then see p = 0.5 without creating an entry; its first {@link SpoAdvantage#update}
         * creates it. The sampler still gives untracked prompts weight 0.
         *
         * @param autoInitialize true to accept unseen prompts
         * @return this builder
         */
        public Builder optAutoInitialize(boolean autoInitialize) {
            this.autoInitialize = autoInitialize;
            return this;
        }

        /**
         * Maps rewards from {@code [min, max]} linearly onto [0, 1] before they reach the tracker
         * (our extension; the recipe only accepts rewards in [0, 1]). Rewards outside the range are
         * still rejected.
         *
         * @param min the reward that counts as failure
         * @param max the reward that counts as success, {@code > min}
         * @return this builder
         */
        public Builder optRewardRange(double min, double max) {
            Checks.finite("reward range min", min);
            Checks.finite("reward range max", max);
            Checks.require(min < max, "reward range needs min < max but was [%s, %s]", min, max);
            this.rewardMin = min;
            this.rewardMax = max;
            return this;
        }

        /**
         * Sets the weights that combine a rollout's K rewards into one (default 1 each, any K).
         *
         * @param weights one finite weight per reward function
         * @return this builder
         */
        public Builder optRewardWeights(double... weights) {
            Checks.require(weights.length > 0, "give at least one reward weight");
            for (int k = 0; k < weights.length; k++) {
                Checks.finite("reward weight " + k, weights[k]);
            }
            this.rewardWeights = weights.clone();
            return this;
        }

        /**
         * Builds the estimator with an empty tracker.
         *
         * @return the estimator
         */
        public SpoAdvantage build() {
            return new SpoAdvantage(this);
        }
    }
}
