package dev.grpo4j.core.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.Arrays;
import java.util.Locale;

/**
 * The level at which the importance ratio {@code w = pi / pi_old} is formed (TRL's {@code
 * importance_sampling_level}, plus Rank-GRPO's item level). Let {@code r[i, t] = lp - lp_old}.
 *
 * <ul>
 *   <li>{@link #TOKEN}: {@code w[i, t] = exp(r[i, t])} (PPO, GRPO, DAPO).
 *   <li>{@link #SEQUENCE} (GSPO): {@code w[i] = exp(sum_t mask r / max(1, sum_t mask))}, the
 *       geometric mean of the row's token ratios, shared by all its tokens; its gradient reaches
 *       every token of the row ({@code dw_i / dlp_t = w_i mask_t / n_i}), as in TRL. verl's GSPO
 *       instead builds the per-token ratio {@code sg(w_i) * pi_t / sg(pi_t)}: the same value, but
 *       each token's own loss term sends its gradient only to that token's log-prob, whereas here
 *       the row's terms are summed and the total is shared evenly ({@code 1 / n_i}) among the row's
 *       tokens. Since every aggregation weighs all tokens of a row alike, the two gradients agree
 *       whenever the per-token terms of a row have equal derivatives (per-row advantages, no
 *       entropy filter) and differ with per-token advantages or the entropy filter. verl also
 *       clamps the log-ratio at 10; TRL does not, and neither does this level.
 *   <li>{@link #ITEM} (Rank-GRPO): tokens carry an item bin ({@code [B, T]} non-negative integers);
 *       every token of bin b of row i uses {@code w = exp(g_ib)}, {@code g_ib} the mean of {@code
 *       r} over the active tokens of that bin (count clamped to 1), and the gradient reaches every
 *       token of the bin. Worked example: log-ratios {@code [0.3, 0.0, -0.15]} in one bin give
 *       {@code w = exp(0.05) = 1.051271} for all three tokens.
 * </ul>
 */
public enum ImportanceSampling {
    /** One ratio per token. */
    TOKEN("token") {
        @Override
        NDArray logWeights(NDArray logRatio, NDArray mask, NDArray bins, int binCount) {
            return logRatio;
        }
    },
    /** One ratio per sequence: the geometric mean of its token ratios (GSPO). */
    SEQUENCE("sequence") {
        @Override
        NDArray logWeights(NDArray logRatio, NDArray mask, NDArray bins, int binCount) {
            int[] time = {1};
            NDArray perRow =
                    logRatio.sum(time, true).div(mask.sum(time, true).maximum(1)); // [B, 1]
            return perRow.broadcast(logRatio.getShape());
        }
    },
    /** One ratio per item bin: the geometric mean of the bin's token ratios (Rank-GRPO). */
    ITEM("item") {
        @Override
        NDArray logWeights(NDArray logRatio, NDArray mask, NDArray bins, int binCount) {
            DataType type = logRatio.getDataType();
            int[] time = {1};
            // [B, T, K] membership of each active token in each bin; padding rows of it are 0.
            NDArray member = bins.oneHot(binCount, type).mul(mask.expandDims(2));
            NDArray sums = member.mul(logRatio.expandDims(2)).sum(time); // [B, K]
            NDArray counts = member.sum(time).maximum(1); // [B, K]
            return sums.div(counts).gather(bins, 1); // [B, T]: each token reads its bin's mean
        }
    };

    private final String spelling;

    ImportanceSampling(String spelling) {
        this.spelling = spelling;
    }

    /**
     * TRL's spelling.
     *
     * @return e.g. {@code "sequence"}
     */
    public String spelling() {
        return spelling;
    }

    /**
     * Whether this level needs item bins in the {@link LossInput}.
     *
     * @return true for {@link #ITEM}
     */
    public boolean needsItemBins() {
        return this == ITEM;
    }

    /**
     * The log importance weight of every token, broadcast to {@code [B, T]}.
     *
     * @param logRatio {@code [B, T]} {@code (lp - lp_old) * mask}, differentiable
     * @param mask {@code [B, T]} 0/1 of the log-ratio's type
     * @param bins {@code [B, T]} int64 item bins, or null unless {@link #ITEM}
     * @param binCount one more than the largest bin
     * @return {@code [B, T]} log-weights in the manager of {@code logRatio}
     */
    abstract NDArray logWeights(NDArray logRatio, NDArray mask, NDArray bins, int binCount);

    /**
     * Parses {@code token}, {@code sequence} or {@code item}, case-insensitively.
     *
     * @param name the name
     * @return the level
     * @throws IllegalArgumentException naming the unknown value and the accepted ones
     */
    public static ImportanceSampling fromName(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (ImportanceSampling s : values()) {
            if (s.spelling.equals(n)) {
                return s;
            }
        }
        throw new IllegalArgumentException(
                "unknown importance sampling level '"
                        + name
                        + "'; expected one of "
                        + Arrays.stream(values()).map(ImportanceSampling::spelling).toList());
    }
}
