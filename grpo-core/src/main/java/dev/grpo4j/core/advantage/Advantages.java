package dev.grpo4j.core.advantage;

import dev.grpo4j.core.util.Checks;
import java.util.Arrays;
import java.util.Optional;

/**
 * The advantages an estimator assigns, at one of four levels, with a per-token view for the loss.
 *
 * <p>Shapes, where B is the input's row count ({@link AdvantageInput#rowCount()}) and {@code T_r}
 * row r's completion (or action) length:
 *
 * <ul>
 *   <li>{@link Level#ROLLOUT}: {@link #values()} is {@code [B]}, one value per rollout, broadcast
 *       to its tokens (GRPO, SPO);
 *   <li>{@link Level#STEP}: {@link #values()} is {@code [B]}, one value per step row, in the order
 *       group, trajectory, step (GiGPO), broadcast to the step's action tokens;
 *   <li>{@link Level#RANK}: {@link #rankValues()} is {@code [B][N]}, one value per item rank, and
 *       the per-token view {@link #tokenValues()} {@code [B][T_r]} says what each token receives
 *       (Rank-GRPO);
 *   <li>{@link Level#TOKEN}: {@link #tokenValues()} is {@code [B][T_r]}.
 * </ul>
 *
 * <p>Optionally an estimator also supplies {@link #itemBins()} ({@code [B][T_r]}, the bin of each
 * token for the loss's ITEM importance sampling; tokens of one bin share one ratio) and {@link
 * #tokenMask()} ({@code [B][T_r]}, which tokens enter the loss, combined with the padding mask).
 * Instances are immutable; arrays are copied in and out.
 */
public final class Advantages {

    /** The granularity at which an estimator assigns advantages. */
    public enum Level {
        /** One value per rollout. */
        ROLLOUT,
        /** One value per multi-turn step. */
        STEP,
        /** One value per item rank of a ranked-list completion. */
        RANK,
        /** One value per completion token. */
        TOKEN
    }

    private final Level level;
    private final double[] values;
    private final double[][] rankValues;
    private final double[][] tokenValues;
    private final int[][] itemBins;
    private final boolean[][] tokenMask;

    private Advantages(
            Level level,
            double[] values,
            double[][] rankValues,
            double[][] tokenValues,
            int[][] itemBins,
            boolean[][] tokenMask) {
        this.level = level;
        this.values = values;
        this.rankValues = rankValues;
        this.tokenValues = tokenValues;
        this.itemBins = itemBins;
        this.tokenMask = tokenMask;
    }

    /**
     * One advantage per rollout.
     *
     * @param values {@code [B]} finite values
     * @return the advantages
     */
    public static Advantages perRollout(double[] values) {
        return new Advantages(Level.ROLLOUT, checkFinite(values), null, null, null, null);
    }

    /**
     * One advantage per multi-turn step, rows in the order group, trajectory, step.
     *
     * @param values {@code [B]} finite values
     * @return the advantages
     */
    public static Advantages perStep(double[] values) {
        return new Advantages(Level.STEP, checkFinite(values), null, null, null, null);
    }

    /**
     * One advantage per item rank, with the per-token view the loss uses.
     *
     * @param rankValues {@code [B][N]} per-rank advantages
     * @param tokenValues {@code [B][T_r]} the advantage each completion token receives
     * @param itemBins {@code [B][T_r]} each token's bin for ITEM importance sampling, or null
     * @param tokenMask {@code [B][T_r]} which tokens enter the loss, or null for all
     * @return the advantages
     */
    public static Advantages perRank(
            double[][] rankValues,
            double[][] tokenValues,
            int[][] itemBins,
            boolean[][] tokenMask) {
        Checks.require(
                rankValues.length == tokenValues.length,
                "rank values have %d rows but token values %d",
                rankValues.length,
                tokenValues.length);
        double[][] ranks = deepCopy(rankValues);
        for (double[] row : ranks) {
            checkFinite(row);
        }
        return withTokens(Level.RANK, ranks, tokenValues, itemBins, tokenMask);
    }

    /**
     * One advantage per completion token.
     *
     * @param tokenValues {@code [B][T_r]} finite values
     * @param itemBins {@code [B][T_r]} each token's bin for ITEM importance sampling, or null
     * @param tokenMask {@code [B][T_r]} which tokens enter the loss, or null for all
     * @return the advantages
     */
    public static Advantages perToken(
            double[][] tokenValues, int[][] itemBins, boolean[][] tokenMask) {
        return withTokens(Level.TOKEN, null, tokenValues, itemBins, tokenMask);
    }

