package dev.grpo4j.advantage;

import dev.grpo4j.core.advantage.AdvantageEstimator;
import dev.grpo4j.core.advantage.AdvantageInput;
import dev.grpo4j.core.advantage.Advantages;
import dev.grpo4j.core.rollout.Rollout;
import dev.grpo4j.core.rollout.RolloutGroup;
import dev.grpo4j.core.util.Checks;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntUnaryOperator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Rank-GRPO: group-relative advantages per item rank for completions that are ranked lists
 * (recommendations), after Zhu et al., arXiv 2510.20150 (ALGORITHMS.md section 5).
 *
 * <p>Each completion's per-rank hits {@code h[i,k]} become rank rewards {@code r[i,k]} ({@link
 * RankReward}); then, for every prompt group and every rank k separately, {@code A[i,k] = (r[i,k] -
 * mean_k) / (std_k + eps)} (sample std; no division when scaling is off; 0 where all of the group's
 * rank-k rewards are equal). The token view gives every token of item k the advantage {@code
 * A[i,k]}; see {@link RankTokenAdvantages} for overflow, EOS and the item bins.
 *
 * <p>Use {@link #compute(double[][][])} for plain arrays and {@link #estimate(AdvantageInput)}
 * inside the trainer. The statistics run on ND4J over {@code [groups, G, N]} tensors, one tensor
 * per distinct group shape. Instances are immutable and thread-safe.
 *
 * <pre>{@code
 * double[][][] a = RankGrpoAdvantage.builder().optRankReward(RankReward.LOG_DECAY).build()
 *     .compute(new double[][][] {{{1, 0, 1, 0}, {0, 1, 0, 0}, {0, 0, 0, 0}}});
 * }</pre>
 */
public final class RankGrpoAdvantage implements AdvantageEstimator {

    /** The repository's rank count N ({@code rec_num}). */
    public static final int DEFAULT_RANK_COUNT = 20;

    /** TRL's hard-coded epsilon in the denominator. */
    public static final double DEFAULT_EPSILON = 1e-4;

    /** The repository's {@code extra_token_penalty}, per overflow token. */
    public static final double DEFAULT_OVERFLOW_PENALTY = -0.1;

    /** The repository's {@code end_of_list_reward}, on EOS after exactly N items. */
    public static final double DEFAULT_END_OF_LIST_REWARD = 0.1;

    /** The repository's {@code early_stop_penalty}, on EOS after fewer than N items. */
    public static final double DEFAULT_EARLY_STOP_PENALTY = -0.1;

    private final RankReward rankReward;
    private final double epsilon;
    private final boolean scaleRewards;
    private final int rankCount;
    private final IntUnaryOperator newlineCount;
    private final RankTokenMapper mapper;

    private RankGrpoAdvantage(Builder b) {
        this.rankReward = b.rankReward;
        this.epsilon = b.epsilon;
        this.scaleRewards = b.scaleRewards;
        this.rankCount = b.rankCount;
        this.newlineCount = b.newlineCount;
        this.mapper =
                b.newlineCount == null
                        ? null
                        : new RankTokenMapper(
                                b.rankCount,
                                b.newlineCount,
                                b.eosIds,
                                b.lengthShaping,
                                b.overflowPenalty,
                                b.endOfListReward,
                                b.earlyStopPenalty);
    }

    /**
     * Starts a builder with the repository's defaults: EXP_INF, epsilon 1e-4, scaling on, N = 20,
     * length shaping on.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Per-rank advantages of ranked-list completions grouped by prompt.
     *
     * @param hits {@code [group][rollout][rank]}: at least 2 rollouts per group, the same number of
     *     ranks for every rollout of a group, finite values
     * @return advantages of the same shape
     * @throws IllegalArgumentException naming the offending group, rollout or value
     */
    public double[][][] compute(double[][][] hits) {
        validate(hits);
        double[][][] out = new double[hits.length][][];
        // Groups of one shape (G, N) are stacked into one [groups, G, N] tensor.
        Map<Long, List<Integer>> byShape = new LinkedHashMap<>();
        for (int g = 0; g < hits.length; g++) {
            long key = ((long) hits[g].length << 32) | hits[g][0].length;
            byShape.computeIfAbsent(key, k -> new ArrayList<>()).add(g);
        }
        for (List<Integer> groups : byShape.values()) {
            int size = hits[groups.get(0)].length;
            int ranks = hits[groups.get(0)][0].length;
            double[] flat = new double[groups.size() * size * ranks];
            int pos = 0;
            for (int g : groups) {
                for (double[] row : hits[g]) {
                    System.arraycopy(row, 0, flat, pos, ranks);
                    pos += ranks;
                }
            }
            double[] adv = groupAdvantages(flat, groups.size(), size, ranks);
            pos = 0;
            for (int g : groups) {
                out[g] = new double[size][];
                for (int i = 0; i < size; i++) {
                    out[g][i] = Arrays.copyOfRange(adv, pos, pos + ranks);
                    pos += ranks;
                }
            }
        }
        return out;
    }

    private double[] groupAdvantages(double[] flat, int groups, int size, int ranks) {
        INDArray h = Nd4j.create(flat, new long[] {(long) groups * size, ranks}, 'c');
        INDArray r = rankReward.rewards(h).reshape('c', groups, size, ranks);
        INDArray centred = r.sub(r.mean(true, 1));
        if (scaleRewards) {
            centred.divi(r.std(true, true, 1).addi(epsilon));
        }
        // sigma_k = 0 means every rollout earned the same at rank k: no signal, exactly 0. The mean
        // of equal values need not reproduce them bit for bit, so test the range, not the std.
        INDArray spread = r.max(true, 1).subi(r.min(true, 1)).gt(0).castTo(DataType.DOUBLE);
        return toFlatArray(centred.muli(spread));
    }

    /** The elements of {@code a} in row-major order, whatever its layout. */
    static double[] toFlatArray(INDArray a) {
        INDArray c = a.isView() || a.ordering() != 'c' ? a.dup('c') : a;
        return c.data().asDouble();
    }

    private static void validate(double[][][] hits) {
        Objects.requireNonNull(hits, "hits");
        Checks.require(hits.length > 0, "Rank-GRPO needs at least one group but got none");
        for (int g = 0; g < hits.length; g++) {
            double[][] group = hits[g];
            Checks.require(group != null && group.length > 0, "group %d is empty", g);
            Checks.require(
                    group.length >= 2,
                    "group %d has 1 rollout; Rank-GRPO compares rollouts of one prompt and needs at"
                            + " least 2 per group",
                    g);
            int ranks = group[0] == null ? 0 : group[0].length;
            Checks.require(ranks > 0, "rollout 0 of group %d has no ranks", g);
            for (int i = 0; i < group.length; i++) {
                double[] row = group[i];
                int len = row == null ? 0 : row.length;
                Checks.require(
                        len == ranks,
                        "rollout %d of group %d has %d ranks but rollout 0 has %d; every rollout of"
                                + " a group needs the same rank count",
                        i,
                        g,
                        len,
                        ranks);
                for (int k = 0; k < ranks; k++) {
                    Checks.require(
                            Double.isFinite(row[k]),
                            "hit at rank %d of rollout %d in group %d is %s; hits must be finite",
                            k + 1,
                            i,
                            g,
                            row[k]);
                }
            }
        }
    }

    /**
     * Spreads one completion's per-rank advantages over its tokens, with the configured separators,
     * EOS ids and length shaping.
     *
     * @param completionIds the completion's token ids
     * @param truncated whether generation hit the length limit (decides EOS when no EOS ids are
     *     set)
     * @param rankAdvantages {@code [N]} the completion's per-rank advantages
     * @return the per-token advantages, item bins and loss mask
     * @throws IllegalStateException if no newline count or separator tokens were configured
     */
    public RankTokenAdvantages tokenAdvantages(
            int[] completionIds, boolean truncated, double[] rankAdvantages) {
        return requireMapper().map(completionIds, truncated, rankAdvantages);
    }

    /**
     * Per-rank advantages of scored rollout groups, with the per-token view, item bins and loss
     * mask. Every rollout must carry {@link Rollout#itemRewards()} of length N (its per-rank hits;
     * several item reward functions are combined upstream by a weighted nansum per rank). A NaN
     * item reward (no function applies at that rank, e.g. the list is shorter than N) counts as 0,
     * as in the reference implementation; {@link #compute} itself rejects NaN.
     *
     * @param input rollout groups
     * @return {@link Advantages#perRank} values: rank values {@code [B][N]}, token values, bins,
     *     mask
     * @throws IllegalArgumentException for trajectories, missing or mis-sized item rewards, bad
     *     values
     * @throws IllegalStateException if no newline count or separator tokens were configured
     */
    @Override
    public Advantages estimate(AdvantageInput input) {
        Checks.require(
                input.kind() == AdvantageInput.Kind.ROLLOUTS,
                "Rank-GRPO scores rollout groups, not %s",
                input.kind());
        RankTokenMapper tokens = requireMapper();
        List<RolloutGroup> groups = input.rolloutGroups();
        double[][][] hits = new double[groups.size()][][];
        for (int g = 0; g < groups.size(); g++) {
            RolloutGroup group = groups.get(g);
            hits[g] = new double[group.size()][];
            for (int i = 0; i < group.size(); i++) {
                double[] items = group.rollout(i).itemRewards();
                Checks.require(
                        items.length > 0,
                        "rollout %d of group '%s' has no item rewards; Rank-GRPO needs one per rank"
                                + " (N = %d), set with Rollout.withItemRewards",
                        i,
                        group.promptKey(),
                        rankCount);
                Checks.require(
                        items.length == rankCount,
                        "rollout %d of group '%s' has %d item rewards but the rank count N is %d",
                        i,
                        group.promptKey(),
                        items.length,
                        rankCount);
                // NaN marks a rank where no item reward function applies (a list shorter than
                // N): it earns nothing, as the reference's nansum over functions gives 0 there.
                for (int k = 0; k < items.length; k++) {
                    if (Double.isNaN(items[k])) {
                        items[k] = 0;
                    }
                }
                hits[g][i] = items;
            }
        }
        double[][][] adv = compute(hits);
        int rows = input.rowCount();
        double[][] rankValues = new double[rows][];
        double[][] tokenValues = new double[rows][];
        int[][] bins = new int[rows][];
        boolean[][] mask = new boolean[rows][];
        int row = 0;
        for (int g = 0; g < groups.size(); g++) {
            for (int i = 0; i < groups.get(g).size(); i++, row++) {
                Rollout rollout = groups.get(g).rollout(i);
                RankTokenAdvantages t =
                        tokens.map(rollout.completionIds(), rollout.truncated(), adv[g][i]);
                rankValues[row] = adv[g][i];
                tokenValues[row] = t.values();
                bins[row] = t.bins();
                mask[row] = t.mask();
            }
        }
        return Advantages.perRank(rankValues, tokenValues, bins, mask);
    }

    private RankTokenMapper requireMapper() {
        if (mapper == null) {
            throw new IllegalStateException(
                    "Rank-GRPO needs to know where items end: configure optNewlineCount(tokenId ->"
                            + " number of '\\n"
                            + "' in the token's text) or optSeparatorTokens(ids...)");
        }
        return mapper;
    }

    @Override
    public String name() {
        return "rank-grpo";
    }

    /**
     * The rank reward in use.
     *
     * @return the rank reward
     */
    public RankReward rankReward() {
        return rankReward;
    }

    /**
     * The rank count N.
     *
     * @return N
     */
    public int rankCount() {
        return rankCount;
    }

    @Override
    public String toString() {
        return "RankGrpoAdvantage{"
                + rankReward
                + ", eps="
                + epsilon
                + ", scale="
                + scaleRewards
                + ", N="
                + rankCount
                + (newlineCount == null ? ", no token mapping" : "")
                + '}';
    }

    /** Builds a {@link RankGrpoAdvantage}; every setting is optional. */
    public static final class Builder {
        private RankReward rankReward = RankReward.EXP_INF;
        private double epsilon = DEFAULT_EPSILON;
        private boolean scaleRewards = true;
        private int rankCount = DEFAULT_RANK_COUNT;
        private IntUnaryOperator newlineCount;
        private int[] eosIds = new int[0];
        private boolean lengthShaping = true;
        private double overflowPenalty = DEFAULT_OVERFLOW_PENALTY;
        private double endOfListReward = DEFAULT_END_OF_LIST_REWARD;
        private double earlyStopPenalty = DEFAULT_EARLY_STOP_PENALTY;

        private Builder() {}

        /**
         * Sets how hits become rank rewards (default {@link RankReward#EXP_INF}).
         *
         * @param rankReward the rank reward
         * @return this builder
         */
        public Builder optRankReward(RankReward rankReward) {
            this.rankReward = Objects.requireNonNull(rankReward, "rankReward");
            return this;
        }

        /**
         * Sets the epsilon added to each rank's std (default 1e-4, as TRL).
         *
         * @param epsilon a finite value {@code >= 0}
         * @return this builder
         */
        public Builder optEpsilon(double epsilon) {
            this.epsilon = Checks.nonNegative("epsilon", epsilon);
            return this;
        }

        /**
         * Sets whether centred rank rewards are divided by the rank's std (default true).
         *
         * @param scaleRewards false for centring only
         * @return this builder
         */
        public Builder optScaleRewards(boolean scaleRewards) {
            this.scaleRewards = scaleRewards;
            return this;
        }

        /**
         * Sets the rank count N: how many items a list should have (default 20).
         *
         * @param rankCount N, {@code > 0}
         * @return this builder
         */
        public Builder optRankCount(int rankCount) {
            this.rankCount = Checks.positive("rank count", rankCount);
            return this;
        }

        /**
         * Sets how many newline characters each token's text holds; items end at newlines.
         *
         * @param newlineCount token id to a count {@code >= 0}
         * @return this builder
         */
        public Builder optNewlineCount(IntUnaryOperator newlineCount) {
            this.newlineCount = Objects.requireNonNull(newlineCount, "newlineCount");
            return this;
        }

        /**
         * Sets the tokens that end an item (each counts as one newline); a shorthand for {@link
         * #optNewlineCount} when newlines only occur as dedicated tokens.
         *
         * @param separatorIds token ids, at least one, none negative
         * @return this builder
         */
        public Builder optSeparatorTokens(int... separatorIds) {
            int[] ids = checkIds("separator", separatorIds).clone();
            Arrays.sort(ids);
            this.newlineCount = id -> Arrays.binarySearch(ids, id) >= 0 ? 1 : 0;
            return this;
        }

        /**
         * Sets the EOS token ids; the first occurrence ends the list. Without them, the last token
         * of a rollout that was not truncated is taken as EOS.
         *
         * @param eosIds token ids, at least one, none negative
         * @return this builder
         */
        public Builder optEosTokenIds(int... eosIds) {
            this.eosIds = checkIds("EOS", eosIds).clone();
            return this;
        }

        /**
         * Sets whether length shaping applies (default true): overflow tokens get the overflow
         * penalty, EOS the end-of-list reward or the early-stop penalty, and EOS enters the loss.
         *
         * @param lengthShaping false to give overflow tokens 0 and leave EOS out of the loss
         * @return this builder
         */
        public Builder optLengthShaping(boolean lengthShaping) {
            this.lengthShaping = lengthShaping;
            return this;
        }

        /**
         * Sets the advantage of each overflow token under length shaping (default -0.1).
         *
         * @param overflowPenalty a finite value
         * @return this builder
         */
        public Builder optOverflowPenalty(double overflowPenalty) {
            this.overflowPenalty = Checks.finite("overflow penalty", overflowPenalty);
            return this;
        }

        /**
         * Sets the EOS advantage after exactly N items without overflow (default +0.1).
         *
         * @param endOfListReward a finite value
         * @return this builder
         */
        public Builder optEndOfListReward(double endOfListReward) {
            this.endOfListReward = Checks.finite("end-of-list reward", endOfListReward);
            return this;
        }

        /**
         * Sets the EOS advantage after fewer than N items (default -0.1).
         *
         * @param earlyStopPenalty a finite value
         * @return this builder
         */
        public Builder optEarlyStopPenalty(double earlyStopPenalty) {
            this.earlyStopPenalty = Checks.finite("early-stop penalty", earlyStopPenalty);
            return this;
        }

        private static int[] checkIds(String what, int[] ids) {
            Objects.requireNonNull(ids, what + " ids");
            Checks.require(ids.length > 0, "give at least one %s token id", what);
            for (int id : ids) {
                Checks.require(id >= 0, "%s token id must be >= 0 but was %d", what, id);
            }
            return ids;
        }

        /**
         * Builds the estimator.
         *
         * @return the estimator
         */
        public RankGrpoAdvantage build() {
            return new RankGrpoAdvantage(this);
        }
    }
}
