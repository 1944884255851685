package dev.grpo4j.core.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.grpo4j.core.util.Checks;
import dev.grpo4j.core.util.Scalars;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * The GRPO-family policy-gradient loss: pure, differentiable math on DJL NDArrays with TRL's
 * semantics and defaults, plus verl's options (ALGORITHMS.md section 2).
 *
 * <pre>{@code
 * PolicyGradientLoss loss = PolicyGradientLoss.builder()
 *     .optLossType(LossType.DAPO)
 *     .optClip(0.2, 0.28)
 *     .optBeta(0.04)
 *     .build();
 * LossOutput out = loss.compute(logProbs, oldLogProbs, refLogProbs, advantages, mask);
 * }</pre>
 *
 * <p><b>Per token</b>, in this order:
 *
 * <ol>
 *   <li>the mask: the input mask, with every row flagged truncated zeroed when {@link
 *       Builder#optMaskTruncatedCompletions} is on (so those rows leave every count, including
 *       DAPO's token count);
 *   <li>the importance weight w at the chosen {@link ImportanceSampling} level from {@code lp -
 *       lp_old} (ratio 1 when no old log-probs are given);
 *   <li>the loss type's policy term ({@link LossType});
 *   <li>times the top-entropy-quantile mask, when {@code rho < 1}: keep tokens whose entropy is at
 *       least the {@code (1 - rho)} quantile (linear interpolation, as {@code torch.quantile}) of
 *       the entropies of all active tokens; applies to the policy term only;
 *   <li>plus {@code beta * kl} with the chosen {@link KlEstimator} (times w with {@link
 *       Builder#optKlBiasCorrection}).
 * </ol>
 *
 * <p><b>Then</b> the {@link Aggregation} (the loss type's default unless overridden), divided by
 * the gradient-accumulation step count for the types TRL divides ({@link
 * LossType#dividesByAccumulationSteps()}).
 *
 * <p><b>Entropy bonus</b> (verl's {@code entropy_coeff}; default 0 = off): with a coefficient c > 0
 * the loss becomes {@code loss - c * agg(H)}, where {@code H} are the given per-token entropies
 * aggregated with the same token weights as the policy term (verl's {@code agg_loss} with the same
 * {@code loss_agg_mode}). Rewarding entropy keeps groups from collapsing onto one answer, where
 * every advantage is zero and nothing is learned. The entropies must carry gradient for the bonus
 * to act: {@link dev.grpo4j.core.policy.LogProbComputer} computes them so when asked.
 *
 * <p><b>Metrics</b> (plain doubles, no gradient). "Masked mean" is over the active tokens of the
 * batch, 0 when there are none; clip metrics use the importance weight w of each token (the
 * sequence's or item's weight at those levels), so they are token-weighted at every level.
 *
 * <ul>
 *   <li>{@code clip_ratio/low_mean}: masked mean of {@code [w < 1 - eps_low and A < 0]};
 *   <li>{@code clip_ratio/low_min}: the smallest per-row fraction of such tokens, over non-empty
 *       rows;
 *   <li>{@code clip_ratio/high_mean}: masked mean of {@code [w > 1 + eps_high and A > 0]};
 *   <li>{@code clip_ratio/high_max}: the largest per-row fraction of such tokens;
 *   <li>{@code clip_ratio/region_mean}: masked mean of either;
 *   <li>{@code pg_clipfrac} (verl): masked mean of {@code [l_clipped > l_unclipped]}, the tokens
 *       where the clipped branch is the one that counts;
 *   <li>{@code pg_clipfrac_lower} (verl, only with dual clip): masked mean of {@code [A < 0 and
 *       max(l_unclipped, l_clipped) > -A c]};
 *   <li>the seven above only for the clipped types; CISPO reports {@code cispo_clip_ratio}, the
 *       masked mean of {@code [w > eps_high and A > 0]}; SAPO reports no clip ratio;
 *   <li>{@code ppo_kl} (verl): masked mean of {@code lp_old - lp} (0 without old log-probs);
 *   <li>{@code kl}: masked mean of the per-token KL term (before beta), only when beta > 0;
 *   <li>{@code entropy}: masked mean of the given entropies, only when entropies are given.
 * </ul>
 *
 * <p><b>Empty input.</b> A batch with no rows or no columns, or an input mask without a single
 * active token, is rejected as a bug in the caller. A batch whose active tokens are all removed by
 * truncation masking is legitimate (every completion hit the length limit) and gives a loss of 0
 * with zero gradient, and metrics of 0.
 *
 * <p><b>Memory and cost.</b> {@link #compute(LossInput)} creates every intermediate in the manager
 * of the log-probs, the caller's per-step scope, and attaches nothing to the managers of the other
 * inputs. It copies its {@code [B, T]} inputs to the host once per call, to validate them and to
 * build masks, normalisers and metrics in plain Java, and reads back the weights and the loss
 * value; that is one device synchronisation per call, small next to the forward pass that produced
 * the log-probs. {@link ImportanceSampling#ITEM} also holds a {@code [B, T, K]} bin membership, K
 * the number of bins.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class PolicyGradientLoss {

    private final LossType lossType;
    private final ClipRange clipRange;
    private final double beta;
    private final KlEstimator klEstimator;
    private final boolean klBiasCorrection;
    private final ImportanceSampling importanceSampling;
    private final Aggregation aggregation;
    private final int maxCompletionLength;
    private final int gradientAccumulationSteps;
    private final double sapoTemperaturePositive;
    private final double sapoTemperatureNegative;
    private final boolean maskTruncatedCompletions;
    private final double topEntropyQuantile;
    private final double entropyCoeff;

    private PolicyGradientLoss(Builder b) {
        this.lossType = b.lossType;
        this.clipRange = b.clipRange;
        this.beta = b.beta;
        this.klEstimator = b.klEstimator;
        this.klBiasCorrection = b.klBiasCorrection;
        this.importanceSampling = b.importanceSampling;
        this.aggregation = b.aggregation == null ? b.lossType.defaultAggregation() : b.aggregation;
        this.maxCompletionLength = b.maxCompletionLength;
        this.gradientAccumulationSteps = b.gradientAccumulationSteps;
        this.sapoTemperaturePositive = b.sapoTemperaturePositive;
        this.sapoTemperatureNegative = b.sapoTemperatureNegative;
        this.maskTruncatedCompletions = b.maskTruncatedCompletions;
        this.topEntropyQuantile = b.topEntropyQuantile;
        this.entropyCoeff = b.entropyCoeff;
    }

    /**
     * A builder with TRL's defaults: DAPO, epsilon 0.2 on both sides, no delta, no dual clip, beta
     * 0, k3, token-level weights, max completion length 512, one accumulation step, SAPO
     * temperatures 1.0 and 1.05, no truncation masking, no entropy filter, no entropy bonus.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Computes the loss from the five common inputs; see {@link #compute(LossInput)}.
     *
     * @param logProbs {@code [B, T]} float32 or float64, differentiable
     * @param oldLogProbs {@code [B, T]}, or null to use the detached {@code logProbs} (ratio 1, as
     *     TRL with one optimizer step per generation batch)
     * @param refLogProbs {@code [B, T]}, or null when beta is 0
     * @param advantages {@code [B]} or {@code [B, T]}
     * @param mask {@code [B, T]} 0/1
     * @return the scalar loss and its metrics
     * @throws IllegalArgumentException naming the offending input
     */
    public LossOutput compute(
            NDArray logProbs,
            NDArray oldLogProbs,
            NDArray refLogProbs,
            NDArray advantages,
            NDArray mask) {
        return compute(
                LossInput.builder()
                        .setLogProbs(logProbs)
                        .setAdvantages(advantages)
                        .setMask(mask)
                        .optOldLogProbs(oldLogProbs)
                        .optRefLogProbs(refLogProbs)
                        .build());
    }

    /**
     * Computes the loss.
     *
     * @param input the batch
     * @return a scalar loss of the log-probs' type, in their manager, differentiable w.r.t. them,
     *     and the metrics described above
     * @throws IllegalArgumentException naming the offending value: a non-finite or non-0/1 entry
     *     (with its array and position), a missing input this configuration needs, an input mask
     *     without active tokens, or a loss that overflowed to a non-finite value
     */
    public LossOutput compute(LossInput input) {
        Objects.requireNonNull(input, "input");
        requireInputsFor(input);
        HostBatch host =
                HostBatch.read(
                        input,
                        beta > 0,
                        importanceSampling.needsItemBins(),
                        maskTruncatedCompletions);
        NDArray lp = input.logProbs();
        NDManager manager = lp.getManager();
        DataType type = lp.getDataType();
        Shape shape = lp.getShape();

        NDArray mask = HostArrays.create(manager, host.mask, shape, type);
        NDArray adv = HostArrays.create(manager, host.advantages, shape, type);
        NDArray old =
                host.oldLogProbs == null
                        ? lp.stopGradient()
                        : HostArrays.create(manager, host.oldLogProbs, shape, type);
        NDArray bins = host.bins == null ? null : manager.create(host.bins, shape);

        NDArray logRatio = lp.sub(old).mul(mask);
        NDArray w = importanceSampling.logWeights(logRatio, mask, bins, host.binCount).exp();
        NDArray perToken = lossType.surrogate().tokenLoss(w, adv, lp, this);
        if (topEntropyQuantile < 1) {
            perToken =
                    perToken.mul(
                            HostArrays.create(
                                    manager, host.entropyKeep(topEntropyQuantile), shape, type));
        }
        NDArray kl = null;
        if (beta > 0) {
            NDArray ref = HostArrays.create(manager, host.refLogProbs, shape, type);
            kl = klEstimator.fromLogRatio(lp.sub(ref).mul(mask));
            if (klBiasCorrection) {
                kl = kl.mul(w);
            }
            perToken = perToken.add(Scalars.mul(kl, beta));
        }
        double[] rowWeights =
                aggregation.rowWeights(
                        host.rowTokens, input.tokenNormalizer(), maxCompletionLength);
        if (lossType.dividesByAccumulationSteps()) {
            for (int i = 0; i < rowWeights.length; i++) {
                rowWeights[i] /= gradientAccumulationSteps;
            }
        }
        double[] tokenWeights = HostArrays.tokenWeights(host.mask, rowWeights, host.cols);
        NDArray weights = HostArrays.create(manager, tokenWeights, shape, type);
        NDArray loss = perToken.mul(weights).sum();
        if (entropyCoeff > 0) {
            NDArray entropies = input.entropies().orElseThrow();
            loss =
                    loss.sub(
                            Scalars.mul(
                                    entropies.toType(type, false).mul(weights).sum(),
                                    entropyCoeff));
        }

        double value = HostArrays.readFloats("loss", loss)[0];
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(host.overflowMessage(value));
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        lossType.surrogate().addMetrics(metrics, host, HostArrays.readFloats("w", w), this);
        metrics.put("ppo_kl", host.ppoKl());
        if (kl != null) {
            metrics.put("kl", host.maskedMean(HostArrays.readFloats("kl", kl)));
        }
        if (host.entropies != null) {
            metrics.put("entropy", host.maskedMean(host.entropies));
        }
        return new LossOutput(loss, metrics);
    }

    private void requireInputsFor(LossInput input) {
        if (beta > 0 && input.refLogProbs().isEmpty()) {
            throw new IllegalArgumentException(
                    "beta is "
                            + beta
                            + " but no refLogProbs were given: the KL penalty needs the reference"
                            + " policy's log-probs (or set beta to 0)");
        }
        if (importanceSampling.needsItemBins() && input.itemBins().isEmpty()) {
            throw new IllegalArgumentException(
                    "importance sampling ITEM needs item bins (LossInput.optItemBins) but none were"
                            + " given");
        }
        if (topEntropyQuantile < 1 && input.entropies().isEmpty()) {
            throw new IllegalArgumentException(
                    "top entropy quantile is "
                            + topEntropyQuantile
                            + " but no entropies were given (LossInput.optEntropies)");
        }
        if (entropyCoeff > 0 && input.entropies().isEmpty()) {
            throw new IllegalArgumentException(
                    "the entropy coefficient is "
                            + entropyCoeff
                            + " but no entropies were given (LossInput.optEntropies)");
        }
        if (maskTruncatedCompletions && input.truncated().isEmpty()) {
            throw new IllegalArgumentException(
                    "truncated completions are masked but no truncation flags were given"
                            + " (LossInput.optTruncated)");
        }
        if (input.tokenNormalizer().isPresent() && !aggregation.usesTokenNormalizer()) {
            throw new IllegalArgumentException(
                    "a token normalizer ("
                            + input.tokenNormalizer().getAsDouble()
                            + ") applies only to token-mean aggregation, but this loss aggregates"
                            + " with "
                            + aggregation.spelling());
        }
    }

    /**
     * The loss type.
     *
     * @return the loss type
     */
    public LossType lossType() {
        return lossType;
    }

    /**
     * The clip range (epsilons, delta, dual clip).
     *
     * @return the clip range
     */
    public ClipRange clipRange() {
        return clipRange;
    }

    /**
     * The KL weight.
     *
     * @return beta ({@code >= 0})
     */
    public double beta() {
        return beta;
    }

    /**
     * The KL estimator used when beta > 0.
     *
     * @return the estimator
     */
    public KlEstimator klEstimator() {
        return klEstimator;
    }

    /**
     * Whether the KL term is multiplied by the importance weight (TRL's {@code
     * use_bias_correction_kl}).
     *
     * @return whether bias correction is on
     */
    public boolean klBiasCorrection() {
        return klBiasCorrection;
    }

    /**
     * The importance-sampling level.
     *
     * @return the level
     */
    public ImportanceSampling importanceSampling() {
        return importanceSampling;
    }

    /**
     * The aggregation in effect (the loss type's default unless overridden).
     *
     * @return the aggregation
     */
    public Aggregation aggregation() {
        return aggregation;
    }

    /**
     * The constant length L of the {@code _NORM} aggregations (TRL's {@code
     * max_completion_length}).
     *
     * @return L
     */
    public int maxCompletionLength() {
        return maxCompletionLength;
    }

    /**
     * The gradient-accumulation step count that divides the loss of the types TRL divides.
     *
     * @return the step count
     */
    public int gradientAccumulationSteps() {
        return gradientAccumulationSteps;
    }

    /**
     * SAPO's temperature for tokens with a positive advantage.
     *
     * @return tau_pos
     */
    public double sapoTemperaturePositive() {
        return sapoTemperaturePositive;
    }

    /**
     * SAPO's temperature for tokens with a zero or negative advantage.
     *
     * @return tau_neg
     */
    public double sapoTemperatureNegative() {
        return sapoTemperatureNegative;
    }

    /**
     * Whether truncated completions are removed from the loss.
     *
     * @return whether truncation masking is on
     */
    public boolean maskTruncatedCompletions() {
        return maskTruncatedCompletions;
    }

    /**
     * The fraction rho of highest-entropy tokens whose policy term is kept; 1 means all.
     *
     * @return rho in {@code (0, 1]}
     */
    public double topEntropyQuantile() {
        return topEntropyQuantile;
    }

    /**
     * The weight c of the entropy bonus {@code - c * agg(H)}; 0 means off.
     *
     * @return c ({@code >= 0})
     */
    public double entropyCoeff() {
        return entropyCoeff;
    }

    @Override
    public String toString() {
        return "PolicyGradientLoss{lossType="
                + lossType
                + ", clipRange="
                + clipRange
                + ", beta="
                + beta
                + ", klEstimator="
                + klEstimator
                + ", klBiasCorrection="
                + klBiasCorrection
                + ", importanceSampling="
                + importanceSampling
                + ", aggregation="
                + aggregation
                + ", maxCompletionLength="
                + maxCompletionLength
                + ", gradientAccumulationSteps="
                + gradientAccumulationSteps
                + ", sapoTemperatures="
                + sapoTemperaturePositive
                + "/"
                + sapoTemperatureNegative
                + ", maskTruncatedCompletions="
                + maskTruncatedCompletions
                + ", topEntropyQuantile="
                + topEntropyQuantile
                + ", entropyCoeff="
                + entropyCoeff
                + '}';
    }

    /** Builds a {@link PolicyGradientLoss}; every setter validates its argument at once. */
    public static final class Builder {
        private LossType lossType = LossType.DAPO;
        private double epsilonLow = ClipRange.DEFAULT_EPSILON;
        private double epsilonHigh = ClipRange.DEFAULT_EPSILON;
        private OptionalDouble delta = OptionalDouble.empty();
        private OptionalDouble dualClip = OptionalDouble.empty();
        private ClipRange clipRange;
        private double beta;
        private KlEstimator klEstimator = KlEstimator.K3;
        private boolean klBiasCorrection;
        private ImportanceSampling importanceSampling = ImportanceSampling.TOKEN;
        private Aggregation aggregation;
        private int maxCompletionLength = 512;
        private int gradientAccumulationSteps = 1;
        private double sapoTemperaturePositive = 1.0;
        private double sapoTemperatureNegative = 1.05;
        private boolean maskTruncatedCompletions;
        private double topEntropyQuantile = 1.0;
        private double entropyCoeff;

        private Builder() {}

        /**
         * Sets the loss type (default {@link LossType#DAPO}, TRL's default).
         *
         * @param value the loss type
         * @return this builder
         */
        public Builder optLossType(LossType value) {
            this.lossType = Objects.requireNonNull(value, "loss type");
            return this;
        }

        /**
         * Sets epsilon low and high (default 0.2 and 0.2; DAPO recommends 0.28 high). For CISPO,
         * high is the cap on the importance weight itself (5.0 recommended).
         *
         * @param low epsilon low, in {@code [0, 1)}
         * @param high epsilon high, finite and {@code >= 0}
         * @return this builder
         */
        public Builder optClip(double low, double high) {
            this.epsilonLow = ClipRange.checkLow(low);
            this.epsilonHigh = ClipRange.checkHigh(high);
            return this;
        }

        /**
         * Turns on INTELLECT-2's two-sided clipping: the unclipped ratio is capped at delta (off
         * unless called). Applies to the clipped loss types.
         *
         * @param value delta, greater than {@code 1 + epsilon high}
         * @return this builder
         */
        public Builder optDelta(double value) {
            this.delta = OptionalDouble.of(ClipRange.checkDelta(value));
            return this;
        }

        /**
         * Turns on verl's dual clip: for a negative advantage the per-token loss is capped at
         * {@code -A c} (off unless called; verl's default c is 3). Applies to the clipped loss
         * types.
         *
         * @param c greater than 1
         * @return this builder
         */
        public Builder optDualClip(double c) {
            this.dualClip = OptionalDouble.of(ClipRange.checkDualClip(c));
            return this;
        }

        /**
         * Sets the KL weight (default 0: no KL term and no reference log-probs needed).
         *
         * @param value beta, finite and {@code >= 0}
         * @return this builder
         */
        public Builder optBeta(double value) {
            this.beta = Checks.nonNegative("beta", value);
            return this;
        }

        /**
         * Sets the KL estimator (default {@link KlEstimator#K3}, TRL's).
         *
         * @param value the estimator
         * @return this builder
         */
        public Builder optKlEstimator(KlEstimator value) {
            this.klEstimator = Objects.requireNonNull(value, "KL estimator");
            return this;
        }

        /**
         * Multiplies the KL term by the importance weight (TRL's {@code use_bias_correction_kl};
         * default off).
         *
         * @param value whether to correct
         * @return this builder
         */
        public Builder optKlBiasCorrection(boolean value) {
            this.klBiasCorrection = value;
            return this;
        }

        /**
         * Sets the importance-sampling level (default {@link ImportanceSampling#TOKEN}).
         *
         * @param value the level
         * @return this builder
         */
        public Builder optImportanceSampling(ImportanceSampling value) {
            this.importanceSampling = Objects.requireNonNull(value, "importance sampling");
            return this;
        }

        /**
         * Overrides the loss type's default aggregation.
         *
         * @param value the aggregation
         * @return this builder
         */
        public Builder optAggregation(Aggregation value) {
            this.aggregation = Objects.requireNonNull(value, "aggregation");
            return this;
        }

        /**
         * Sets the constant length L of the {@code _NORM} aggregations, DR_GRPO's normaliser
         * (default 512, TRL's {@code max_completion_length}).
         *
         * @param value L ({@code > 0})
         * @return this builder
         */
        public Builder optMaxCompletionLength(int value) {
            this.maxCompletionLength = Checks.positive("max completion length", value);
            return this;
        }

        /**
         * Sets the gradient-accumulation step count that divides the GRPO, BNPO, DR_GRPO, LUSPO and
         * SAPO losses, as TRL does (default 1).
         *
         * @param value the step count ({@code > 0})
         * @return this builder
         */
        public Builder optGradientAccumulationSteps(int value) {
            this.gradientAccumulationSteps = Checks.positive("gradient accumulation steps", value);
            return this;
        }

        /**
         * Sets SAPO's temperatures (default 1.0 for positive and 1.05 for other advantages).
         *
         * @param positive tau for {@code A > 0}, finite and {@code > 0}
         * @param negative tau for {@code A <= 0}, finite and {@code > 0}
         * @return this builder
         */
        public Builder optSapoTemperatures(double positive, double negative) {
            this.sapoTemperaturePositive = Checks.positive("SAPO positive temperature", positive);
            this.sapoTemperatureNegative = Checks.positive("SAPO negative temperature", negative);
            return this;
        }

        /**
         * Removes completions flagged truncated from the loss and from every token count (TRL's
         * {@code mask_truncated_completions}; default off). The input must then carry the flags.
         *
         * @param value whether to mask
         * @return this builder
         */
        public Builder optMaskTruncatedCompletions(boolean value) {
            this.maskTruncatedCompletions = value;
            return this;
        }

        /**
         * Keeps the policy term only for the fraction rho of active tokens with the highest entropy
         * (TRL's {@code top_entropy_quantile}; default 1.0 = off, the paper suggests 0.2). The
         * input must then carry entropies.
         *
         * @param rho in {@code (0, 1]}
         * @return this builder
         */
        public Builder optTopEntropyQuantile(double rho) {
            if (!(rho > 0 && rho <= 1)) {
                throw new IllegalArgumentException(
                        "top entropy quantile must lie in (0, 1] but was " + rho);
            }
            this.topEntropyQuantile = rho;
            return this;
        }

        /**
         * Sets the weight c of the entropy bonus: the loss becomes {@code loss - c * agg(H)}
         * (verl's {@code entropy_coeff}; default 0 = off, as in verl). The input must then carry
         * entropies, and they must carry gradient for the bonus to change the update.
         *
         * @param c finite and {@code >= 0}
         * @return this builder
         */
        public Builder optEntropyCoeff(double c) {
            if (!(c >= 0 && Double.isFinite(c))) {
                throw new IllegalArgumentException(
                        "the entropy coefficient must be finite and >= 0 but was " + c);
            }
            this.entropyCoeff = c;
            return this;
        }

        /**
         * Validates the combination and builds the loss.
         *
         * @return the loss
         * @throws IllegalArgumentException if delta does not exceed {@code 1 + epsilon high}, if
         *     delta or dual clip is set for a type without the clipped surrogate, or if CISPO's cap
         *     is 0
         */
        public PolicyGradientLoss build() {
            if (!lossType.isClipped() && (delta.isPresent() || dualClip.isPresent())) {
                throw new IllegalArgumentException(
                        "delta and dual clip apply only to the clipped loss types, not "
                                + lossType);
            }
            if (lossType == LossType.CISPO && epsilonHigh == 0) {
                throw new IllegalArgumentException(
                        "CISPO caps its weight at epsilon high, which must be > 0 (5.0 is"
                                + " recommended) but was 0.0");
            }
            clipRange = new ClipRange(epsilonLow, epsilonHigh, delta, dualClip);
            return new PolicyGradientLoss(this);
        }
    }
}
