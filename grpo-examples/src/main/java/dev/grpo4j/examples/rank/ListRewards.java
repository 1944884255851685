package dev.grpo4j.examples.rank;

import dev.grpo4j.core.reward.Completion;
import dev.grpo4j.core.reward.ItemRewardFunction;
import dev.grpo4j.core.reward.RewardFunction;
import dev.grpo4j.core.util.Checks;
import java.util.ArrayList;
import java.util.List;

/**
 * The reward functions of the recommendation task, all read from a completion's ranked list and the
 * relevant items in its prompt's metadata ({@link User#RELEVANT}):
 *
 * <ul>
 *   <li>{@link #hits}: the per-rank hit vector, Rank-GRPO's item reward;
 *   <li>{@link #ndcg}: NDCG@K, the sequence reward of the GRPO baseline;
 *   <li>{@link #recall}: Recall@K, reported only.
 * </ul>
 *
 * All are stateless and thread-safe.
 */
public final class ListRewards {

    private ListRewards() {}

    /**
     * The hit vector as an item reward: {@code [K]} values in {0, 1} (see {@link
     * RankingMetrics#hits}).
     *
     * @param catalog the catalog
     * @param k the cut-off K
     * @return the function, named {@code hits}
     */
    public static ItemRewardFunction hits(Catalog catalog, int k) {
        Checks.positive("K", k);
        return ItemRewardFunction.named("hits", c -> hitVector(catalog, c, k));
    }

    /**
     * NDCG@K of the list as a sequence reward.
     *
     * @param catalog the catalog
     * @param k the cut-off K
     * @return the function, named {@code ndcg}
     */
    public static RewardFunction ndcg(Catalog catalog, int k) {
        Checks.positive("K", k);
        return RewardFunction.named(
                "ndcg", c -> RankingMetrics.ndcg(hitVector(catalog, c, k), relevant(c).size()));
    }

    /**
     * Recall@K of the list as a sequence reward.
     *
     * @param catalog the catalog
     * @param k the cut-off K
     * @return the function, named {@code recall}
     */
    public static RewardFunction recall(Catalog catalog, int k) {
        Checks.positive("K", k);
        return RewardFunction.named(
                "recall", c -> RankingMetrics.recall(hitVector(catalog, c, k), relevant(c).size()));
    }

    /**
     * The hit vector of a completion.
     *
     * @param catalog the catalog
     * @param completion the completion; its prompt must carry {@link User#RELEVANT}
     * @param k the cut-off K
     * @return {@code [K]} hits
     */
    public static double[] hitVector(Catalog catalog, Completion completion, int k) {
        return RankingMetrics.hits(
                RankedList.entries(catalog, completion.ids()), relevant(completion), k);
    }

    /** The relevant items in the prompt's metadata. */
    static List<Integer> relevant(Completion completion) {
        Object value = completion.prompt().get(User.RELEVANT);
        Checks.require(
                value instanceof List<?>,
                "prompt '%s' metadata '%s' must be a list of item ids but was %s",
                completion.prompt().key(),
                User.RELEVANT,
                value);
        List<Integer> items = new ArrayList<>();
        for (Object o : (List<?>) value) {
            Checks.require(
                    o instanceof Integer,
                    "prompt '%s' lists a relevant item %s that is not an integer id",
                    completion.prompt().key(),
                    o);
            items.add((Integer) o);
        }
        Checks.require(
                !items.isEmpty(), "prompt '%s' has no relevant items", completion.prompt().key());
        return items;
    }
}
