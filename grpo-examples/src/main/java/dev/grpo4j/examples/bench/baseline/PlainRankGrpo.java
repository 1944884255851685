package dev.grpo4j.examples.bench.baseline;

/**
 * Rank-GRPO's per-rank advantage in plain Java, with the semantics of {@code
 * RankGrpoAdvantage.builder().optRankReward(..).build().compute}: rank rewards from hits ({@code
 * EXP_INF}: the hit itself; {@code LOG_DECAY}: the DCG of ranks k..N), then for every group and
 * rank a z-score over the group's rollouts (sample std, epsilon 1e-4). The baseline the ND4J
 * estimator is timed against.
 */
public final class PlainRankGrpo {

    private final boolean logDecay;
    private final double epsilon;

    /**
     * Creates the baseline.
     *
     * @param logDecay LOG_DECAY rank rewards if true, EXP_INF otherwise
     * @param epsilon added to the per-rank standard deviation
     */
    public PlainRankGrpo(boolean logDecay, double epsilon) {
        this.logDecay = logDecay;
        this.epsilon = epsilon;
    }

    /**
     * Computes the advantages.
     *
     * @param hits {@code [group][rollout][rank]} hits
     * @return advantages of the same shape
     */
    public double[][][] compute(double[][][] hits) {
        double[][][] out = new double[hits.length][][];
        for (int g = 0; g < hits.length; g++) {
            int rollouts = hits[g].length;
            int ranks = hits[g][0].length;
            double[][] r = new double[rollouts][ranks];
            for (int i = 0; i < rollouts; i++) {
                if (logDecay) {
                    double tail = 0;
                    for (int k = ranks - 1; k >= 0; k--) {
                        tail += hits[g][i][k] / (Math.log(k + 2) / Math.log(2));
                        r[i][k] = tail;
                    }
                } else {
                    System.arraycopy(hits[g][i], 0, r[i], 0, ranks);
                }
            }
            double[][] a = new double[rollouts][ranks];
            for (int k = 0; k < ranks; k++) {
                double sum = 0;
                for (int i = 0; i < rollouts; i++) {
                    sum += r[i][k];
                }
                double mean = sum / rollouts;
                double ss = 0;
                for (int i = 0; i < rollouts; i++) {
                    ss += (r[i][k] - mean) * (r[i][k] - mean);
                }
                double std = Math.sqrt(ss / (rollouts - 1));
                for (int i = 0; i < rollouts; i++) {
                    a[i][k] = std == 0 ? 0 : (r[i][k] - mean) / (std + epsilon);
                }
            }
            out[g] = a;
        }
        return out;
    }
}
