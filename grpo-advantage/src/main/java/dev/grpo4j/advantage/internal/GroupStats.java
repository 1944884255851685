package dev.grpo4j.advantage.internal;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * NaN-aware per-segment mean and sample standard deviation of a whole batch, and the centred (then
 * optionally scaled) values, computed on ND4J one bucket of equal-size segments at a time.
 *
 * <p>For a segment with values {@code x_1..x_n}, of which {@code m} are not NaN: {@code mean} is
 * the mean of those m, {@code std} their sample standard deviation (divide by m - 1; 0 when m &lt;
 * 2), and the deviation of each value is {@code x_i - mean}, 0 for NaN entries. Values are first
 * shifted by the segment's first valid value, which makes a segment of equal values give deviations
 * and a standard deviation of exactly 0 (so no epsilon is needed to get a zero advantage there) and
 * keeps cancellation small.
 *
 * <p>Segments of a single row follow one of two rules: either the row is centred on itself
 * (deviation 0, so its advantage is 0), or mean 0 and standard deviation 1 are used (verl's "raw
 * score" rule), so its deviation is its own value. Either way its true statistics (mean = value,
 * spread 0) enter {@link #batchStd()}.
 *
 * <p>Values may carry integral weights (multiplicities): GiGPO's per-step episode statistics weigh
 * each trajectory's score by its step count instead of repeating it.
 *
 * <p>Must be used inside an open {@link NdScope}: the arrays live in its workspace.
 */
public final class GroupStats {

    private final SegmentLayout layout;

    /** Per bucket, {@code [S, g]}: the deviations, scaled in place by the divide methods. */
    private final INDArray[] deviation;

    /** Per bucket, {@code [S]}: the standard deviation used for segment scaling. */
    private final INDArray[] scaleStd;

    /** Per bucket, {@code [S]}: the true mean of the valid values (0 when none). */
    private final INDArray[] mean;

    /** Per bucket, {@code [S]}: the sum of squared deviations of the valid values. */
    private final INDArray[] sumSq;

    /**
     * Per bucket, {@code [S]}: the total weight of the valid values, or null when g unit weights.
     */
    private final INDArray[] count;

    private GroupStats(SegmentLayout layout) {
        int buckets = layout.buckets();
        this.layout = layout;
        this.deviation = new INDArray[buckets];
        this.scaleStd = new INDArray[buckets];
        this.mean = new INDArray[buckets];
        this.sumSq = new INDArray[buckets];
        this.count = new INDArray[buckets];
    }

    /**
     * Computes the statistics of every segment.
     *
     * @param packed {@code [rows]} values in the layout's packed order; NaN marks a missing value;
     *     infinities are not allowed
     * @param layout the segments
     * @param rawScoreSingletons true: single-row segments use mean 0 and std 1; false: they get
     *     deviation 0
     * @return the statistics, in the current {@link NdScope}
     */
    public static GroupStats compute(
            double[] packed, SegmentLayout layout, boolean rawScoreSingletons) {
        return compute(packed, null, layout, rawScoreSingletons);
    }

    /**
     * Computes the statistics of every segment where each value stands for {@code weight} equal
     * entries (a multiplicity): the mean is {@code sum(w x) / sum(w)} and the sample standard
     * deviation divides {@code sum(w (x - mean)^2)} by {@code sum(w) - 1}. A segment is a singleton
     * when its total weight is 1; a single value of weight 3 is three equal entries, with deviation
     * 0.
     *
     * @param packed {@code [rows]} values in packed order; NaN marks a missing value
     * @param packedWeights {@code [rows]} positive integral weights in packed order, or null for
     *     all 1
     * @param layout the segments
     * @param rawScoreSingletons as in {@link #compute(double[], SegmentLayout, boolean)}
     * @return the statistics, in the current {@link NdScope}
     */
    public static GroupStats compute(
            double[] packed,
            double[] packedWeights,
            SegmentLayout layout,
            boolean rawScoreSingletons) {
        GroupStats stats = new GroupStats(layout);
        for (int b = 0; b < layout.buckets(); b++) {
            stats.computeBucket(b, packed, packedWeights, rawScoreSingletons);
        }
        return stats;
    }

    private void computeBucket(
            int b, double[] packed, double[] packedWeights, boolean rawScoreSingletons) {
        int s = layout.segments(b);
        int g = layout.width(b);
        int offset = layout.offset(b);
        int n = s * g;
        boolean anyNaN = false;
        for (int i = offset; i < offset + n && !anyNaN; i++) {
            anyNaN = Double.isNaN(packed[i]);
        }
        if (!anyNaN && packedWeights == null) {
            INDArray x = NdScope.matrix(packed, offset, s, g);
            if (g == 1) {
                singletons(b, x, null, rawScoreSingletons);
            } else {
                dense(b, x, g);
            }
            return;
        }
        // Weights (0 for a missing value), the NaN -> 0 copy and each segment's first valid value
        // are built while copying anyway.
        double[] values = new double[n];
        double[] weights = new double[n];
        double[] shift = new double[s];
        for (int seg = 0; seg < s; seg++) {
            boolean shiftSet = false;
            for (int j = 0; j < g; j++) {
                int i = seg * g + j;
                double v = packed[offset + i];
                if (!Double.isNaN(v)) {
                    values[i] = v;
                    weights[i] = packedWeights == null ? 1 : packedWeights[offset + i];
                    if (!shiftSet) {
                        shift[seg] = v;
                        shiftSet = true;
                    }
                }
            }
        }
        INDArray x = NdScope.matrix(values, 0, s, g);
        INDArray w = NdScope.matrix(weights, 0, s, g);
        if (g == 1) {
            singletons(b, x, w, rawScoreSingletons);
        } else {
            weighted(b, x, w, NdScope.vector(shift), anyNaN);
        }
    }

    /** No missing values, unit weights: one matrix, four reductions or broadcasts. */
    private void dense(int b, INDArray x, int g) {
        INDArray shift = x.getColumn(0).dup();
        x.subiColumnVector(shift);
        INDArray shiftedMean = x.sum(1).divi(g);
        x.subiColumnVector(shiftedMean);
        INDArray norm = x.norm2(1);
        sumSq[b] = norm.mul(norm);
        scaleStd[b] = norm.divi(Math.sqrt(g - 1.0));
        mean[b] = shiftedMean.addi(shift);
        deviation[b] = x;
    }

    /**
     * Missing values or multiplicities: the weights (0 for a missing value) multiply every sum and
     * their totals replace g; missing values get deviation 0.
     */
    private void weighted(int b, INDArray x, INDArray w, INDArray shift, boolean missing) {
        x.subiColumnVector(shift);
        INDArray n = w.sum(1);
        INDArray shiftedMean = x.mul(w).sum(1).divi(Transforms.max(n, 1.0, true));
        x.subiColumnVector(shiftedMean);
        if (missing) {
            x.muli(w.gt(0.0).castTo(DataType.DOUBLE));
        }
        INDArray ss = x.mul(x).muli(w).sum(1);
        INDArray dof = Transforms.max(n.sub(1.0), 1.0, false);
        sumSq[b] = ss;
        scaleStd[b] = Transforms.sqrt(ss.div(dof), false);
        mean[b] = shiftedMean.addi(shift);
        count[b] = n;
        deviation[b] = x;
    }

    /**
     * Width-1 bucket: a value of weight 1 follows the singleton rule; a value of weight k > 1 is k
     * equal entries (deviation 0); the true spread is 0 either way.
     */
    private void singletons(int b, INDArray x, INDArray weight, boolean rawScore) {
        int s = (int) x.size(0);
        mean[b] = x.reshape(s).dup();
        sumSq[b] = Nd4j.zeros(DataType.DOUBLE, s);
        scaleStd[b] = Nd4j.ones(DataType.DOUBLE, s);
        count[b] = weight == null ? null : weight.reshape(s).dup();
        if (!rawScore) {
            x.muli(0.0);
        } else if (weight != null) {
            x.muli(weight.eq(1.0).castTo(DataType.DOUBLE));
        }
        deviation[b] = x;
    }

    /**
     * Divides every deviation by its segment's standard deviation plus {@code epsilon}. Where that
     * sum is exactly 0 (all values of the segment equal, epsilon 0) the deviations are already 0
     * and stay 0.
     *
     * @param epsilon added to the standard deviation, {@code >= 0}
     */
    public void divideBySegmentStd(double epsilon) {
        for (int b = 0; b < deviation.length; b++) {
            INDArray denominator = scaleStd[b].add(epsilon);
            denominator.addi(denominator.eq(0.0).castTo(DataType.DOUBLE));
            deviation[b].diviColumnVector(denominator);
        }
    }

    /**
     * Divides every deviation by {@code scale + epsilon}. Nothing happens when that is 0 (every
     * deviation is then 0 already); an undefined scale (NaN, e.g. the batch spread of fewer than
     * two values) makes every deviation 0, as TRL's NaN-to-0 step does.
     *
     * @param scale a non-negative spread, e.g. {@link #batchStd()}, or NaN
     * @param epsilon added to it
     */
    public void divideBy(double scale, double epsilon) {
        double denominator = scale + epsilon;
        if (Double.isNaN(denominator)) {
            for (INDArray d : deviation) {
                d.assign(0.0);
            }
        } else if (denominator != 0) {
            for (INDArray d : deviation) {
                d.divi(denominator);
            }
        }
    }

    /**
     * The sample standard deviation of all valid values of the batch around the batch mean,
     * combined from the per-segment statistics (Chan et al.'s pairwise formula); NaN (undefined)
     * with fewer than two valid values.
     *
     * @return the batch standard deviation
     */
    public double batchStd() {
        double n = 0;
        double weightedMean = 0;
        for (int b = 0; b < mean.length; b++) {
            if (count[b] == null) {
                n += (double) layout.segments(b) * layout.width(b);
                weightedMean += mean[b].sumNumber().doubleValue() * layout.width(b);
            } else {
                n += count[b].sumNumber().doubleValue();
                weightedMean += mean[b].mul(count[b]).sumNumber().doubleValue();
            }
        }
        if (n < 2) {
            return Double.NaN;
        }
        double batchMean = weightedMean / n;
        double ss = 0;
        for (int b = 0; b < mean.length; b++) {
            INDArray d = mean[b].sub(batchMean);
            d.muli(d);
            ss += sumSq[b].sumNumber().doubleValue();
            if (count[b] == null) {
                ss += d.sumNumber().doubleValue() * layout.width(b);
            } else {
                ss += d.muli(count[b]).sumNumber().doubleValue();
            }
        }
        return Math.sqrt(ss / (n - 1));
    }

    /**
     * The (possibly scaled) deviations in row order.
     *
     * @return {@code [rows]} values
     */
    public double[] toRowOrder() {
        double[] out = new double[layout.rows()];
        if (layout.identity()) {
            for (int b = 0; b < deviation.length; b++) {
                NdScope.read(deviation[b], out, layout.offset(b));
            }
            return out;
        }
        addTo(1.0, out);
        return out;
    }

    /**
     * Adds {@code weight} times each row's (possibly scaled) deviation to {@code dest[row]}.
     *
     * @param weight the factor
     * @param dest {@code [rows]} accumulator in row order
     */
    public void addTo(double weight, double[] dest) {
        for (int b = 0; b < deviation.length; b++) {
            layout.addTo(b, NdScope.read(deviation[b]), weight, dest);
        }
    }
}
