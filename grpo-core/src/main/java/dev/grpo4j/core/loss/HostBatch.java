package dev.grpo4j.core.loss;

import ai.djl.ndarray.NDArray;
import java.util.Arrays;
import java.util.Optional;

/**
 * A validated host copy of one {@link LossInput}: what the loss needs in plain Java to check
 * values, build masks and normalisers, and compute metrics. Arrays are row-major {@code [B * T]}.
 */
final class HostBatch {

    final int rows;
    final int cols;
    final double[] logProbs;

    /** Null when the detached current log-probs stand in. */
    final double[] oldLogProbs;

    /** Null unless read (beta > 0). */
    final double[] refLogProbs;

    /** The input mask with truncated rows zeroed when truncation masking is on. */
    final double[] mask;

    /** Per token: a {@code [B]} input is broadcast along its row. */
    final double[] advantages;

    /** Null unless given. */
    final double[] entropies;

    /** Null unless read (ITEM). */
    final long[] bins;

    final int binCount;
    final double[] rowTokens;
    final double activeTokens;

    private HostBatch(LossInput input, boolean readRef, boolean readBins, boolean maskTruncated) {
        NDArray lp = input.logProbs();
        rows = (int) lp.getShape().get(0);
        cols = (int) lp.getShape().get(1);
        logProbs = requireFinite("logProbs", HostArrays.readFloats("logProbs", lp), cols);
        oldLogProbs = readFinite("oldLogProbs", input.oldLogProbs(), cols);
        refLogProbs = readRef ? readFinite("refLogProbs", input.refLogProbs(), cols) : null;
        double[] inputMask =
                requireBinary("mask", HostArrays.readNumbers("mask", input.mask()), cols);
        if (sum(inputMask) == 0) {
            throw new IllegalArgumentException(
                    "mask has no active token in any of its "
                            + rows
                            + " rows: there is nothing to learn from; skip the batch instead");
        }
        mask =
                maskTruncated
                        ? truncate(inputMask, input.truncated().orElseThrow(), cols)
                        : inputMask;
        advantages = readAdvantages(input.advantages(), rows, cols);
        entropies = readFinite("entropies", input.entropies(), cols);
        if (readBins) {
            bins = HostArrays.readIntegers("itemBins", input.itemBins().orElseThrow());
            long max = 0;
            for (int k = 0; k < bins.length; k++) {
                if (bins[k] < 0) {
                    throw new IllegalArgumentException(
                            "itemBins"
                                    + position(k, cols)
                                    + " is "
                                    + bins[k]
                                    + " but bins must be >= 0");
                }
                max = Math.max(max, bins[k]);
            }
            binCount = Math.toIntExact(max + 1);
        } else {
            bins = null;
            binCount = 0;
        }
        rowTokens = HostArrays.rowSums(mask, cols);
        activeTokens = sum(mask);
    }

    /**
     * Reads and validates an input.
     *
     * @param input the input
     * @param readRef whether the reference log-probs are needed (beta > 0); they must be present
     * @param readBins whether item bins are needed; they must be present
     * @param maskTruncated whether truncated rows are masked; the flags must be present
     * @return the host copy
     */
    static HostBatch read(
            LossInput input, boolean readRef, boolean readBins, boolean maskTruncated) {
        return new HostBatch(input, readRef, readBins, maskTruncated);
    }

    /**
     * The mean of {@code values} over active tokens (0 when there are none, as TRL's clamped
     * count).
     *
     * @param values {@code [B * T]}
     * @return the masked mean
     */
    double maskedMean(double[] values) {
        double s = 0;
        for (int k = 0; k < values.length; k++) {
            s += mask[k] * values[k];
        }
        return s / Math.max(1, activeTokens);
    }

    /**
     * The smallest or largest per-row masked mean over non-empty rows (0 when every row is empty).
     *
     * @param values {@code [B * T]}
     * @param largest whether to take the maximum
     * @return the extreme row fraction
     */
    double rowFractionExtreme(double[] values, boolean largest) {
        double best = Double.NaN;
        for (int i = 0; i < rows; i++) {
            if (rowTokens[i] == 0) {
                continue;
            }
            double s = 0;
            for (int t = 0; t < cols; t++) {
                s += mask[i * cols + t] * values[i * cols + t];
            }
            double f = s / rowTokens[i];
            if (Double.isNaN(best) || (largest ? f > best : f < best)) {
                best = f;
            }
        }
        return Double.isNaN(best) ? 0 : best;
    }

