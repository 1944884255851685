package dev.grpo4j.prefix.layout;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.grpo4j.core.rollout.RolloutBatch;
import dev.grpo4j.core.util.Checks;
import java.util.Arrays;
import java.util.Objects;

/**
 * Where every token of B prompts and their completions sits when each prompt is stored once (Prefix
 * Grouper's packing, ALGORITHMS.md section 6).
 *
 * <p>Group j has a prompt of {@code Lp_j} tokens and {@code G_j} completions (suffixes) of {@code
 * Ls_i} tokens each; everything may be ragged. Packed row j is {@code [prompt j; suffix 1; ...;
 * suffix G_j]}, compact, right-padded to the longest row ({@link #packedLength()} = L). Position
 * ids restart at {@code Lp_j} for every suffix, so each completion sees the positions it would have
 * in its own {@code [prompt; completion]} sequence.
 *
 * <p>Completions are numbered {@code i = 0..N-1} group by group (group j owns {@code
 * groupStart(j)..groupStart(j+1)-1}), exactly as the rows of a {@link RolloutBatch}. The attention
 * op works on two padded parts gathered from the packed rows:
 *
 * <ul>
 *   <li>the prefix part {@code [B, Lp_max]}: slot {@code (j, t)} holds prompt token t of group j;
 *   <li>the suffix part {@code [B, G_max, Ls_max]}: slot {@code (j, g, t)} holds token t of
 *       completion {@code groupStart(j) + g}.
 * </ul>
 *
 * <p>Flat indices: packed position {@code (j, c)} is {@code j * L + c}; prefix slot {@code (j, t)}
 * is {@code j * Lp_max + t}; suffix slot {@code (j, g, t)} is {@code B * Lp_max + (j * G_max + g) *
 * Ls_max + t}, i.e. the suffix part follows the prefix part. Padding slots point at packed position
 * {@code j * L} (gathers) or at slot 0 (the scatter back); masks say which entries are real.
 *
 * <p>Instances are immutable; arrays are copied in and out.
 */
public final class PrefixLayout {

    private final int[][] prompts;
    private final int[][] completions;
    private final int[] groupStarts;
    private final int[] groupOf;
    private final int[] suffixStarts;
    private final int[] rowLengths;
    private final int packedLength;
    private final int maxPrefixLength;
    private final int maxSuffixLength;
    private final int maxGroupSize;

    PrefixLayout(int[][] prompts, int[] groupSizes, int[][] completions) {
        int b = prompts.length;
        this.prompts = new int[b][];
        this.completions = new int[completions.length][];
        this.groupStarts = new int[b + 1];
        this.groupOf = new int[completions.length];
        this.suffixStarts = new int[completions.length];
        this.rowLengths = new int[b];
        int longestRow = 0;
        int longestPrefix = 0;
        int longestSuffix = 0;
        int largestGroup = 0;
        int i = 0;
        for (int j = 0; j < b; j++) {
            this.prompts[j] = prompts[j].clone();
            groupStarts[j] = i;
            int column = prompts[j].length;
            for (int g = 0; g < groupSizes[j]; g++, i++) {
                this.completions[i] = completions[i].clone();
                groupOf[i] = j;
                suffixStarts[i] = column;
                column += completions[i].length;
                longestSuffix = Math.max(longestSuffix, completions[i].length);
            }
            rowLengths[j] = column;
            longestRow = Math.max(longestRow, column);
            longestPrefix = Math.max(longestPrefix, prompts[j].length);
            largestGroup = Math.max(largestGroup, groupSizes[j]);
        }
        groupStarts[b] = i;
        this.packedLength = longestRow;
        this.maxPrefixLength = longestPrefix;
        this.maxSuffixLength = longestSuffix;
        this.maxGroupSize = largestGroup;
    }

    /**
     * Starts a builder.
     *
     * @return a new builder
     */
    public static PrefixLayoutBuilder builder() {
        return new PrefixLayoutBuilder();
    }

