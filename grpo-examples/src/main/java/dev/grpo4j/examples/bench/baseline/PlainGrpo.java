package dev.grpo4j.examples.bench.baseline;

/**
 * GRPO's group-relative advantage in plain Java loops, with the semantics of {@code
 * GrpoAdvantage.builder().build()} (group scaling, epsilon 1e-4, NaN rewards left out and given 0):
 * the baseline the ND4J estimator is timed against. Groups must have at least two rollouts.
 */
public final class PlainGrpo {

    private final double epsilon;

    /**
     * Creates the baseline.
     *
     * @param epsilon added to the group standard deviation
     */
    public PlainGrpo(double epsilon) {
        this.epsilon = epsilon;
    }

    /**
     * Computes the advantages.
     *
     * @param rewardsByGroup {@code [group][rollout]} rewards, NaN for "not applicable"
     * @return {@code [group][rollout]} advantages
     */
    public double[][] compute(double[][] rewardsByGroup) {
        double[][] out = new double[rewardsByGroup.length][];
        for (int g = 0; g < rewardsByGroup.length; g++) {
            double[] r = rewardsByGroup[g];
            double sum = 0;
            int n = 0;
            for (double v : r) {
                if (!Double.isNaN(v)) {
                    sum += v;
                    n++;
                }
            }
            double mean = n == 0 ? 0 : sum / n;
            double ss = 0;
            for (double v : r) {
                if (!Double.isNaN(v)) {
                    ss += (v - mean) * (v - mean);
                }
            }
            double std = n < 2 ? 0 : Math.sqrt(ss / (n - 1));
            double denominator = std + epsilon;
            double[] a = new double[r.length];
            for (int i = 0; i < r.length; i++) {
                a[i] = Double.isNaN(r[i]) || n < 2 ? 0 : (r[i] - mean) / denominator;
            }
            out[g] = a;
        }
        return out;
    }
}
