package dev.grpo4j.advantage;

/** Flattening helpers shared by the estimator tests. */
final class TestArrays {

    private TestArrays() {}

    static double[] flatten(double[][] a) {
        int n = 0;
        for (double[] row : a) {
            n += row.length;
        }
        double[] out = new double[n];
        int i = 0;
        for (double[] row : a) {
            System.arraycopy(row, 0, out, i, row.length);
            i += row.length;
        }
        return out;
    }

    static double[] flatten(double[][][] a) {
        int n = 0;
        for (double[][] g : a) {
            for (double[] row : g) {
                n += row.length;
            }
        }
        double[] out = new double[n];
        int i = 0;
        for (double[][] g : a) {
            for (double[] row : g) {
                System.arraycopy(row, 0, out, i, row.length);
                i += row.length;
            }
        }
        return out;
    }
}
