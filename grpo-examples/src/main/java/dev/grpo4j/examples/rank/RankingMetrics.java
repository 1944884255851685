package dev.grpo4j.examples.rank;

import dev.grpo4j.core.util.Checks;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * The ranking measures of the example: the per-rank hit vector, NDCG@K and Recall@K, with binary
 * relevance.
 *
 * <ul>
 *   <li>{@code h[k] = 1} when the entry at rank k is a relevant item not matched at an earlier
 *       rank; repeats, non-items and irrelevant (including already seen) items score 0, so each
 *       relevant item is matched at most once. Ranks past the list's end score 0.
 *   <li>{@code NDCG@K = DCG / IDCG}, {@code DCG = sum_k h[k] / log2(k + 1)} (rank 1 has discount
 *       1), {@code IDCG} the DCG of {@code min(K, |relevant|)} hits at the top.
 *   <li>{@code Recall@K = sum_k h[k] / |relevant|}.
 * </ul>
 */
public final class RankingMetrics {

    private RankingMetrics() {}

    /**
     * The hit vector of a list.
     *
     * @param entries the list's entries, top first (item ids or {@link RankedList#NOT_AN_ITEM})
     * @param relevant the relevant items
     * @param k the cut-off K, {@code > 0}
     * @return {@code [K]} hits in {0, 1}
     */
    public static double[] hits(int[] entries, Collection<Integer> relevant, int k) {
        Checks.positive("K", k);
        Set<Integer> open = new HashSet<>(relevant);
        double[] hits = new double[k];
        for (int r = 0; r < Math.min(k, entries.length); r++) {
            if (open.remove(entries[r])) {
                hits[r] = 1.0;
            }
        }
        return hits;
    }

    /**
     * The discount of a 1-based rank, {@code 1 / log2(rank + 1)}.
     *
     * @param rank the rank, 1 for the top
     * @return the discount
     */
    public static double discount(int rank) {
        return 1.0 / (Math.log(rank + 1.0) / Math.log(2.0));
    }

    /**
     * NDCG@K of a hit vector.
     *
     * @param hits {@code [K]} hits, top first
     * @param relevantCount the number of relevant items, {@code > 0}
     * @return NDCG in {@code [0, 1]}
     */
    public static double ndcg(double[] hits, int relevantCount) {
        Checks.positive("relevant count", relevantCount);
        double dcg = 0;
        double ideal = 0;
        for (int r = 0; r < hits.length; r++) {
            dcg += hits[r] * discount(r + 1);
            if (r < relevantCount) {
                ideal += discount(r + 1);
            }
        }
        return ideal == 0 ? 0.0 : dcg / ideal;
    }

    /**
     * Recall@K of a hit vector.
     *
     * @param hits {@code [K]} hits
     * @param relevantCount the number of relevant items, {@code > 0}
     * @return the share of relevant items in the list, in {@code [0, 1]}
     */
    public static double recall(double[] hits, int relevantCount) {
        Checks.positive("relevant count", relevantCount);
        double sum = 0;
        for (double h : hits) {
            sum += h;
        }
        return sum / relevantCount;
    }
}
