package dev.grpo4j.prefix.layout;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * A {@link PrefixLayout} as NDArrays on one device: the packed model inputs, the index maps of the
 * shared-prefix attention op and the output split. All arrays live in a sub-manager that {@link
 * #close()} frees; none carries gradient.
 *
 * <p>Shapes use the layout's sizes: B groups, N completions, L = {@link
 * PrefixLayout#packedLength()}, {@code Lp = maxPrefixLength()}, {@code Ls = maxSuffixLength()},
 * {@code G = maxGroupSize()}. Index arrays are int64 and hold flat indices as defined in {@link
 * PrefixLayout}; masks are boolean.
 */
public final class PrefixLayoutArrays implements AutoCloseable {

    private final PrefixLayout layout;
    private final NDManager manager;
    private final NDArray tokenIds;
    private final NDArray positionIds;
    private final NDArray packedMask;
    private final NDArray prefixGather;
    private final NDArray suffixGather;
    private final NDArray scatter;
    private final NDArray prefixVisibility;
    private final NDArray suffixVisibility;
    private final NDArray predictingPositions;
    private final NDArray completionIds;
    private final NDArray completionMask;

    PrefixLayoutArrays(PrefixLayout layout, NDManager parent) {
        this.layout = layout;
        this.manager = parent.newSubManager();
        manager.setName("prefix-layout");
        int b = layout.groupCount();
        int n = layout.completionCount();
        int l = layout.packedLength();
        int lp = layout.maxPrefixLength();
        int ls = layout.maxSuffixLength();
        int g = layout.maxGroupSize();
        int[][] prompts = layout.prompts();
        int[][] completions = layout.completions();

        long[] prefix = new long[b * lp];
        boolean[] prefixVisible = new boolean[b * lp * lp];
        long[] suffix = new long[b * g * ls];
        boolean[] suffixVisible = new boolean[b * g * ls * (lp + ls)];
        long[] back = new long[b * l];
        boolean[] valid = new boolean[b * l];
        long[] predict = new long[n * ls];
        int[] targets = new int[n * ls];
        boolean[] targetMask = new boolean[n * ls];
        for (int j = 0; j < b; j++) {
            long rowStart = (long) j * l;
            int plen = prompts[j].length;
            for (int t = 0; t < lp; t++) {
                boolean real = t < plen;
                prefix[j * lp + t] = real ? rowStart + t : rowStart;
                for (int s = 0; real && s <= t; s++) {
                    prefixVisible[(j * lp + t) * lp + s] = true;
                }
                if (real) {
                    back[j * l + t] = (long) j * lp + t;
                    valid[j * l + t] = true;
                }
            }
            for (int slot = 0; slot < g; slot++) {
                int i = layout.groupStart(j) + slot;
                int slen = slot < layout.groupSize(j) ? completions[i].length : 0;
                int start = slen > 0 ? layout.suffixStart(i) : 0;
                for (int t = 0; t < ls; t++) {
                    int part = (j * g + slot) * ls + t;
                    boolean real = t < slen;
                    suffix[part] = real ? rowStart + start + t : rowStart;
                    if (!real) {
                        continue;
                    }
                    back[j * l + start + t] = (long) b * lp + part;
                    valid[j * l + start + t] = true;
                    int row = part * (lp + ls);
                    // Keys: the whole prompt, then the completion's own tokens up to the query.
                    for (int s = 0; s < plen; s++) {
                        suffixVisible[row + s] = true;
                    }
                    for (int s = 0; s <= t; s++) {
                        suffixVisible[row + lp + s] = true;
                    }
                }
            }
        }
        for (int i = 0; i < n; i++) {
            int[] columns = layout.predictingColumns(i);
            long rowStart = (long) layout.groupOf(i) * l;
            for (int t = 0; t < ls; t++) {
                boolean real = t < columns.length;
                predict[i * ls + t] = rowStart + (real ? columns[t] : 0);
                targets[i * ls + t] = real ? completions[i][t] : 0;
                targetMask[i * ls + t] = real;
            }
        }
        this.tokenIds = manager.create(flatten(layout.packedTokens(), l), new Shape(b, l));
        this.positionIds = manager.create(flatten(layout.positionIds(), l), new Shape(b, l));
        this.packedMask = manager.create(valid, new Shape(b, l));
        this.prefixGather = manager.create(prefix, new Shape(b * (long) lp));
        this.suffixGather = manager.create(suffix, new Shape(b * (long) g * ls));
        this.scatter = manager.create(back, new Shape(b * (long) l));
        this.prefixVisibility = manager.create(prefixVisible, new Shape(b, lp, lp));
        this.suffixVisibility = manager.create(suffixVisible, new Shape(b, g, ls, lp + ls));
        this.predictingPositions = manager.create(predict, new Shape(n * (long) ls));
        this.completionIds = manager.create(targets, new Shape(n, ls));
        this.completionMask = manager.create(targetMask, new Shape(n, ls));
    }

    private static int[] flatten(int[][] rows, int width) {
        int[] flat = new int[rows.length * width];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(rows[r], 0, flat, r * width, width);
        }
        return flat;
    }

    /**
     * The layout these arrays were made from.
     *
     * @return the layout
     */
    public PrefixLayout layout() {
        return layout;
    }

    /**
     * The manager owning these arrays.
     *
     * @return the sub-manager
     */
    public NDManager manager() {
        return manager;
    }

    /**
     * Packed token ids, padding 0: the model input.
     *
     * @return {@code [B, L]} int32
     */
    public NDArray tokenIds() {
        return tokenIds;
    }

    /**
     * Packed position ids (every completion restarts at its prompt's length), padding 0.
     *
     * @return {@code [B, L]} int32
     */
    public NDArray positionIds() {
        return positionIds;
    }

    /**
     * True at valid packed positions, false at padding.
     *
     * @return {@code [B, L]} boolean
     */
    public NDArray packedMask() {
        return packedMask;
    }

    /**
     * For each prefix slot, the flat packed position it is gathered from.
     *
     * @return {@code [B * Lp]} int64
     */
    public NDArray prefixGather() {
        return prefixGather;
    }

    /**
     * For each suffix slot, the flat packed position it is gathered from.
     *
     * @return {@code [B * G * Ls]} int64
     */
    public NDArray suffixGather() {
        return suffixGather;
    }

    /**
     * The inverse map: for each flat packed position, its slot in the concatenation {@code [prefix
     * part; suffix part]} (0 at padding).
     *
     * @return {@code [B * L]} int64
     */
    public NDArray scatter() {
        return scatter;
    }

    /**
     * Causal visibility inside the prefix part: {@code [j, t, s]} is true when prompt token t of
     * group j may attend to prompt token s ({@code s <= t < Lp_j}).
     *
     * @return {@code [B, Lp, Lp]} boolean
     */
    public NDArray prefixVisibility() {
        return prefixVisibility;
    }

    /**
     * Visibility of the suffix part's queries over the keys {@code [prefix part; own suffix]}:
     * {@code [j, g, t, s]} is true for {@code s < Lp_j} and for {@code s = Lp + u} with {@code u <=
     * t} (the own completion's token u), and false everywhere for padding queries.
     *
     * @return {@code [B, G, Ls, Lp + Ls]} boolean
     */
    public NDArray suffixVisibility() {
        return suffixVisibility;
    }

    /**
     * The output split: for completion i and token t, the flat packed position whose output
     * predicts that token (the last prompt position for {@code t = 0}); padding points at the row's
     * start.
     *
     * @return {@code [N * Ls]} int64
     */
    public NDArray predictingPositions() {
        return predictingPositions;
    }

    /**
     * Completion token ids right-padded with 0, aligned with {@link #predictingPositions()}.
     *
     * @return {@code [N, Ls]} int32
     */
    public NDArray completionIds() {
        return completionIds;
    }

    /**
     * True for a completion token, false for padding, aligned with {@link #completionIds()}.
     *
     * @return {@code [N, Ls]} boolean
     */
    public NDArray completionMask() {
        return completionMask;
    }

    @Override
    public void close() {
        manager.close();
    }
}
