package dev.grpo4j.core.reward;

import dev.grpo4j.core.util.Checks;

/**
 * A linear penalty on completion length beyond a target: {@code R = -coefficient * max(0, |y| -
 * targetLength)}, where {@code |y|} is the number of completion tokens ({@link
 * Completion#length()}).
 *
 * <p>R is 0 up to the target and falls by {@code coefficient} per extra token, without bound; pair
 * it with a weight, or use {@link OverlongPenaltyReward} for a penalty bounded by -1.
 *
 * <p>Example: target 100, coefficient 0.01: 80 tokens give 0, 100 give 0, 150 give -0.5.
 */
public final class LengthPenaltyReward implements RewardFunction {

    private final int targetLength;
    private final double coefficient;

    private LengthPenaltyReward(int targetLength, double coefficient) {
        Checks.require(targetLength >= 0, "target length must be >= 0 but was %d", targetLength);
        this.targetLength = targetLength;
        this.coefficient = Checks.nonNegative("length penalty coefficient", coefficient);
    }

    /**
     * Creates the penalty.
     *
     * @param targetLength the number of tokens allowed without penalty, &gt;= 0
     * @param coefficient the penalty per token beyond the target, finite and &gt;= 0
     * @return the reward, named {@code length_penalty}
     * @throws IllegalArgumentException naming the value if either is out of range
     */
    public static LengthPenaltyReward of(int targetLength, double coefficient) {
        return new LengthPenaltyReward(targetLength, coefficient);
    }

    @Override
    public double score(Completion completion) {
        return -coefficient * Math.max(0, completion.length() - targetLength);
    }

    @Override
    public String name() {
        return "length_penalty";
    }

    @Override
    public String toString() {
        return "LengthPenaltyReward{target=" + targetLength + ", coefficient=" + coefficient + '}';
    }
}
