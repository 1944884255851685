package dev.grpo4j.core.reward;

/**
 * NaN-aware statistics as TRL computes them ({@code torch.nansum}, {@code torch.nanmean}, TRL's
 * {@code nanstd}): NaN entries mean "not applicable" and are left out.
 *
 * <p>These are the plain, exact reference implementations; the ND4J estimators are tested against
 * them. Each method reads the array only, never changes it.
 */
public final class NanStats {

    private NanStats() {}

    /**
     * The number of entries that are not NaN.
     *
     * @param x the values
     * @return the count of non-NaN entries
     */
    public static int count(double[] x) {
        int n = 0;
        for (double v : x) {
            if (!Double.isNaN(v)) {
                n++;
            }
        }
        return n;
    }

    /**
     * The sum of the non-NaN entries; 0 when there are none (as {@code torch.nansum}).
     *
     * @param x the values
     * @return the sum
     */
    public static double sum(double[] x) {
        double s = 0;
        for (double v : x) {
            if (!Double.isNaN(v)) {
                s += v;
            }
        }
        return s;
    }

    /**
     * The mean of the non-NaN entries; NaN when there are none.
     *
     * @param x the values
     * @return the mean
     */
    public static double mean(double[] x) {
        int n = count(x);
        return n == 0 ? Double.NaN : sum(x) / n;
    }

    /**
     * The sample standard deviation (divisor n - 1) of the n non-NaN entries; NaN when n &lt; 2, as
     * TRL's {@code nanstd}, whose Bessel factor n / (n - 1) is undefined there.
     *
     * @param x the values
     * @return the sample standard deviation
     */
    public static double sampleStd(double[] x) {
        int n = count(x);
        if (n < 2) {
            return Double.NaN;
        }
        double mean = sum(x) / n;
        double squares = 0;
        for (double v : x) {
            if (!Double.isNaN(v)) {
                double d = v - mean;
                squares += d * d;
            }
        }
        return Math.sqrt(squares / (n - 1));
    }
}
