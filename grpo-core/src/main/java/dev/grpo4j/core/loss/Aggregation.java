package dev.grpo4j.core.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * How the per-token losses {@code l[i, t]} of a batch become one scalar.
 *
 * <p>Every mode is a weighted sum {@code sum_{i,t} c_i * mask[i, t] * l[i, t]} whose row weights
 * {@code c_i} depend only on the mask, so each constant is defined by its {@code c_i}. With {@code
 * n_i = sum_t mask[i, t]}, B rows, {@code R} the number of non-empty rows ({@code n_i > 0}) and
 * {@code L} the constant length (TRL's {@code max_completion_length}):
 *
 * <ul>
 *   <li>{@link #TOKEN_MEAN}: {@code 1 / N}, N = the token normaliser, by default {@code max(1,
 *       sum_i n_i)}; TRL's bnpo, dapo and cispo, verl's {@code token-mean}.
 *   <li>{@link #SEQ_MEAN_TOKEN_MEAN}: {@code 1 / (R n_i)} for non-empty rows; verl.
 *   <li>{@link #SEQ_MEAN_TOKEN_SUM}: {@code 1 / R}; verl.
 *   <li>{@link #SEQ_MEAN_TOKEN_SUM_NORM}: {@code 1 / L}; verl (which does not divide by a row count
 *       here).
 *   <li>{@link #ROW_MEAN_TOKEN_MEAN}: {@code 1 / (B max(1, n_i))}; TRL's grpo and sapo.
 *   <li>{@link #ROW_MEAN_TOKEN_SUM}: {@code 1 / B}; TRL's luspo.
 *   <li>{@link #ROW_MEAN_TOKEN_SUM_NORM}: {@code 1 / (B L)}; TRL's dr_grpo.
 * </ul>
 *
 * <p>The {@code SEQ_} modes average over non-empty sequences only, as verl's {@code agg_loss} does;
 * the {@code ROW_} modes average over every row of the batch, as TRL does, so a row emptied by
 * truncation masking still counts in the denominator. The two agree when no row is empty. verl adds
 * {@code 1e-8} to its per-sequence token counts; these modes divide exactly.
 *
 * <p>Worked example (ALGORITHMS.md section 2): {@code l = [[1,2,3,0],[4,0,0,0]]}, {@code mask =
 * [[1,1,1,0],[1,0,0,0]]}, {@code L = 4}: token-mean 2.5, seq-mean-token-mean 3.0,
 * seq-mean-token-sum 5.0, seq-mean-token-sum-norm 2.5, and TRL's dr_grpo 1.25.
 */
public enum Aggregation {
    /** {@code sum S / N}, N the token normaliser (default: the active-token count, at least 1). */
    TOKEN_MEAN("token-mean") {
        @Override
        double[] rowWeights(double[] rowTokens, OptionalDouble tokenNormalizer, int length) {
            double n = tokenNormalizer.orElse(Math.max(1, sum(rowTokens)));
            double[] out = new double[rowTokens.length];
            Arrays.fill(out, 1 / n);
            return out;
        }
    },
    /** Mean over non-empty sequences of each sequence's token mean (verl). */
    SEQ_MEAN_TOKEN_MEAN("seq-mean-token-mean") {
        @Override
        double[] rowWeights(double[] rowTokens, OptionalDouble tokenNormalizer, int length) {
            double r = Math.max(1, nonEmpty(rowTokens));
            double[] out = new double[rowTokens.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = rowTokens[i] > 0 ? 1 / (r * rowTokens[i]) : 0;
            }
            return out;
        }
    },
    /** Mean over non-empty sequences of each sequence's token sum (verl). */
    SEQ_MEAN_TOKEN_SUM("seq-mean-token-sum") {
        @Override
        double[] rowWeights(double[] rowTokens, OptionalDouble tokenNormalizer, int length) {
            double[] out = new double[rowTokens.length];
            Arrays.fill(out, 1 / Math.max(1, nonEmpty(rowTokens)));
            return out;
        }
    },
    /** {@code sum S / L} with the constant length L (verl; no division by the row count). */
    SEQ_MEAN_TOKEN_SUM_NORM("seq-mean-token-sum-norm") {
        @Override
        double[] rowWeights(double[] rowTokens, OptionalDouble tokenNormalizer, int length) {
            double[] out = new double[rowTokens.length];
            Arrays.fill(out, 1.0 / length);
            return out;
        }
    },
    /** Mean over all B rows of each row's token mean, an empty row counting as 0 (TRL grpo). */
    ROW_MEAN_TOKEN_MEAN("row-mean-token-mean") {
        @Override
        double[] rowWeights(double[] rowTokens, OptionalDouble tokenNormalizer, int length) {
            double b = rowTokens.length;
            double[] out = new double[rowTokens.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = 1 / (b * Math.max(1, rowTokens[i]));
            }
            return out;
        }
    },
    /** Mean over all B rows of each row's token sum (TRL luspo). */
    ROW_MEAN_TOKEN_SUM("row-mean-token-sum") {
        @Override
        double[] rowWeights(double[] rowTokens, OptionalDouble tokenNormalizer, int length) {
            double[] out = new double[rowTokens.length];
            Arrays.fill(out, 1.0 / rowTokens.length);
            return out;
        }
    },
    /** {@code sum S / (B L)} (TRL dr_grpo). */
    ROW_MEAN_TOKEN_SUM_NORM("row-mean-token-sum-norm") {
        @Override
        double[] rowWeights(double[] rowTokens, OptionalDouble tokenNormalizer, int length) {
            double[] out = new double[rowTokens.length];
            Arrays.fill(out, 1.0 / ((double) rowTokens.length * length));
            return out;
        }
    };

    private final String spelling;

    Aggregation(String spelling) {
        this.spelling = spelling;
    }

    /**
     * The hyphenated name, verl's {@code loss_agg_mode} spelling for the four verl modes.
     *
     * @return e.g. {@code "seq-mean-token-mean"}
     */
    public String spelling() {
        return spelling;
    }

    /**
     * Whether an explicit token normaliser (for gradient accumulation) applies to this mode.
     *
     * @return true only for {@link #TOKEN_MEAN}
     */
    public boolean usesTokenNormalizer() {
        return this == TOKEN_MEAN;
    }

    /**
     * The weight {@code c_i} of each active token of row i.
     *
     * @param rowTokens {@code [B]} active-token count per row
     * @param tokenNormalizer the explicit normaliser of {@link #TOKEN_MEAN}, if any
     * @param length the constant length L of the {@code _NORM} modes
     * @return {@code [B]}
     */
    abstract double[] rowWeights(double[] rowTokens, OptionalDouble tokenNormalizer, int length);

    /**
     * Aggregates per-token losses with this mode (the static form of the loss's last step).
     *
     * @param perTokenLoss {@code [B, T]} float32 or float64, finite everywhere (padding included)
     * @param mask {@code [B, T]} 0/1
     * @param length the constant length L of the {@code _NORM} modes ({@code > 0})
     * @return a scalar in the manager of {@code perTokenLoss}, differentiable w.r.t. it
     */
    public NDArray aggregate(NDArray perTokenLoss, NDArray mask, int length) {
        return aggregate(perTokenLoss, mask, length, OptionalDouble.empty());
    }

    /**
     * Aggregates per-token losses with {@link #TOKEN_MEAN} and an explicit normaliser N, e.g. the
     * active-token count of the whole accumulated batch when this is one micro-batch of it.
     *
     * @param perTokenLoss {@code [B, T]} float32 or float64, finite everywhere (padding included)
     * @param mask {@code [B, T]} 0/1
     * @param length unused by {@link #TOKEN_MEAN}; kept for symmetry ({@code > 0})
     * @param tokenNormalizer N ({@code > 0})
     * @return a scalar in the manager of {@code perTokenLoss}, differentiable w.r.t. it
     * @throws IllegalArgumentException if this mode does not use a token normaliser
     */
    public NDArray aggregate(
            NDArray perTokenLoss, NDArray mask, int length, double tokenNormalizer) {
        if (!usesTokenNormalizer()) {
            throw new IllegalArgumentException(
                    "a token normalizer applies only to token-mean aggregation, not " + spelling);
        }
        return aggregate(
                perTokenLoss,
                mask,
                length,
                OptionalDouble.of(LossInput.checkNormalizer(tokenNormalizer)));
    }

    private NDArray aggregate(
            NDArray perTokenLoss, NDArray mask, int length, OptionalDouble tokenNormalizer) {
        if (length <= 0) {
            throw new IllegalArgumentException("length L must be > 0 but was " + length);
        }
        Shape shape = perTokenLoss.getShape();
        if (shape.dimension() != 2 || !shape.equals(mask.getShape())) {
            throw new IllegalArgumentException(
                    "perTokenLoss has shape "
                            + shape
                            + " and mask has shape "
                            + mask.getShape()
                            + "; both must be the same [B, T]");
        }
        int cols = (int) shape.get(1);
        double[] m = HostArrays.readNumbers("mask", mask);
        HostBatch.requireBinary("mask", m, cols);
        double[] c = rowWeights(HostArrays.rowSums(m, cols), tokenNormalizer, length);
        NDArray weights =
                HostArrays.create(
                        perTokenLoss.getManager(),
                        HostArrays.tokenWeights(m, c, cols),
                        shape,
                        perTokenLoss.getDataType());
        return perTokenLoss.mul(weights).sum();
    }

    /**
     * Parses verl's spelling ({@code "token-mean"}, {@code "seq-mean-token-sum"}, {@code
     * "seq-mean-token-mean"}, {@code "seq-mean-token-sum-norm"}), the {@code row-} spellings, or a
     * constant's name, case-insensitively; hyphens and underscores are interchangeable.
     *
     * @param name the name
     * @return the mode
     * @throws IllegalArgumentException naming the unknown value and the accepted ones
     */
    public static Aggregation fromName(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (Aggregation a : values()) {
            if (a.spelling.equals(n)) {
                return a;
            }
        }
        throw new IllegalArgumentException(
                "unknown aggregation '"
                        + name
                        + "'; expected one of "
                        + Arrays.stream(values()).map(Aggregation::spelling).toList());
    }

    private static double sum(double[] values) {
        double s = 0;
        for (double v : values) {
            s += v;
        }
        return s;
    }

    private static double nonEmpty(double[] rowTokens) {
        double r = 0;
        for (double n : rowTokens) {
            if (n > 0) {
                r++;
            }
        }
        return r;
    }
}