    private static Advantages withTokens(
            Level level,
            double[][] rankValues,
            double[][] tokenValues,
            int[][] itemBins,
            boolean[][] tokenMask) {
        double[][] tokens = deepCopy(tokenValues);
        for (double[] row : tokens) {
            checkFinite(row);
        }
        int[][] bins = null;
        if (itemBins != null) {
            Checks.require(
                    itemBins.length == tokens.length,
                    "item bins have %d rows but token values %d",
                    itemBins.length,
                    tokens.length);
            bins = new int[itemBins.length][];
            for (int r = 0; r < bins.length; r++) {
                Checks.require(
                        itemBins[r].length == tokens[r].length,
                        "row %d: %d item bins for %d tokens",
                        r,
                        itemBins[r].length,
                        tokens[r].length);
                bins[r] = itemBins[r].clone();
            }
        }
        boolean[][] mask = null;
        if (tokenMask != null) {
            Checks.require(
                    tokenMask.length == tokens.length,
                    "token mask has %d rows but token values %d",
                    tokenMask.length,
                    tokens.length);
            mask = new boolean[tokenMask.length][];
            for (int r = 0; r < mask.length; r++) {
                Checks.require(
                        tokenMask[r].length == tokens[r].length,
                        "row %d: %d mask entries for %d tokens",
                        r,
                        tokenMask[r].length,
                        tokens[r].length);
                mask[r] = tokenMask[r].clone();
            }
        }
        return new Advantages(level, null, rankValues, tokens, bins, mask);
    }

    /**
     * The level at which the advantages were assigned.
     *
     * @return the level
     */
    public Level level() {
        return level;
    }

    /**
     * The number of rows B.
     *
     * @return the row count
     */
    public int rowCount() {
        return values != null ? values.length : tokenValues.length;
    }

    /**
     * One value per row, for {@link Level#ROLLOUT} and {@link Level#STEP}.
     *
     * @return a copy of the {@code [B]} values
     * @throws IllegalStateException at the rank and token levels
     */
    public double[] values() {
        if (values == null) {
            throw new IllegalStateException(level + " advantages have no single value per row");
        }
        return values.clone();
    }

    /**
     * The per-rank values, for {@link Level#RANK}.
     *
     * @return a copy of the {@code [B][N]} values
     * @throws IllegalStateException at other levels
     */
    public double[][] rankValues() {
        if (rankValues == null) {
            throw new IllegalStateException(level + " advantages have no per-rank values");
        }
        return deepCopy(rankValues);
    }

    /**
     * The per-token values, for {@link Level#RANK} and {@link Level#TOKEN}.
     *
     * @return a copy of the {@code [B][T_r]} values
     * @throws IllegalStateException at the rollout and step levels (use {@link #tokenRow})
     */
    public double[][] tokenValues() {
        if (tokenValues == null) {
            throw new IllegalStateException(
                    level + " advantages are per row; use tokenRow(row, length) to broadcast");
        }
        return deepCopy(tokenValues);
    }

    /**
     * Row {@code r}'s advantage for each of its {@code length} tokens: the row value broadcast, or
     * the stored per-token values.
     *
     * @param r the row
     * @param length the row's completion length
     * @return a new array of {@code length} values
     * @throws IllegalArgumentException if stored per-token values have a different length
     */
    public double[] tokenRow(int r, int length) {
        if (values != null) {
            double[] row = new double[length];
            Arrays.fill(row, values[r]);
            return row;
        }
        Checks.require(
                tokenValues[r].length == length,
                "row %d has %d token advantages but its completion has %d tokens",
                r,
                tokenValues[r].length,
                length);
        return tokenValues[r].clone();
    }

    /**
     * Each token's bin for the loss's ITEM importance sampling, if the estimator supplied them.
     *
     * @return a copy of the {@code [B][T_r]} bins
     */
    public Optional<int[][]> itemBins() {
        if (itemBins == null) {
            return Optional.empty();
        }
        int[][] copy = new int[itemBins.length][];
        for (int r = 0; r < copy.length; r++) {
            copy[r] = itemBins[r].clone();
        }
        return Optional.of(copy);
    }

    /**
     * Which tokens enter the loss, if the estimator restricts it.
     *
     * @return a copy of the {@code [B][T_r]} mask
     */
    public Optional<boolean[][]> tokenMask() {
        if (tokenMask == null) {
            return Optional.empty();
        }
        boolean[][] copy = new boolean[tokenMask.length][];
        for (int r = 0; r < copy.length; r++) {
            copy[r] = tokenMask[r].clone();
        }
        return Optional.of(copy);
    }

    private static double[] checkFinite(double[] values) {
        double[] copy = values.clone();
        for (int i = 0; i < copy.length; i++) {
            Checks.require(
                    Double.isFinite(copy[i]),
                    "advantage %d is %s; estimators must not emit NaN",
                    i,
                    copy[i]);
        }
        return copy;
    }

    private static double[][] deepCopy(double[][] a) {
        double[][] c = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }

    @Override
    public String toString() {
        return "Advantages{" + level + ", rows=" + rowCount() + '}';
    }
}
