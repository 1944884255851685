package dev.grpo4j.advantage;

import java.util.Arrays;

/**
 * What Rank-GRPO assigns to each token of one ranked-list completion: the advantage, the bin for
 * the loss's ITEM importance sampling, and whether the token enters the loss.
 *
 * <p>Bins, for a list of N ranks: {@code 0..N-1} for the tokens of items 1..N (a newline ending an
 * item belongs to that item), {@code N} for every overflow token (item N+1 and later, one shared
 * bin), and {@code N + 1} for the EOS token and anything after it. The loss averages the log-ratios
 * of the <em>masked</em> tokens of each bin, so a bin that holds only unmasked tokens is ignored.
 *
 * @param values {@code [T]} the advantage of each token
 * @param bins {@code [T]} each token's bin in {@code [0, N + 1]}
 * @param mask {@code [T]} true for tokens that enter the loss
 * @param itemCount how many items the list has: the item index of the last token before EOS, plus
 *     one (0 for an empty list)
 * @param overflow whether the list has more than N items
 * @param endsWithEos whether the completion contains an EOS token
 */
public record RankTokenAdvantages(
        double[] values,
        int[] bins,
        boolean[] mask,
        int itemCount,
        boolean overflow,
        boolean endsWithEos) {

    /**
     * Validates and copies.
     *
     * @param values the advantages
     * @param bins the bins
     * @param mask the loss mask
     * @param itemCount the item count
     * @param overflow the overflow flag
     * @param endsWithEos the EOS flag
     */
    public RankTokenAdvantages {
        if (values.length != bins.length || values.length != mask.length) {
            throw new IllegalArgumentException(
                    "values, bins and mask must have one entry per token but have "
                            + values.length
                            + ", "
                            + bins.length
                            + " and "
                            + mask.length);
        }
        values = values.clone();
        bins = bins.clone();
        mask = mask.clone();
    }

    /**
     * The advantage of each token.
     *
     * @return a copy, {@code [T]}
     */
    @Override
    public double[] values() {
        return values.clone();
    }

    /**
     * Each token's item bin.
     *
     * @return a copy, {@code [T]}
     */
    @Override
    public int[] bins() {
        return bins.clone();
    }

    /**
     * Which tokens enter the loss.
     *
     * @return a copy, {@code [T]}
     */
    @Override
    public boolean[] mask() {
        return mask.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RankTokenAdvantages t
                && Arrays.equals(values, t.values)
                && Arrays.equals(bins, t.bins)
                && Arrays.equals(mask, t.mask)
                && itemCount == t.itemCount
                && overflow == t.overflow
                && endsWithEos == t.endsWithEos;
    }

    @Override
    public int hashCode() {
        int h = Arrays.hashCode(values);
        h = 31 * h + Arrays.hashCode(bins);
        h = 31 * h + Arrays.hashCode(mask);
        return 31 * h
                + Integer.hashCode(itemCount) * 4
                + (overflow ? 2 : 0)
                + (endsWithEos ? 1 : 0);
    }

    @Override
    public String toString() {
        return "RankTokenAdvantages{values="
                + Arrays.toString(values)
                + ", bins="
                + Arrays.toString(bins)
                + ", mask="
                + Arrays.toString(mask)
                + ", items="
                + itemCount
                + (overflow ? ", overflow" : "")
                + (endsWithEos ? ", eos" : "")
                + '}';
    }
}
