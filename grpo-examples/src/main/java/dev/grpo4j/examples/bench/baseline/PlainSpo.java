package dev.grpo4j.examples.bench.baseline;

import java.util.HashMap;
import java.util.Map;

/**
 * SPO's advantage in plain Java, with the semantics of {@code SpoAdvantage.compute}: the pre-update
 * baseline {@code p(x) = alpha / (alpha + beta)} of each prompt's Beta tracker, {@code a = r - p},
 * then a global z-score over the batch (sample std, epsilon 1e-8). The baseline the ND4J estimator
 * is timed against; the trackers live in a hash map, as a hand-written Java version would keep
 * them.
 */
public final class PlainSpo {

    private final Map<String, double[]> trackers = new HashMap<>();
    private final double epsilon;

    /**
     * Creates the baseline.
     *
     * @param epsilon added to the batch standard deviation
     */
    public PlainSpo(double epsilon) {
        this.epsilon = epsilon;
    }

    /**
     * Offline initialisation from {@code successes} of {@code samples} (samples &gt; 0), as SPO's
     * recipe: {@code N0 = 8}, {@code alpha = N0 (s + 0.5) / (n + 1)}, {@code beta = N0 (n - s +
     * 0.5) / (n + 1)}.
     *
     * @param promptId the prompt
     * @param successes the successes
     * @param samples the samples
     */
    public void initialize(String promptId, int successes, int samples) {
        double n0 = 8;
        trackers.put(
                promptId,
                new double[] {
                    n0 * (successes + 0.5) / (samples + 1),
                    n0 * (samples - successes + 0.5) / (samples + 1)
                });
    }

    /**
     * Computes the advantages with the pre-update baselines.
     *
     * @param promptIds one prompt per rollout
     * @param rewards one reward in [0, 1] per rollout
     * @return the advantages
     */
    public double[] compute(String[] promptIds, double[] rewards) {
        int n = rewards.length;
        double[] a = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double[] t = trackers.get(promptIds[i]);
            a[i] = rewards[i] - t[0] / (t[0] + t[1]);
            sum += a[i];
        }
        double mean = sum / n;
        double ss = 0;
        for (double v : a) {
            ss += (v - mean) * (v - mean);
        }
        double std = n < 2 ? 0 : Math.sqrt(ss / (n - 1));
        for (int i = 0; i < n; i++) {
            a[i] = n < 2 ? 0 : (a[i] - mean) / (std + epsilon);
        }
        return a;
    }
}
