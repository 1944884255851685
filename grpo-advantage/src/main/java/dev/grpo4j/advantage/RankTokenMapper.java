package dev.grpo4j.advantage;

import java.util.Arrays;
import java.util.function.IntUnaryOperator;

/**
 * Spreads one completion's per-rank advantages over its tokens (ALGORITHMS.md section 5, "Token to
 * rank mapping"), with the optional length shaping. Plain Java: the walk is inherently sequential
 * per token, and each completion is independent.
 *
 * <p>A token's item index is the number of newline characters in the tokens <em>before</em> it, so
 * a newline ends its own item and a token holding several newlines advances the index by that many.
 * The EOS token is not an item token: it is either one of the configured EOS ids (the first
 * occurrence ends the list), or, when none are configured, the last token of a rollout that was not
 * truncated.
 */
final class RankTokenMapper {

    private final int rankCount;
    private final IntUnaryOperator newlineCount;
    private final int[] eosIds;
    private final boolean lengthShaping;
    private final double overflowPenalty;
    private final double endOfListReward;
    private final double earlyStopPenalty;

    RankTokenMapper(
            int rankCount,
            IntUnaryOperator newlineCount,
            int[] eosIds,
            boolean lengthShaping,
            double overflowPenalty,
            double endOfListReward,
            double earlyStopPenalty) {
        this.rankCount = rankCount;
        this.newlineCount = newlineCount;
        this.eosIds = eosIds.clone();
        Arrays.sort(this.eosIds);
        this.lengthShaping = lengthShaping;
        this.overflowPenalty = overflowPenalty;
        this.endOfListReward = endOfListReward;
        this.earlyStopPenalty = earlyStopPenalty;
    }

    /**
     * Maps one completion.
     *
     * @param ids the completion's token ids
     * @param truncated whether generation hit the length limit (used only without EOS ids)
     * @param rankAdvantages {@code [N]} the completion's per-rank advantages
     * @return the per-token advantages, bins and mask
     */
    RankTokenAdvantages map(int[] ids, boolean truncated, double[] rankAdvantages) {
        if (rankAdvantages.length != rankCount) {
            throw new IllegalArgumentException(
                    "expected "
                            + rankCount
                            + " rank advantages (the rank count N) but got "
                            + rankAdvantages.length);
        }
        int length = ids.length;
        int eos = eosPosition(ids, truncated);
        int listEnd = eos >= 0 ? eos : length;
        double[] values = new double[length];
        int[] bins = new int[length];
        boolean[] mask = new boolean[length];

        int item = 0;
        int lastItem = -1;
        for (int t = 0; t < listEnd; t++) {
            lastItem = item;
            if (item < rankCount) {
                values[t] = rankAdvantages[item];
                bins[t] = item;
            } else {
                values[t] = lengthShaping ? overflowPenalty : 0.0;
                bins[t] = rankCount;
            }
            mask[t] = true;
            item = advance(item, ids[t], t);
        }
        int itemCount = lastItem + 1;
        boolean overflow = itemCount > rankCount;
        // EOS and anything after it share the last bin; only a shaped EOS enters the loss, because
        // without shaping its advantage is 0 and it would only dilute the token mean.
        for (int t = listEnd; t < length; t++) {
            bins[t] = rankCount + 1;
        }
        if (eos >= 0 && lengthShaping) {
            mask[eos] = true;
            if (itemCount == rankCount) {
                values[eos] = endOfListReward;
            } else if (itemCount < rankCount) {
                values[eos] = earlyStopPenalty;
            }
        }
        return new RankTokenAdvantages(values, bins, mask, itemCount, overflow, eos >= 0);
    }

    private int advance(int item, int tokenId, int position) {
        int n = newlineCount.applyAsInt(tokenId);
        if (n < 0) {
            throw new IllegalArgumentException(
                    "the newline count of token "
                            + tokenId
                            + " at position "
                            + position
                            + " is "
                            + n
                            + "; it must be >= 0");
        }
        // Saturate instead of overflowing on absurd counts; any index >= N is overflow anyway.
        return (int) Math.min((long) item + n, Integer.MAX_VALUE - 1L);
    }

    private int eosPosition(int[] ids, boolean truncated) {
        if (eosIds.length == 0) {
            return !truncated && ids.length > 0 ? ids.length - 1 : -1;
        }
        for (int t = 0; t < ids.length; t++) {
            if (Arrays.binarySearch(eosIds, ids[t]) >= 0) {
                return t;
            }
        }
        return -1;
    }
}
