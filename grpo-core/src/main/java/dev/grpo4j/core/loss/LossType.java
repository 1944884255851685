package dev.grpo4j.core.loss;

import java.util.Arrays;
import java.util.Locale;

/**
 * TRL's {@code loss_type}: which per-token surrogate, how it is aggregated by default, and whether
 * the result is divided by the gradient-accumulation step count (ALGORITHMS.md section 2).
 *
 * <table>
 *   <caption>Loss types</caption>
 *   <tr><th>type</th><th>policy term</th><th>default aggregation</th><th>/ accum.</th></tr>
 *   <tr><td>GRPO</td><td>clipped</td>
 *       <td>{@link Aggregation#ROW_MEAN_TOKEN_MEAN}</td><td>yes</td></tr>
 *   <tr><td>BNPO</td><td>clipped</td><td>{@link Aggregation#TOKEN_MEAN}</td><td>yes</td></tr>
 *   <tr><td>DR_GRPO</td><td>clipped</td>
 *       <td>{@link Aggregation#ROW_MEAN_TOKEN_SUM_NORM}</td><td>yes</td></tr>
 *   <tr><td>DAPO</td><td>clipped</td><td>{@link Aggregation#TOKEN_MEAN}</td><td>no</td></tr>
 *   <tr><td>CISPO</td><td>{@code -sg(min(w, eps_high)) A lp}</td>
 *       <td>{@link Aggregation#TOKEN_MEAN}</td><td>no</td></tr>
 *   <tr><td>SAPO</td><td>{@code -A (4/tau) sigmoid(tau (w - 1))}</td>
 *       <td>{@link Aggregation#ROW_MEAN_TOKEN_MEAN}</td><td>yes</td></tr>
 *   <tr><td>LUSPO</td><td>clipped</td>
 *       <td>{@link Aggregation#ROW_MEAN_TOKEN_SUM}</td><td>yes</td></tr>
 * </table>
 *
 * <p>"Clipped" is {@code -min(w' A, clamp(w, 1 - eps_low, 1 + eps_high) A)} with {@code w' = min(w,
 * delta)} when delta is set, and verl's dual clip when enabled. DAPO and CISPO divide by a token
 * count that already spans the accumulated batch (the explicit normaliser), so they are not divided
 * again.
 *
 * <p>LUSPO in TRL multiplies each (sequence-level) loss by the row's length and averages over rows;
 * with per-token losses that is the mean over rows of each row's token sum, which is what {@link
 * Aggregation#ROW_MEAN_TOKEN_SUM} computes. TRL's own code, given per-token losses (token-level
 * weights, or a KL term), instead averages {@code l[i, t] * n_i} over all B*T entries including
 * padding; this implementation keeps the masked row sum. The two agree for sequence-level weights
 * without KL, the setting LUSPO is meant for.
 */
public enum LossType {
    /** GRPO as in DeepSeekMath: token mean per sequence, then mean over sequences. */
    GRPO("grpo", Surrogate.CLIPPED, Aggregation.ROW_MEAN_TOKEN_MEAN, true),
    /** Batch-normalised: token mean over the local (micro-)batch. */
    BNPO("bnpo", Surrogate.CLIPPED, Aggregation.TOKEN_MEAN, true),
    /** Dr. GRPO: token sum over {@code B * max_completion_length}, free of length bias. */
    DR_GRPO("dr_grpo", Surrogate.CLIPPED, Aggregation.ROW_MEAN_TOKEN_SUM_NORM, true),
    /** DAPO (TRL's default): token mean over the whole accumulated batch. */
    DAPO("dapo", Surrogate.CLIPPED, Aggregation.TOKEN_MEAN, false),
    /** CISPO (MiniMax-M1): clipped stop-gradient importance weight times the log-prob. */
    CISPO("cispo", Surrogate.CISPO, Aggregation.TOKEN_MEAN, false),
    /** SAPO: a temperature-controlled sigmoid gate instead of a hard clip. */
    SAPO("sapo", Surrogate.SAPO, Aggregation.ROW_MEAN_TOKEN_MEAN, true),
    /** LUSPO: sequence losses weighted by their length (use with sequence-level weights). */
    LUSPO("luspo", Surrogate.CLIPPED, Aggregation.ROW_MEAN_TOKEN_SUM, true);

    private final String trlName;
    private final Surrogate surrogate;
    private final Aggregation defaultAggregation;
    private final boolean dividesByAccumulationSteps;

    LossType(
            String trlName,
            Surrogate surrogate,
            Aggregation defaultAggregation,
            boolean dividesByAccumulationSteps) {
        this.trlName = trlName;
        this.surrogate = surrogate;
        this.defaultAggregation = defaultAggregation;
        this.dividesByAccumulationSteps = dividesByAccumulationSteps;
    }

    /**
     * TRL's spelling.
     *
     * @return e.g. {@code "dr_grpo"}
     */
    public String trlName() {
        return trlName;
    }

    /**
     * The aggregation used unless the builder overrides it.
     *
     * @return the default aggregation
     */
    public Aggregation defaultAggregation() {
        return defaultAggregation;
    }

    /**
     * Whether TRL divides this type's loss by the gradient-accumulation step count.
     *
     * @return false for DAPO and CISPO, whose normaliser already spans the accumulated batch
     */
    public boolean dividesByAccumulationSteps() {
        return dividesByAccumulationSteps;
    }

    /**
     * Whether this type uses the PPO clipped surrogate, to which delta and dual clip apply.
     *
     * @return true for GRPO, BNPO, DR_GRPO, DAPO and LUSPO
     */
    public boolean isClipped() {
        return surrogate == Surrogate.CLIPPED;
    }

    Surrogate surrogate() {
        return surrogate;
    }

    /**
     * Parses TRL's spelling or a constant's name, case-insensitively; hyphens and underscores are
     * interchangeable.
     *
     * @param name e.g. {@code "dr_grpo"}
     * @return the loss type
     * @throws IllegalArgumentException naming the unknown value and the accepted names
     */
    public static LossType fromName(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        for (LossType t : values()) {
            if (t.trlName.equals(n)) {
                return t;
            }
        }
        throw new IllegalArgumentException(
                "unknown loss type '"
                        + name
                        + "'; accepted names: "
                        + String.join(
                                ", ", Arrays.stream(values()).map(LossType::trlName).toList()));
    }
}
