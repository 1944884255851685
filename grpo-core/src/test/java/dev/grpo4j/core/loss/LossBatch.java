package dev.grpo4j.core.loss;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import java.util.SplittableRandom;

/**
 * A loss input held as plain Java arrays, so that tests can perturb it, feed it to the NDArray loss
 * in a fresh manager, and hand the same numbers to {@link ReferenceLoss}.
 *
 * @param logProbs {@code [B][T]}
 * @param oldLogProbs {@code [B][T]} or null
 * @param refLogProbs {@code [B][T]} or null
 * @param advantages {@code [B][T]} per token (see {@code perRowAdvantages})
 * @param perRowAdvantages whether the advantages are passed as {@code [B]} (column 0 of each row)
 * @param mask {@code [B][T]} 0/1
 * @param entropies {@code [B][T]} or null
 * @param bins {@code [B][T]} or null
 * @param truncated {@code [B]} 0/1 or null
 * @param tokenNormalizer the explicit normaliser, or null
 */
record LossBatch(
        double[][] logProbs,
        double[][] oldLogProbs,
        double[][] refLogProbs,
        double[][] advantages,
        boolean perRowAdvantages,
        double[][] mask,
        double[][] entropies,
        int[][] bins,
        double[] truncated,
        Double tokenNormalizer) {

    int rows() {
        return logProbs.length;
    }

    int cols() {
        return logProbs[0].length;
    }

    /** A copy whose log-prob at {@code [i, t]} is moved by {@code h}. */
    LossBatch withLogProb(int i, int t, double h) {
        double[][] lp = copy(logProbs);
        lp[i][t] += h;
        return new LossBatch(
                lp,
                oldLogProbs,
                refLogProbs,
                advantages,
                perRowAdvantages,
                mask,
                entropies,
                bins,
                truncated,
                tokenNormalizer);
    }

    /** The NDArray input, every array created in {@code m} with the given float type. */
    LossInput toInput(NDManager m, NDArray logProbsArray, DataType type) {
        LossInput.Builder b =
                LossInput.builder()
                        .setLogProbs(logProbsArray)
                        .setMask(m.create(mask).toType(type, false))
                        .setAdvantages(advantagesArray(m, type));
        if (oldLogProbs != null) {
            b.optOldLogProbs(m.create(oldLogProbs).toType(type, false));
        }
        if (refLogProbs != null) {
            b.optRefLogProbs(m.create(refLogProbs).toType(type, false));
        }
        if (entropies != null) {
            b.optEntropies(m.create(entropies).toType(type, false));
        }
        if (bins != null) {
            b.optItemBins(m.create(bins));
        }
        if (truncated != null) {
            b.optTruncated(m.create(truncated).toType(type, false));
        }
        if (tokenNormalizer != null) {
            b.optTokenNormalizer(tokenNormalizer);
        }
        return b.build();
    }

    private NDArray advantagesArray(NDManager m, DataType type) {
        if (!perRowAdvantages) {
            return m.create(advantages).toType(type, false);
        }
        double[] perRow = new double[rows()];
        for (int i = 0; i < perRow.length; i++) {
            perRow[i] = advantages[i][0];
        }
        return m.create(perRow).toType(type, false);
    }

    /** The float64 loss value of {@code loss} on this batch. */
    double lossValue(PolicyGradientLoss loss) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray lp = m.create(logProbs);
            return loss.compute(toInput(m, lp, DataType.FLOAT64)).loss().getDouble();
        }
    }

    /** The float64 autograd gradient of {@code loss} w.r.t. the log-probs. */
    double[][] gradient(PolicyGradientLoss loss) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray lp = m.create(logProbs);
            lp.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(loss.compute(toInput(m, lp, DataType.FLOAT64)).loss());
            }
            double[] flat = lp.getGradient().toDoubleArray();
            double[][] out = new double[rows()][cols()];
            for (int i = 0; i < rows(); i++) {
                System.arraycopy(flat, i * cols(), out[i], 0, cols());
            }
            return out;
        }
    }

    /** Central finite differences of {@code loss} w.r.t. each log-prob. */
    double[][] finiteDifferences(PolicyGradientLoss loss, double h) {
        double[][] out = new double[rows()][cols()];
        for (int i = 0; i < rows(); i++) {
            for (int t = 0; t < cols(); t++) {
                double up = withLogProb(i, t, h).lossValue(loss);
                double down = withLogProb(i, t, -h).lossValue(loss);
                out[i][t] = (up - down) / (2 * h);
            }
        }
        return out;
    }

    /**
     * A random batch with ragged rows (lengths given; a length of 0 is an empty row), log-ratios
     * spread over {@code [-spread, spread]} so that some tokens clip, per-row or per-token
     * advantages, reference log-probs, entropies and item bins.
     */
    static LossBatch random(
            SplittableRandom rnd, int[] lengths, int cols, double spread, boolean perRow) {
        int rows = lengths.length;
        double[][] lp = new double[rows][cols];
        double[][] old = new double[rows][cols];
        double[][] ref = new double[rows][cols];
        double[][] adv = new double[rows][cols];
        double[][] mask = new double[rows][cols];
        double[][] ent = new double[rows][cols];
        int[][] bins = new int[rows][cols];
        for (int i = 0; i < rows; i++) {
            double a = rnd.nextDouble(-1.5, 1.5);
            int bin = 0;
            for (int t = 0; t < cols; t++) {
                lp[i][t] = rnd.nextDouble(-3, -0.2);
                old[i][t] = lp[i][t] - rnd.nextDouble(-spread, spread);
                double d = rnd.nextDouble(0.05, 0.6);
                ref[i][t] = lp[i][t] + (rnd.nextBoolean() ? d : -d);
                adv[i][t] = perRow ? a : rnd.nextDouble(-1.5, 1.5);
                mask[i][t] = t < lengths[i] ? 1 : 0;
                ent[i][t] = rnd.nextDouble(0, 3);
                if (t > 0 && rnd.nextDouble() < 0.4) {
                    bin++;
                }
                bins[i][t] = t < lengths[i] ? bin : 0;
            }
        }
        return new LossBatch(lp, old, ref, adv, perRow, mask, ent, bins, new double[rows], null);
    }

    static double[][] copy(double[][] a) {
        double[][] out = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i].clone();
        }
        return out;
    }
}
