package dev.grpo4j.advantage.internal;

import java.util.Arrays;

/**
 * How the rows of a batch fall into segments (groups), arranged so that segment statistics become
 * dense matrix reductions.
 *
 * <p>Segments of equal size form a <em>bucket</em>: a bucket of {@code S} segments of width {@code
 * g} is packed as a row-major {@code [S, g]} matrix, one segment per matrix row, so that
 * per-segment sums and norms are single ND4J reductions along axis 1. When every segment has the
 * same size and the segments are contiguous (the usual GRPO batch) there is one bucket and the
 * packed order is the row order itself, so nothing is copied. Ragged or scattered segments (GiGPO's
 * step groups) cost one permutation on the way in and one on the way out.
 *
 * <p>Why buckets rather than ND4J's segment ops: on nd4j-native 1.0.0-M2.1, {@code segment_sum}
 * over 1M rows took about 950 ms and {@code unsorted_segment_sum} about 145 ms, against under 1 ms
 * for a row reduction of the packed matrix (see docs/benchmarks.md).
 */
public final class SegmentLayout {

    private final int rows;
    private final int segments;
    private final int[] bucketWidth;
    private final int[] bucketSegments;
    private final int[] bucketOffset;

    /** Packed position -> row, or null when the packed order is the row order. */
    private final int[] order;

    private SegmentLayout(
            int rows,
            int segments,
            int[] bucketWidth,
            int[] bucketSegments,
            int[] bucketOffset,
            int[] order) {
        this.rows = rows;
        this.segments = segments;
        this.bucketWidth = bucketWidth;
        this.bucketSegments = bucketSegments;
        this.bucketOffset = bucketOffset;
        this.order = order;
    }

    /**
     * A layout of contiguous segments: segment 0 is rows {@code [0, sizes[0])}, segment 1 the next
     * {@code sizes[1]} rows, and so on.
     *
     * @param sizes the size of each segment, each at least 1
     * @return the layout
     */
    public static SegmentLayout contiguous(int[] sizes) {
        boolean uniform = true;
        int rows = 0;
        for (int s = 0; s < sizes.length; s++) {
            if (sizes[s] < 1) {
                throw new IllegalArgumentException("segment " + s + " is empty");
            }
            uniform &= sizes[s] == sizes[0];
            rows += sizes[s];
        }
        if (uniform && sizes.length > 0) {
            return new SegmentLayout(
                    rows,
                    sizes.length,
                    new int[] {sizes[0]},
                    new int[] {sizes.length},
                    new int[] {0},
                    null);
        }
        int[] ids = new int[rows];
        int r = 0;
        for (int s = 0; s < sizes.length; s++) {
            Arrays.fill(ids, r, r + sizes[s], s);
            r += sizes[s];
        }
        return of(ids, sizes.length);
    }

    /**
     * A layout of arbitrary segments: row {@code r} belongs to segment {@code segmentOfRow[r]}.
     * Within a segment, rows keep their order.
     *
     * @param segmentOfRow each row's segment, in {@code [0, segmentCount)}
     * @param segmentCount the number of segments; every segment must have at least one row
     * @return the layout
     */
    public static SegmentLayout of(int[] segmentOfRow, int segmentCount) {
        int rows = segmentOfRow.length;
        int[] size = new int[segmentCount];
        for (int r = 0; r < rows; r++) {
            size[segmentOfRow[r]]++;
        }
        int maxWidth = 0;
        for (int s = 0; s < segmentCount; s++) {
            if (size[s] < 1) {
                throw new IllegalArgumentException("segment " + s + " is empty");
            }
            maxWidth = Math.max(maxWidth, size[s]);
        }
        // Counting sort of segments by size: segments of one width are adjacent, in id order.
        int[] perWidth = new int[maxWidth + 1];
        for (int s = 0; s < segmentCount; s++) {
            perWidth[size[s]]++;
        }
        int bucketCount = 0;
        for (int w = 1; w <= maxWidth; w++) {
            if (perWidth[w] > 0) {
                bucketCount++;
            }
        }
        int[] width = new int[bucketCount];
        int[] count = new int[bucketCount];
        int[] offset = new int[bucketCount];
        int[] widthStart = new int[maxWidth + 1];
        int b = 0;
        int position = 0;
        for (int w = 1; w <= maxWidth; w++) {
            if (perWidth[w] > 0) {
                width[b] = w;
                count[b] = perWidth[w];
                offset[b] = position;
                widthStart[w] = position;
                position += w * perWidth[w];
                b++;
            }
        }
        int[] segmentStart = new int[segmentCount];
        for (int s = 0; s < segmentCount; s++) {
            segmentStart[s] = widthStart[size[s]];
            widthStart[size[s]] += size[s];
        }
        int[] order = new int[rows];
        boolean identity = true;
        for (int r = 0; r < rows; r++) {
            int k = segmentStart[segmentOfRow[r]]++;
            order[k] = r;
            identity &= k == r;
        }
        return new SegmentLayout(rows, segmentCount, width, count, offset, identity ? null : order);
    }

    /**
     * The number of rows.
     *
     * @return the row count
     */
    public int rows() {
        return rows;
    }

    /**
     * The number of segments.
     *
     * @return the segment count
     */
    public int segments() {
        return segments;
    }

    /**
     * The number of buckets (distinct segment sizes).
     *
     * @return the bucket count
     */
    public int buckets() {
        return bucketWidth.length;
    }

    /**
     * The segment size shared by every segment of bucket {@code b}: the packed matrix's column
     * count.
     *
     * @param b the bucket
     * @return the width g
     */
    public int width(int b) {
        return bucketWidth[b];
    }

    /**
     * The number of segments in bucket {@code b}: the packed matrix's row count.
     *
     * @param b the bucket
     * @return the segment count S
     */
    public int segments(int b) {
        return bucketSegments[b];
    }

    /**
     * Where bucket {@code b} starts in the packed order.
     *
     * @param b the bucket
     * @return the packed offset
     */
    public int offset(int b) {
        return bucketOffset[b];
    }

    /**
     * Whether the packed order is the row order (one bucket of contiguous equal segments).
     *
     * @return true if packing copies nothing
     */
    public boolean identity() {
        return order == null;
    }

    /**
     * The row stored at packed position {@code k}.
     *
     * @param k a packed position
     * @return the row
     */
    public int row(int k) {
        return order == null ? k : order[k];
    }

    /**
     * Copies row-ordered values into packed order.
     *
     * @param byRow {@code [rows]} values in row order
     * @return {@code [rows]} values in packed order (the same array when {@link #identity()})
     */
    public double[] pack(double[] byRow) {
        if (order == null) {
            return byRow;
        }
        double[] packed = new double[rows];
        for (int k = 0; k < rows; k++) {
            packed[k] = byRow[order[k]];
        }
        return packed;
    }

    /**
     * Adds {@code weight} times a bucket's packed values to their rows: {@code dest[row(offset +
     * i)] += weight * packed[i]}.
     *
     * @param b the bucket
     * @param packed the bucket's {@code S * g} values in packed order
     * @param weight the factor
     * @param dest {@code [rows]} row-ordered accumulator
     */
    public void addTo(int b, double[] packed, double weight, double[] dest) {
        int offset = bucketOffset[b];
        if (order == null) {
            for (int i = 0; i < packed.length; i++) {
                dest[offset + i] += weight * packed[i];
            }
        } else {
            for (int i = 0; i < packed.length; i++) {
                dest[order[offset + i]] += weight * packed[i];
            }
        }
    }
}
