package dev.grpo4j.prefix.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/** Tiny transformer configs and inputs shared by the model tests. */
final class TinyTransformers {

    static final int VOCAB = 13;
    static final int MAX_LENGTH = 24;

    private TinyTransformers() {}

    /** Width 16, 2 layers, 4 query heads sharing 2 key/value heads (grouped-query attention). */
    static TransformerConfig grouped() {
        return TransformerConfig.builder()
                .setVocabSize(VOCAB)
                .setWidth(16)
                .setLayers(2)
                .setHeads(4)
                .optKvHeads(2)
                .optMlpWidth(24)
                .setMaxSequenceLength(MAX_LENGTH)
                .build();
    }

    /**
     * Width 8, 2 layers, 2 query heads and one key/value head: small enough for finite differences.
     */
    static TransformerConfig micro() {
        return TransformerConfig.builder()
                .setVocabSize(7)
                .setWidth(8)
                .setLayers(2)
                .setHeads(2)
                .optKvHeads(1)
                .optMlpWidth(12)
                .setMaxSequenceLength(12)
                .build();
    }

    /** Row r of {@code rows}, as an int32 {@code [N, L]} array (all rows the same length). */
    static NDArray ids(NDManager manager, int[]... rows) {
        int length = rows[0].length;
        int[] flat = new int[rows.length * length];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(rows[r], 0, flat, r * length, length);
        }
        return manager.create(flat, new Shape(rows.length, length));
    }

    /** The largest absolute element-wise difference of two equally shaped arrays. */
    static double maxAbsDiff(NDArray a, NDArray b) {
        double[] x = a.toType(DataType.FLOAT64, false).toDoubleArray();
        double[] y = b.toType(DataType.FLOAT64, false).toDoubleArray();
        if (x.length != y.length) {
            throw new IllegalArgumentException(x.length + " vs " + y.length + " elements");
        }
        double max = 0;
        for (int i = 0; i < x.length; i++) {
            max = Math.max(max, Math.abs(x[i] - y[i]));
        }
        return max;
    }
}