    /**
     * Starts a builder filled from a rollout batch: one group per batch group (its prompt), one
     * completion per batch row, in row order. Add limits with {@code optMaxLength}/{@code
     * optVocabSize} before building.
     *
     * @param batch the rollouts
     * @return a builder holding the batch's prompts, group sizes and completions
     */
    public static PrefixLayoutBuilder builder(RolloutBatch batch) {
        Objects.requireNonNull(batch, "batch");
        int groups = batch.groupCount();
        int[][] prompts = new int[groups][];
        int[] sizes = new int[groups];
        for (int g = 0; g < groups; g++) {
            prompts[g] = batch.groupPrompt(g);
            sizes[g] = batch.groupSize(g);
        }
        int[][] completions = new int[batch.size()][];
        for (int r = 0; r < completions.length; r++) {
            completions[r] = batch.row(r).completionIds();
        }
        return builder().setPrompts(prompts).setGroupSizes(sizes).setCompletions(completions);
    }

    /**
     * The number of groups (prompts, packed rows) B.
     *
     * @return B
     */
    public int groupCount() {
        return prompts.length;
    }

    /**
     * The number of completions N (the sum of the group sizes).
     *
     * @return N
     */
    public int completionCount() {
        return completions.length;
    }

    /**
     * The number of completions of group j.
     *
     * @param j the group
     * @return G_j
     */
    public int groupSize(int j) {
        return groupStarts[j + 1] - groupStarts[j];
    }

    /**
     * The index of group j's first completion; {@code groupStart(groupCount())} is N.
     *
     * @param j the group, {@code 0 <= j <= B}
     * @return the completion index
     */
    public int groupStart(int j) {
        return groupStarts[j];
    }

    /**
     * The group (packed row) that completion i belongs to.
     *
     * @param i the completion
     * @return its group
     */
    public int groupOf(int i) {
        return groupOf[i];
    }

    /**
     * The prompt length of group j.
     *
     * @param j the group
     * @return Lp_j in tokens
     */
    public int prefixLength(int j) {
        return prompts[j].length;
    }

    /**
     * The length of completion i.
     *
     * @param i the completion
     * @return Ls_i in tokens
     */
    public int suffixLength(int i) {
        return completions[i].length;
    }

    /**
     * Group j's prompt.
     *
     * @param j the group
     * @return a copy of its token ids
     */
    public int[] prompt(int j) {
        return prompts[j].clone();
    }

    /**
     * Completion i's tokens.
     *
     * @param i the completion
     * @return a copy of its token ids
     */
    public int[] completion(int i) {
        return completions[i].clone();
    }

    /**
     * The padded length L of the packed rows (the longest {@code Lp_j + sum_i Ls_i}).
     *
     * @return L in tokens
     */
    public int packedLength() {
        return packedLength;
    }

    /**
     * The number of valid (non-padding) tokens of packed row j.
     *
     * @param j the group
     * @return {@code Lp_j + sum of its completion lengths}
     */
    public int rowLength(int j) {
        return rowLengths[j];
    }

    /**
     * The longest prompt, the width of the prefix part.
     *
     * @return Lp_max
     */
    public int maxPrefixLength() {
        return maxPrefixLength;
    }

    /**
     * The longest completion, the width of the suffix part.
     *
     * @return Ls_max
     */
    public int maxSuffixLength() {
        return maxSuffixLength;
    }

    /**
     * The largest group.
     *
     * @return G_max
     */
    public int maxGroupSize() {
        return maxGroupSize;
    }

    /**
     * The packed column of completion i's first token, in row {@link #groupOf(int)}.
     *
     * @param i the completion
     * @return the column
     */
    public int suffixStart(int i) {
        return suffixStarts[i];
    }

    /**
     * The packed columns whose outputs predict completion i's tokens: the last prompt position
     * predicts token 0, and suffix token t predicts token t + 1 (the output split, with the last
     * prefix position included).
     *
     * @param i the completion
     * @return {@code Ls_i} columns of row {@code groupOf(i)}: {@code (Lp - 1, s_0, ..., s_{Ls-2})}
     */
    public int[] predictingColumns(int i) {
        int[] columns = new int[completions[i].length];
        columns[0] = prompts[groupOf[i]].length - 1;
        for (int t = 1; t < columns.length; t++) {
            columns[t] = suffixStarts[i] + t - 1;
        }
        return columns;
    }

