package dev.grpo4j.core.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Copies between NDArrays and Java arrays without creating any NDArray in the source's manager.
 *
 * <p>The loss reads its small {@code [B, T]} inputs to the host once, to validate them and to
 * compute masks, normalisers and metrics in plain Java, then creates what the graph needs in the
 * manager of the log-probs. That keeps every temporary in the caller's per-step scope, whichever
 * managers the inputs came from.
 */
final class HostArrays {

    private HostArrays() {}

    /**
     * Reads a float array (float32 or float64) as doubles.
     *
     * @param name what the array is, for the message
     * @param array the array
     * @return its values in row-major order
     */
    static double[] readFloats(String name, NDArray array) {
        DataType type = array.getDataType();
        if (type == DataType.FLOAT64) {
            return array.toDoubleArray();
        }
        if (type == DataType.FLOAT32) {
            return widen(array.toFloatArray());
        }
        throw new IllegalArgumentException(
                name + " must be a float32 or float64 array but was " + type);
    }

    /**
     * Reads a 0/1 flag array of any numeric or boolean type as doubles.
     *
     * @param name what the array is, for the message
     * @param array the array
     * @return its values in row-major order
     */
    static double[] readNumbers(String name, NDArray array) {
        DataType type = array.getDataType();
        switch (type) {
            case FLOAT64:
            case FLOAT32:
                return readFloats(name, array);
            case BOOLEAN:
                boolean[] flags = array.toBooleanArray();
                double[] out = new double[flags.length];
                for (int i = 0; i < flags.length; i++) {
                    out[i] = flags[i] ? 1 : 0;
                }
                return out;
            default:
                long[] values = readIntegers(name, array);
                double[] result = new double[values.length];
                for (int i = 0; i < values.length; i++) {
                    result[i] = values[i];
                }
                return result;
        }
    }

    /**
     * Reads an integer array (int8, uint8, int32 or int64).
     *
     * @param name what the array is, for the message
     * @param array the array
     * @return its values in row-major order
     */
    static long[] readIntegers(String name, NDArray array) {
        DataType type = array.getDataType();
        switch (type) {
            case INT64:
                return array.toLongArray();
            case INT32:
                return widen(array.toIntArray());
            case UINT8:
                return widen(array.toUint8Array());
            case INT8:
                byte[] bytes = array.toByteArray();
                long[] out = new long[bytes.length];
                for (int i = 0; i < bytes.length; i++) {
                    out[i] = bytes[i];
                }
                return out;
            default:
                throw new IllegalArgumentException(
                        name
                                + " must be an integer array (int8, uint8, int32, int64) but was "
                                + type);
        }
    }

    /**
     * Creates an array of the given float type in {@code manager}.
     *
     * @param manager the owner
     * @param values row-major values
     * @param shape the shape
     * @param type float32 or float64
     * @return the new array
     */
    static NDArray create(NDManager manager, double[] values, Shape shape, DataType type) {
        if (type == DataType.FLOAT32) {
            float[] narrow = new float[values.length];
            for (int i = 0; i < values.length; i++) {
                narrow[i] = (float) values[i];
            }
            return manager.create(narrow, shape);
        }
        return manager.create(values, shape);
    }

    /**
     * Spreads per-row weights over the active tokens: {@code out[i, t] = mask[i, t] *
     * rowWeights[i]}.
     *
     * @param mask {@code [B * T]} 0/1 values
     * @param rowWeights {@code [B]}
     * @param cols T
     * @return {@code [B * T]}
     */
    static double[] tokenWeights(double[] mask, double[] rowWeights, int cols) {
        double[] out = new double[mask.length];
        for (int i = 0; i < mask.length; i++) {
            out[i] = mask[i] * rowWeights[i / cols];
        }
        return out;
    }

    /**
     * Sums each row of a row-major {@code [B, T]} array.
     *
     * @param values {@code [B * T]}
     * @param cols T
     * @return {@code [B]}
     */
    static double[] rowSums(double[] values, int cols) {
        double[] out = new double[values.length / cols];
        for (int i = 0; i < values.length; i++) {
            out[i / cols] += values[i];
        }
        return out;
    }

    private static double[] widen(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    private static long[] widen(int[] values) {
        long[] out = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }
}
