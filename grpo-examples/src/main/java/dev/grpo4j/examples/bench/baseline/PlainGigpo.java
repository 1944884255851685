package dev.grpo4j.examples.bench.baseline;

import java.util.HashMap;
import java.util.Map;

/**
 * GiGPO's advantage in plain Java loops for string anchors, with the semantics of {@code
 * GigpoAdvantage} (per-step episode statistics, exact anchor grouping, episode score = sum of step
 * rewards): the baseline the ND4J estimator is timed against.
 */
public final class PlainGigpo {

    private final double gamma;
    private final double stepWeight;
    private final boolean divideByStd;
    private final double epsilon;

    /**
     * Creates the baseline.
     *
     * @param gamma the discount
     * @param stepWeight omega
     * @param divideByStd true for mean_std_norm, false for mean_norm
     * @param epsilon added to standard deviations
     */
    public PlainGigpo(double gamma, double stepWeight, boolean divideByStd, double epsilon) {
        this.gamma = gamma;
        this.stepWeight = stepWeight;
        this.divideByStd = divideByStd;
        this.epsilon = epsilon;
    }

    /** Running sums of one step group: count, sum, sum of squares about a shift. */
    private static final class Acc {
        int n;
        double shift;
        double sum;
        double sumSq;
        double mean;
        double std;
    }

    /**
     * Computes the advantages.
     *
     * @param anchors {@code [group][trajectory][step]} anchor observations
     * @param rewards {@code [group][trajectory][step]} step rewards
     * @return {@code [group][trajectory][step]} advantages
     */
    public double[][][] compute(String[][][] anchors, double[][][] rewards) {
        double[][][] out = new double[rewards.length][][];
        for (int g = 0; g < rewards.length; g++) {
            double[][] r = rewards[g];
            int trajectories = r.length;
            double[][] ret = new double[trajectories][];
            double[] score = new double[trajectories];
            int steps = 0;
            double scoreSum = 0;
            for (int t = 0; t < trajectories; t++) {
                int len = r[t].length;
                ret[t] = new double[len];
                double running = 0;
                for (int s = len - 1; s >= 0; s--) {
                    running = r[t][s] + gamma * running;
                    ret[t][s] = running;
                    score[t] += r[t][s];
                }
                steps += len;
                scoreSum += score[t] * len;
            }
            // Episode statistics over one entry per step row.
            double vMean = scoreSum / steps;
            double vSs = 0;
            for (int t = 0; t < trajectories; t++) {
                double d = score[t] - vMean;
                vSs += d * d * r[t].length;
            }
            double vStd = steps == 1 ? 1 : Math.sqrt(vSs / (steps - 1));
            if (steps == 1) {
                vMean = 0;
            }
            // Step groups: two passes over a hash map of anchors.
            Map<String, Acc> groups = new HashMap<>();
            for (int t = 0; t < trajectories; t++) {
                for (int s = 0; s < r[t].length; s++) {
                    Acc acc = groups.get(anchors[g][t][s]);
                    if (acc == null) {
                        acc = new Acc();
                        acc.shift = ret[t][s];
                        groups.put(anchors[g][t][s], acc);
                    }
                    double x = ret[t][s] - acc.shift;
                    acc.n++;
                    acc.sum += x;
                    acc.sumSq += x * x;
                }
            }
            for (Acc acc : groups.values()) {
                double m = acc.sum / acc.n;
                acc.mean = acc.shift + m;
                acc.std =
                        acc.n == 1
                                ? 1
                                : Math.sqrt(Math.max(0, (acc.sumSq - acc.n * m * m) / (acc.n - 1)));
            }
            out[g] = new double[trajectories][];
            for (int t = 0; t < trajectories; t++) {
                double ae = score[t] - vMean;
                if (divideByStd) {
                    ae /= vStd + epsilon;
                }
                double[] a = new double[r[t].length];
                for (int s = 0; s < a.length; s++) {
                    Acc acc = groups.get(anchors[g][t][s]);
                    double as = acc.n == 1 ? 0 : ret[t][s] - acc.mean;
                    if (divideByStd) {
                        as /= acc.std + epsilon;
                    }
                    a[s] = ae + stepWeight * as;
                }
                out[g][t] = a;
            }
        }
        return out;
    }
}
