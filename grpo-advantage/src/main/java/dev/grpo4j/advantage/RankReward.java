package dev.grpo4j.advantage;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * How Rank-GRPO turns a completion's per-rank hits {@code h[k]} (k = 1..N, usually 0 or 1) into
 * per-rank rewards {@code r[k]} (ALGORITHMS.md section 5).
 *
 * <p>Each constant computes the rewards of a whole batch at once ({@code [rows, N]} on ND4J) and
 * also offers a plain-array form for one completion, so that the two can be compared and tried in
 * JShell.
 */
public enum RankReward {
    /**
     * The Rank-GRPO repository's default: {@code r[k] = h[k]}, only the item at rank k earns rank
     * k's credit.
     */
    EXP_INF {
        @Override
        public double[] rewards(double[] hits) {
            return hits.clone();
        }

        @Override
        INDArray rewards(INDArray hits) {
            return hits;
        }
    },
    /**
     * DCG restricted to the ranks from k on: {@code r[k] = sum_{j=k..N} h[j] / log2(j + 1)}, so
     * rank 1 has discount 1 and the credit of earlier ranks is left out.
     */
    LOG_DECAY {
        @Override
        public double[] rewards(double[] hits) {
            int n = hits.length;
            double[] r = new double[n];
            double tail = 0;
            // Summing from the last rank forward gives each suffix sum in one pass.
            for (int k = n - 1; k >= 0; k--) {
                tail += hits[k] * discount(k + 1);
                r[k] = tail;
            }
            return r;
        }

        @Override
        INDArray rewards(INDArray hits) {
            // r = h @ U with U[j][k] = discount(j + 1) for j >= k: one matrix product gives every
            // suffix sum of every row, with no per-row loop.
            int n = (int) hits.size(1);
            double[][] u = new double[n][n];
            for (int j = 0; j < n; j++) {
                double d = discount(j + 1);
                for (int k = 0; k <= j; k++) {
                    u[j][k] = d;
                }
            }
            return hits.mmul(Nd4j.createFromArray(u));
        }
    };

    /**
     * The per-rank rewards of one completion.
     *
     * @param hits {@code [N]} the hit (relevance) of the item at each rank, rank 1 first
     * @return {@code [N]} the rewards, a new array
     */
    public abstract double[] rewards(double[] hits);

    /**
     * The per-rank rewards of many completions at once.
     *
     * @param hits {@code [rows, N]} double-precision hits
     * @return {@code [rows, N]} rewards; may be {@code hits} itself, so callers must not modify the
     *     result in place
     */
    abstract INDArray rewards(INDArray hits);

    /**
     * The DCG discount of a 1-based rank: {@code 1 / log2(rank + 1)}, so rank 1 gets 1 and rank 3
     * gets 0.5.
     *
     * @param rank the rank, {@code >= 1}
     * @return the discount
     */
    public static double discount(int rank) {
        if (rank < 1) {
            throw new IllegalArgumentException("rank must be >= 1 but was " + rank);
        }
        return Math.log(2) / Math.log(rank + 1.0);
    }
}
