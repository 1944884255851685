package dev.grpo4j.core.util;

/**
 * Argument checks whose messages name the offending value, so that bad input fails where it enters
 * rather than as a NaN several steps later.
 */
public final class Checks {

    private Checks() {}

    /**
     * Fails unless {@code condition} holds.
     *
     * @param condition the requirement
     * @param format a {@link String#format} pattern describing the violation
     * @param args the pattern's arguments, typically the offending value
     * @throws IllegalArgumentException if the condition does not hold
     */
    public static void require(boolean condition, String format, Object... args) {
        if (!condition) {
            throw new IllegalArgumentException(String.format(format, args));
        }
    }

    /**
     * Returns {@code value} if it is finite.
     *
     * @param name what the value is, for the message
     * @param value the value
     * @return the value
     * @throws IllegalArgumentException if the value is NaN or infinite
     */
    public static double finite(String name, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be finite but was " + value);
        }
        return value;
    }

    /**
     * Returns {@code value} if it is strictly positive.
     *
     * @param name what the value is, for the message
     * @param value the value
     * @return the value
     * @throws IllegalArgumentException if the value is not {@code > 0}
     */
    public static int positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be > 0 but was " + value);
        }
        return value;
    }

    /**
     * Returns {@code value} if it is strictly positive and finite.
     *
     * @param name what the value is, for the message
     * @param value the value
     * @return the value
     * @throws IllegalArgumentException if the value is not a finite number {@code > 0}
     */
    public static double positive(String name, double value) {
        if (!(value > 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException(
                    name + " must be a finite number > 0 but was " + value);
        }
        return value;
    }

    /**
     * Returns {@code value} if it is finite and not negative.
     *
     * @param name what the value is, for the message
     * @param value the value
     * @return the value
     * @throws IllegalArgumentException if the value is negative, NaN or infinite
     */
    public static double nonNegative(String name, double value) {
        if (!(value >= 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException(
                    name + " must be a finite number >= 0 but was " + value);
        }
        return value;
    }

    /**
     * Returns {@code value} if it lies in the closed interval {@code [low, high]}.
     *
     * @param name what the value is, for the message
     * @param value the value
     * @param low the smallest allowed value
     * @param high the largest allowed value
     * @return the value
     * @throws IllegalArgumentException if the value lies outside the interval or is NaN
     */
    public static double inRange(String name, double value, double low, double high) {
        if (!(value >= low && value <= high)) {
            throw new IllegalArgumentException(
                    name + " must lie in [" + low + ", " + high + "] but was " + value);
        }
        return value;
    }
}
