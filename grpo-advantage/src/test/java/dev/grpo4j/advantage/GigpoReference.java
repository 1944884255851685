package dev.grpo4j.advantage;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A deliberately plain GiGPO advantage for string anchors, written step by step from ALGORITHMS.md
 * section 3 (verl-agent's dictionaries of lists), for comparison with the ND4J implementation.
 */
final class GigpoReference {

    private GigpoReference() {}

    static double[][][] compute(
            String[][][] anchors,
            double[][][] rewards,
            double[][] scores,
            double gamma,
            double omega,
            GigpoMode mode,
            double eps,
            EpisodeStatistics statistics) {
        boolean divide = mode == GigpoMode.MEAN_STD_NORM;
        double[][][] out = new double[rewards.length][][];
        for (int g = 0; g < rewards.length; g++) {
            // Step 1: discounted returns.
            double[][] ret = new double[rewards[g].length][];
            for (int t = 0; t < rewards[g].length; t++) {
                ret[t] = new double[rewards[g][t].length];
                double running = 0;
                for (int s = rewards[g][t].length - 1; s >= 0; s--) {
                    running = rewards[g][t][s] + gamma * running;
                    ret[t][s] = running;
                }
            }
            // Step 2: the episode list V.
            List<Double> v = new ArrayList<>();
            for (int t = 0; t < rewards[g].length; t++) {
                int copies = statistics == EpisodeStatistics.PER_STEP ? rewards[g][t].length : 1;
                for (int c = 0; c < copies; c++) {
                    v.add(scores[g][t]);
                }
            }
            double vMean = v.size() == 1 ? 0 : mean(v);
            double vStd = v.size() == 1 ? 1 : std(v);
            // Step 3: step groups by anchor.
            Map<String, List<Double>> byAnchor = new HashMap<>();
            for (int t = 0; t < rewards[g].length; t++) {
                for (int s = 0; s < rewards[g][t].length; s++) {
                    byAnchor.computeIfAbsent(anchors[g][t][s], k -> new ArrayList<>())
                            .add(ret[t][s]);
                }
            }
            // Steps 4 and 5.
            out[g] = new double[rewards[g].length][];
            for (int t = 0; t < rewards[g].length; t++) {
                out[g][t] = new double[rewards[g][t].length];
                double ae = scores[g][t] - vMean;
                if (divide) {
                    ae /= vStd + eps;
                }
                for (int s = 0; s < rewards[g][t].length; s++) {
                    List<Double> group = byAnchor.get(anchors[g][t][s]);
                    double cMean = group.size() == 1 ? group.get(0) : mean(group);
                    double cStd = group.size() == 1 ? 1 : std(group);
                    double as = ret[t][s] - cMean;
                    if (divide) {
                        as /= cStd + eps;
                    }
                    out[g][t][s] = ae + omega * as;
                }
            }
        }
        return out;
    }

    static double mean(List<Double> xs) {
        double sum = 0;
        for (double x : xs) {
            sum += x;
        }
        return sum / xs.size();
    }

    static double std(List<Double> xs) {
        double m = mean(xs);
        double ss = 0;
        for (double x : xs) {
            ss += (x - m) * (x - m);
        }
        return Math.sqrt(ss / (xs.size() - 1));
    }
}
