package dev.grpo4j.advantage;

import java.util.ArrayList;
import java.util.List;

/**
 * A deliberately plain GRPO advantage, written line by line from ALGORITHMS.md section 1 (TRL's
 * nanmean / nanstd, NaN -> 0), for comparison with the ND4J implementation. Singleton groups follow
 * {@code rawScoreSingletons} (mean 0, std 1) or get 0.
 */
final class GrpoReference {

    private GrpoReference() {}

    /** Mean of the non-NaN values; NaN if there are none. */
    static double nanMean(List<Double> xs) {
        double sum = 0;
        int n = 0;
        for (double x : xs) {
            if (!Double.isNaN(x)) {
                sum += x;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** Sample standard deviation of the non-NaN values; NaN with fewer than two. */
    static double nanStd(List<Double> xs) {
        double mean = nanMean(xs);
        double ss = 0;
        int n = 0;
        for (double x : xs) {
            if (!Double.isNaN(x)) {
                ss += (x - mean) * (x - mean);
                n++;
            }
        }
        return n < 2 ? Double.NaN : Math.sqrt(ss / (n - 1));
    }

    /** r_i = nansum_k w_k x_ik, NaN when every x_ik is NaN. */
    static double[][] weightedSum(double[][][] x, double[] w) {
        double[][] r = new double[x.length][];
        for (int g = 0; g < x.length; g++) {
            r[g] = new double[x[g].length];
            for (int i = 0; i < x[g].length; i++) {
                double sum = 0;
                boolean any = false;
                for (int k = 0; k < w.length; k++) {
                    if (!Double.isNaN(x[g][i][k])) {
                        sum += w[k] * x[g][i][k];
                        any = true;
                    }
                }
                r[g][i] = any ? sum : Double.NaN;
            }
        }
        return r;
    }

    /** sum_then_normalize on already combined rewards. */
    static double[][] sumThenNormalize(
            double[][] r, RewardScale scale, double eps, boolean rawScoreSingletons) {
        List<Double> all = new ArrayList<>();
        for (double[] g : r) {
            for (double x : g) {
                all.add(x);
            }
        }
        double batchStd = nanStd(all);
        double[][] a = new double[r.length][];
        for (int g = 0; g < r.length; g++) {
            List<Double> group = new ArrayList<>();
            for (double x : r[g]) {
                group.add(x);
            }
            boolean singleton = r[g].length == 1;
            double mean = singleton ? (rawScoreSingletons ? 0 : r[g][0]) : nanMean(group);
            double std = singleton ? 1 : nanStd(group);
            a[g] = new double[r[g].length];
            for (int i = 0; i < r[g].length; i++) {
                double adv = r[g][i] - mean;
                if (scale == RewardScale.GROUP) {
                    adv = adv / (std + eps);
                } else if (scale == RewardScale.BATCH) {
                    adv = adv / (batchStd + eps);
                }
                a[g][i] = nanToZero(adv);
            }
        }
        return a;
    }

    /** normalize_then_sum (GDPO). */
    static double[][] normalizeThenSum(
            double[][][] x, double[] w, double eps, boolean rawScoreSingletons) {
        int k = w.length;
        double[][][] z = new double[x.length][][];
        for (int g = 0; g < x.length; g++) {
            z[g] = new double[x[g].length][k];
            for (int f = 0; f < k; f++) {
                List<Double> column = new ArrayList<>();
                for (double[] rollout : x[g]) {
                    column.add(rollout[f]);
                }
                boolean singleton = x[g].length == 1;
                double mean = singleton ? (rawScoreSingletons ? 0 : x[g][0][f]) : nanMean(column);
                double std = singleton ? 1 : nanStd(column);
                for (int i = 0; i < x[g].length; i++) {
                    double d = x[g][i][f] - mean;
                    // NaN z (NaN reward, or undefined std) is skipped by the nansum below.
                    z[g][i][f] = d / (std + eps);
                }
            }
        }
        double[][] r = new double[x.length][];
        List<Double> all = new ArrayList<>();
        for (int g = 0; g < x.length; g++) {
            r[g] = new double[x[g].length];
            for (int i = 0; i < x[g].length; i++) {
                double sum = 0;
                boolean scorable = false;
                for (int f = 0; f < k; f++) {
                    scorable |= !Double.isNaN(x[g][i][f]);
                    if (!Double.isNaN(z[g][i][f])) {
                        sum += w[f] * z[g][i][f];
                    }
                }
                r[g][i] = scorable ? sum : Double.NaN;
                all.add(r[g][i]);
            }
        }
        double mean = nanMean(all);
        double std = nanStd(all);
        double[][] a = new double[x.length][];
        for (int g = 0; g < x.length; g++) {
            a[g] = new double[r[g].length];
            for (int i = 0; i < r[g].length; i++) {
                a[g][i] = nanToZero((r[g][i] - mean) / (std + eps));
            }
        }
        return a;
    }

    /** TRL's last step: a NaN advantage (NaN reward, undefined std) becomes 0. */
    private static double nanToZero(double adv) {
        return Double.isNaN(adv) ? 0 : adv;
    }
}
