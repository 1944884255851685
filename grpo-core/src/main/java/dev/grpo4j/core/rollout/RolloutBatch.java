package dev.grpo4j.core.rollout;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.grpo4j.core.util.Checks;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A batch of B rollouts padded into {@code [B, T]} NDArrays, where T is the longest completion.
 *
 * <p>Rows are the rollouts of the groups in order (group 0's rollouts first), so the rows of one
 * group are contiguous and share a prompt; {@link #groupOf(int)} and {@link #groupStart(int)} map
 * between rows and groups. Padding sits on the right: row i's completion tokens are columns {@code
 * 0..len_i-1}.
 *
 * <ul>
 *   <li>{@link #completionIds()}: {@code [B, T]} int32, padding 0;
 *   <li>{@link #completionMask()}: {@code [B, T]} of the batch's float type, 1 for a completion
 *       token;
 *   <li>{@link #samplingLogProbs()}: {@code [B, T]} float, 0 at padding; present only if every
 *       rollout recorded them;
 *   <li>{@link #truncatedMask()}: {@code [B]} float, 1 for a completion cut off by the length
 *       limit.
 * </ul>
 *
 * <p>All arrays live in the batch's own sub-manager of the manager it was built from; {@link
 * #close()} frees them. The float type (float32 by default, float64 for exact tests) is the type of
 * the mask and log-prob arrays.
 */
public final class RolloutBatch implements AutoCloseable {

    private final NDManager manager;
    private final List<Rollout> rows;
    private final List<int[]> groupPrompts;
    private final List<String> groupKeys;
    private final int[] groupOfRow;
    private final int[] groupStarts;
    private final int[] completionLengths;
    private final int maxCompletionLength;
    private final DataType dataType;
    private final NDArray completionIds;
    private final NDArray completionMask;
    private final NDArray samplingLogProbs;
    private final NDArray truncatedMask;

    private RolloutBatch(NDManager parent, List<RolloutGroup> groups, DataType dataType) {
        Checks.require(
                dataType == DataType.FLOAT32 || dataType == DataType.FLOAT64,
                "a rollout batch holds float32 or float64 arrays, not %s",
                dataType);
        Checks.require(!groups.isEmpty(), "a rollout batch needs at least one group");
        this.dataType = dataType;
        List<Rollout> allRows = new ArrayList<>();
        List<int[]> prompts = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        int[] starts = new int[groups.size() + 1];
        for (int g = 0; g < groups.size(); g++) {
            RolloutGroup group = Objects.requireNonNull(groups.get(g), "group " + g + " is null");
            starts[g] = allRows.size();
            allRows.addAll(group.rollouts());
            prompts.add(group.promptIds());
            keys.add(group.promptKey());
        }
        starts[groups.size()] = allRows.size();
        this.rows = List.copyOf(allRows);
        this.groupPrompts = List.copyOf(prompts);
        this.groupKeys = List.copyOf(keys);
        this.groupStarts = starts;
        int b = rows.size();
        this.groupOfRow = new int[b];
        for (int g = 0; g < groups.size(); g++) {
            for (int r = starts[g]; r < starts[g + 1]; r++) {
                groupOfRow[r] = g;
            }
        }
        this.completionLengths = new int[b];
        int t = 0;
        boolean allLogProbs = true;
        for (int r = 0; r < b; r++) {
            Rollout row = rows.get(r);
            completionLengths[r] = row.completionLength();
            t = Math.max(t, completionLengths[r]);
            allLogProbs &= row.hasSamplingLogProbs() || row.completionLength() == 0;
        }
        this.maxCompletionLength = Math.max(t, 1);
        int width = maxCompletionLength;

        int[] ids = new int[b * width];
        double[] mask = new double[b * width];
        double[] lps = new double[b * width];
        double[] trunc = new double[b];
        for (int r = 0; r < b; r++) {
            Rollout row = rows.get(r);
            int[] c = row.completionIds();
            float[] lp = row.samplingLogProbs();
            for (int j = 0; j < c.length; j++) {
                ids[r * width + j] = c[j];
                mask[r * width + j] = 1.0;
                if (lp.length == c.length) {
                    lps[r * width + j] = lp[j];
                }
            }
            trunc[r] = row.truncated() ? 1.0 : 0.0;
        }
        this.manager = parent.newSubManager();
        this.manager.setName("rollout-batch");
        Shape shape = new Shape(b, width);
        this.completionIds = manager.create(ids, shape);
        this.completionMask = manager.create(mask, shape).toType(dataType, false);
        this.samplingLogProbs =
                allLogProbs ? manager.create(lps, shape).toType(dataType, false) : null;
        this.truncatedMask = manager.create(trunc, new Shape(b)).toType(dataType, false);
    }

    /**
     * Pads the groups' rollouts into float32 arrays owned by a sub-manager of {@code parent}.
     *
     * @param parent the manager whose sub-manager will own the arrays
     * @param groups the groups, in row order
     * @return the batch; close it when done
     */
    public static RolloutBatch of(NDManager parent, List<RolloutGroup> groups) {
        return of(parent, groups, DataType.FLOAT32);
    }

    /**
     * Pads the groups' rollouts into arrays of the given float type.
     *
     * @param parent the manager whose sub-manager will own the arrays
     * @param groups the groups, in row order
     * @param dataType {@link DataType#FLOAT32} or {@link DataType#FLOAT64}
     * @return the batch; close it when done
     */
    public static RolloutBatch of(NDManager parent, List<RolloutGroup> groups, DataType dataType) {
        Objects.requireNonNull(parent, "parent manager");
        Objects.requireNonNull(groups, "groups");
        return new RolloutBatch(parent, groups, dataType);
    }

    /**
     * The manager owning this batch's arrays; callers may create per-batch temporaries in it.
     *
     * @return the batch's manager
     */
    public NDManager manager() {
        return manager;
    }

    /**
     * The number of rows B.
     *
     * @return the batch size
     */
    public int size() {
        return rows.size();
    }

    /**
     * The padded width T (the longest completion; at least 1).
     *
     * @return the width
     */
    public int width() {
        return maxCompletionLength;
    }

    /**
     * The float type of the mask and log-prob arrays.
     *
     * @return float32 or float64
     */
    public DataType dataType() {
        return dataType;
    }

    /**
     * The rollouts, one per row.
     *
     * @return an unmodifiable list
     */
    public List<Rollout> rows() {
        return rows;
    }

    /**
     * Row {@code r}'s rollout.
     *
     * @param r the row
     * @return the rollout
     */
    public Rollout row(int r) {
        return rows.get(r);
    }

    /**
     * The number of groups.
     *
     * @return the group count
     */
    public int groupCount() {
        return groupPrompts.size();
    }

    /**
     * The group that row {@code r} belongs to.
     *
     * @param r the row
     * @return the group index
     */
    public int groupOf(int r) {
        return groupOfRow[r];
    }

    /**
     * The first row of group {@code g}; {@code groupStart(groupCount())} is B.
     *
     * @param g the group, {@code 0 <= g <= groupCount()}
     * @return the row index
     */
    public int groupStart(int g) {
        return groupStarts[g];
    }

    /**
     * The number of rows of group {@code g}.
     *
     * @param g the group
     * @return its size G_g
     */
    public int groupSize(int g) {
        return groupStarts[g + 1] - groupStarts[g];
    }

    /**
     * Group {@code g}'s prompt token ids.
     *
     * @param g the group
     * @return a copy of the ids
     */
    public int[] groupPrompt(int g) {
        return groupPrompts.get(g).clone();
    }

    /**
     * Group {@code g}'s prompt key.
     *
     * @param g the group
     * @return the key
     */
    public String groupKey(int g) {
        return groupKeys.get(g);
    }

    /**
     * Each row's completion length.
     *
     * @return a new array of B lengths
     */
    public int[] completionLengths() {
        return completionLengths.clone();
    }

    /**
     * Completion token ids, {@code [B, T]} int32, padding 0.
     *
     * @return the ids
     */
    public NDArray completionIds() {
        return completionIds;
    }

    /**
     * 1 for a completion token, 0 for padding, {@code [B, T]}.
     *
     * @return the mask
     */
    public NDArray completionMask() {
        return completionMask;
    }

    /**
     * Whether every row recorded sampling log-probs.
     *
     * @return true if {@link #samplingLogProbs()} is available
     */
    public boolean hasSamplingLogProbs() {
        return samplingLogProbs != null;
    }

    /**
     * The sampler's log-probs, {@code [B, T]}, 0 at padding.
     *
     * @return the log-probs
     * @throws IllegalStateException if some rollout did not record them
     */
    public NDArray samplingLogProbs() {
        if (samplingLogProbs == null) {
            throw new IllegalStateException(
                    "some rollouts in this batch have no sampling log-probs");
        }
        return samplingLogProbs;
    }

    /**
     * 1 for a completion cut off by the length limit, {@code [B]}.
     *
     * @return the truncation flags
     */
    public NDArray truncatedMask() {
        return truncatedMask;
    }

    /**
     * Pads a per-token Java matrix (ragged rows, one value per completion token) into a {@code [B,
     * T]} array of the batch's float type owned by the batch's manager.
     *
     * @param values one row per batch row; row r must have {@code completionLength(r)} entries
     * @return the padded array, 0 at padding
     */
    public NDArray padTokens(double[][] values) {
        Checks.require(
                values.length == rows.size(),
                "expected %d rows but got %d",
                rows.size(),
                values.length);
        int width = maxCompletionLength;
        double[] flat = new double[rows.size() * width];
        for (int r = 0; r < values.length; r++) {
            Checks.require(
                    values[r].length == completionLengths[r],
                    "row %d has %d values but its completion has %d tokens",
                    r,
                    values[r].length,
                    completionLengths[r]);
            System.arraycopy(values[r], 0, flat, r * width, values[r].length);
        }
        return manager.create(flat, new Shape(rows.size(), width)).toType(dataType, false);
    }

    @Override
    public void close() {
        manager.close();
    }
}
