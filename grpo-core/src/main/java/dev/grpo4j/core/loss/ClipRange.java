package dev.grpo4j.core.loss;

import java.util.OptionalDouble;

/**
 * Where the clipped surrogate stops following the importance ratio w.
 *
 * <ul>
 *   <li>{@code low}, {@code high}: PPO's trust region {@code [1 - low, 1 + high]} with separate
 *       epsilons (DAPO's "clip higher": TRL {@code epsilon} and {@code epsilon_high}, verl {@code
 *       clip_ratio_low} and {@code clip_ratio_high}). For {@link LossType#CISPO} {@code high} is
 *       instead the cap on the stop-gradient weight itself (the CISPO paper uses 5.0).
 *   <li>{@code delta}: INTELLECT-2's two-sided clipping; the unclipped branch uses {@code min(w,
 *       delta)}, so a negative advantage cannot push the loss up without bound. Must exceed {@code
 *       1 + high}.
 *   <li>{@code dualClip}: verl's {@code clip_ratio_c}; for a negative advantage the per-token loss
 *       is capped at {@code -A * c}. Must exceed 1.
 * </ul>
 *
 * @param low epsilon low, in {@code [0, 1)}
 * @param high epsilon high, finite and {@code >= 0}
 * @param delta the cap on the unclipped ratio, or empty for none
 * @param dualClip verl's dual-clip constant c, or empty for none
 */
public record ClipRange(double low, double high, OptionalDouble delta, OptionalDouble dualClip) {

    /** TRL's default epsilon (both sides). */
    public static final double DEFAULT_EPSILON = 0.2;

    /**
     * Validates the bounds.
     *
     * @param low epsilon low, in {@code [0, 1)}
     * @param high epsilon high, finite and {@code >= 0}
     * @param delta the cap on the unclipped ratio (greater than {@code 1 + high}), or empty
     * @param dualClip verl's dual-clip constant (greater than 1), or empty
     * @throws IllegalArgumentException naming the offending value
     */
    public ClipRange {
        checkLow(low);
        checkHigh(high);
        if (delta == null) {
            delta = OptionalDouble.empty();
        }
        if (dualClip == null) {
            dualClip = OptionalDouble.empty();
        }
        if (delta.isPresent()) {
            double d = checkDelta(delta.getAsDouble());
            if (!(d > 1 + high)) {
                throw new IllegalArgumentException(
                        "delta must be greater than 1 + epsilon high = "
                                + (1 + high)
                                + " but was "
                                + d);
            }
        }
        if (dualClip.isPresent()) {
            checkDualClip(dualClip.getAsDouble());
        }
    }

    /**
     * A range without delta or dual clip.
     *
     * @param low epsilon low, in {@code [0, 1)}
     * @param high epsilon high, {@code >= 0}
     * @return the range
     */
    public static ClipRange of(double low, double high) {
        return new ClipRange(low, high, OptionalDouble.empty(), OptionalDouble.empty());
    }

    /**
     * This range with INTELLECT-2's cap on the unclipped ratio.
     *
     * @param value delta, greater than {@code 1 + high}
     * @return a new range
     */
    public ClipRange withDelta(double value) {
        return new ClipRange(low, high, OptionalDouble.of(value), dualClip);
    }

    /**
     * This range with verl's dual clip.
     *
     * @param c the constant, greater than 1 (verl's default is 3)
     * @return a new range
     */
    public ClipRange withDualClip(double c) {
        return new ClipRange(low, high, delta, OptionalDouble.of(c));
    }

    /**
     * The lower edge of the trust region.
     *
     * @return {@code 1 - low}
     */
    public double lowerBound() {
        return 1 - low;
    }

    /**
     * The upper edge of the trust region.
     *
     * @return {@code 1 + high}
     */
    public double upperBound() {
        return 1 + high;
    }

    static double checkLow(double low) {
        if (!(low >= 0 && low < 1)) {
            throw new IllegalArgumentException("epsilon low must lie in [0, 1) but was " + low);
        }
        return low;
    }

    static double checkHigh(double high) {
        if (!(high >= 0) || !Double.isFinite(high)) {
            throw new IllegalArgumentException(
                    "epsilon high must be a finite number >= 0 but was " + high);
        }
        return high;
    }

    static double checkDelta(double delta) {
        if (!(delta > 1) || !Double.isFinite(delta)) {
            throw new IllegalArgumentException(
                    "delta must be a finite number greater than 1 + epsilon high but was " + delta);
        }
        return delta;
    }

    static double checkDualClip(double c) {
        if (!(c > 1) || !Double.isFinite(c)) {
            throw new IllegalArgumentException(
                    "dual clip c must be a finite number greater than 1 but was " + c);
        }
        return c;
    }
}