    /**
     * The top-entropy-quantile filter: 1 for an active token whose entropy is at least the {@code
     * (1 - rho)} quantile (linear interpolation, as {@code torch.quantile}) of the active tokens'
     * entropies, else 0. All zeros when no token is active.
     *
     * @param rho the kept fraction, in {@code (0, 1]}
     * @return {@code [B * T]}
     */
    double[] entropyKeep(double rho) {
        double[] active = new double[(int) activeTokens];
        int n = 0;
        for (int k = 0; k < mask.length; k++) {
            if (mask[k] == 1) {
                active[n++] = entropies[k];
            }
        }
        double[] keep = new double[mask.length];
        if (n == 0) {
            return keep;
        }
        Arrays.sort(active);
        double position = (1 - rho) * (n - 1);
        int below = (int) Math.floor(position);
        int above = (int) Math.ceil(position);
        double threshold = active[below] + (position - below) * (active[above] - active[below]);
        for (int k = 0; k < keep.length; k++) {
            keep[k] = mask[k] == 1 && entropies[k] >= threshold ? 1 : 0;
        }
        return keep;
    }

    /**
     * verl's {@code ppo_kl}: the masked mean of {@code lp_old - lp}; 0 without old log-probs.
     *
     * @return the approximate KL to the behaviour policy
     */
    double ppoKl() {
        if (oldLogProbs == null) {
            return 0;
        }
        double[] diff = new double[logProbs.length];
        for (int k = 0; k < diff.length; k++) {
            diff[k] = oldLogProbs[k] - logProbs[k];
        }
        return maskedMean(diff);
    }

    /**
     * Explains a non-finite loss from finite inputs: some exponential overflowed, so name the
     * largest active log-ratios against the old and the reference policy.
     *
     * @param value the loss value
     * @return the message
     */
    String overflowMessage(double value) {
        StringBuilder s =
                new StringBuilder("the loss is ")
                        .append(value)
                        .append(" although every input is finite: an exponential overflowed");
        appendLargest(s, "lp - lp_old", oldLogProbs);
        appendLargest(s, "lp - lp_ref", refLogProbs);
        return s.toString();
    }

    private void appendLargest(StringBuilder s, String what, double[] other) {
        if (other == null) {
            return;
        }
        int best = 0;
        for (int k = 1; k < other.length; k++) {
            if (mask[k] * Math.abs(logProbs[k] - other[k])
                    > mask[best] * Math.abs(logProbs[best] - other[best])) {
                best = k;
            }
        }
        s.append("; largest |")
                .append(what)
                .append("| is ")
                .append(Math.abs(logProbs[best] - other[best]))
                .append(" at ")
                .append(position(best, cols));
    }

    static double[] requireFinite(String name, double[] values, int cols) {
        for (int k = 0; k < values.length; k++) {
            if (!Double.isFinite(values[k])) {
                throw new IllegalArgumentException(
                        name
                                + position(k, cols)
                                + " is "
                                + values[k]
                                + "; every entry must be finite, padding included");
            }
        }
        return values;
    }

    static double[] requireBinary(String name, double[] values, int cols) {
        for (int k = 0; k < values.length; k++) {
            if (values[k] != 0 && values[k] != 1) {
                throw new IllegalArgumentException(
                        name
                                + " must hold only 0 and 1 but "
                                + name
                                + position(k, cols)
                                + " is "
                                + values[k]);
            }
        }
        return values;
    }

    /** Reads an optional float array and checks it is finite; null when absent. */
    private static double[] readFinite(String name, Optional<NDArray> array, int cols) {
        return array.isEmpty()
                ? null
                : requireFinite(name, HostArrays.readFloats(name, array.get()), cols);
    }

    private static double[] readAdvantages(NDArray array, int rows, int cols) {
        double[] values = HostArrays.readFloats("advantages", array);
        boolean perRow = array.getShape().dimension() == 1;
        requireFinite("advantages", values, perRow ? 0 : cols);
        if (!perRow) {
            return values;
        }
        double[] out = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            Arrays.fill(out, i * cols, (i + 1) * cols, values[i]);
        }
        return out;
    }

    private static double[] truncate(double[] mask, NDArray truncated, int cols) {
        double[] flags =
                requireBinary("truncated", HostArrays.readNumbers("truncated", truncated), 0);
        double[] out = mask.clone();
        for (int k = 0; k < out.length; k++) {
            out[k] *= 1 - flags[k / cols];
        }
        return out;
    }

    /** {@code "[row, col]"} for a {@code [B, T]} array, {@code "[k]"} when {@code cols} is 0. */
    private static String position(int k, int cols) {
        return cols == 0 ? "[" + k + "]" : "[" + k / cols + ", " + k % cols + "]";
    }

    private static double sum(double[] values) {
        double s = 0;
        for (double v : values) {
            s += v;
        }
        return s;
    }
}