    /**
     * Token ids of the packed rows, padding 0.
     *
     * @return {@code [B][L]}
     */
    public int[][] packedTokens() {
        int[][] rows = new int[prompts.length][packedLength];
        for (int j = 0; j < prompts.length; j++) {
            System.arraycopy(prompts[j], 0, rows[j], 0, prompts[j].length);
            for (int i = groupStarts[j]; i < groupStarts[j + 1]; i++) {
                System.arraycopy(
                        completions[i], 0, rows[j], suffixStarts[i], completions[i].length);
            }
        }
        return rows;
    }

    /**
     * Position ids of the packed rows: {@code 0..Lp-1} for the prompt, {@code Lp..Lp+Ls_i-1} for
     * every completion, 0 at padding.
     *
     * @return {@code [B][L]}
     */
    public int[][] positionIds() {
        int[][] rows = new int[prompts.length][packedLength];
        for (int j = 0; j < prompts.length; j++) {
            int lp = prompts[j].length;
            for (int t = 0; t < lp; t++) {
                rows[j][t] = t;
            }
            for (int i = groupStarts[j]; i < groupStarts[j + 1]; i++) {
                for (int t = 0; t < completions[i].length; t++) {
                    rows[j][suffixStarts[i] + t] = lp + t;
                }
            }
        }
        return rows;
    }

    /**
     * Whether, in packed row j, the query at column {@code query} may attend to the key at column
     * {@code key}: a prompt token sees the prompt up to itself; a completion token sees the whole
     * prompt and its own completion up to itself; padding sees nothing and is seen by nothing.
     *
     * @param j the packed row
     * @param query the query column
     * @param key the key column
     * @return the visibility
     */
    public boolean isVisible(int j, int query, int key) {
        int lp = prompts[j].length;
        if (query >= rowLengths[j] || key >= rowLengths[j] || key > query) {
            return false;
        }
        if (query < lp || key < lp) {
            return true;
        }
        return completionAt(j, query) == completionAt(j, key);
    }

    /**
     * The completion whose token sits at a suffix column of packed row j.
     *
     * @param j the packed row
     * @param column a column in {@code [Lp_j, rowLength(j))}
     * @return the completion index
     */
    public int completionAt(int j, int column) {
        Checks.require(
                column >= prompts[j].length && column < rowLengths[j],
                "column %d of packed row %d is not a completion token",
                column,
                j);
        int i = groupStarts[j];
        while (i + 1 < groupStarts[j + 1] && suffixStarts[i + 1] <= column) {
            i++;
        }
        return i;
    }

    /**
     * The block visibility mask of the packed rows, for {@code MaskedAttention}: entry {@code [j,
     * q, k]} is {@link #isVisible(int, int, int)}.
     *
     * @param manager the manager (and device) of the result
     * @return {@code [B, L, L]} boolean
     */
    public NDArray visibilityMask(NDManager manager) {
        int l = packedLength;
        boolean[] visible = new boolean[prompts.length * l * l];
        for (int j = 0; j < prompts.length; j++) {
            int[] owner = columnOwners(j);
            for (int q = 0; q < rowLengths[j]; q++) {
                for (int k = 0; k <= q; k++) {
                    // A prompt key is seen by every later query; a completion key only by its own.
                    visible[(j * l + q) * l + k] = owner[k] < 0 || owner[k] == owner[q];
                }
            }
        }
        return manager.create(visible, new Shape(prompts.length, l, l));
    }

    /**
     * For each valid column of packed row j, the completion that owns it, or -1 for a prompt
     * column.
     */
    private int[] columnOwners(int j) {
        int[] owner = new int[rowLengths[j]];
        Arrays.fill(owner, 0, prompts[j].length, -1);
        for (int i = groupStarts[j]; i < groupStarts[j + 1]; i++) {
            Arrays.fill(owner, suffixStarts[i], suffixStarts[i] + completions[i].length, i);
        }
        return owner;
    }

    /**
     * Copies the layout's tokens, positions, index maps and masks into NDArrays.
     *
     * @param manager the parent manager; the arrays live in a sub-manager closed with the result
     * @return the arrays on {@code manager}'s device
     */
    public PrefixLayoutArrays toArrays(NDManager manager) {
        return new PrefixLayoutArrays(this, manager);
    }

    int[][] prompts() {
        return prompts;
    }

    int[][] completions() {
        return completions;
    }
}
