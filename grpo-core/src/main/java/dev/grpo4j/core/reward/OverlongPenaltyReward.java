package dev.grpo4j.core.reward;

import dev.grpo4j.core.util.Checks;

/**
 * DAPO's soft overlong punishment (Yu et al. 2025, "DAPO: An Open-Source LLM Reinforcement Learning
 * System at Scale"): no penalty for completions that leave room in the length budget, a linear ramp
 * to -1 across the last {@code L_cache} tokens, and -1 beyond the limit.
 *
 * <p>With {@code L_max} the maximum completion length, {@code L_cache} the penalty buffer and
 * {@code |y|} the number of completion tokens ({@link Completion#length()}):
 *
 * <pre>
 * R = 0                                   if |y| &lt;= L_max - L_cache
 * R = ((L_max - L_cache) - |y|) / L_cache  if L_max - L_cache &lt; |y| &lt;= L_max
 * R = -1                                  if |y| &gt; L_max
 * </pre>
 *
 * <p>R is continuous: it reaches -1 exactly at {@code |y| = L_max}. With {@code L_cache = 0} the
 * ramp is empty and R jumps from 0 to -1 past {@code L_max}. A completion cut off by a sampler
 * whose limit is {@code L_max} has {@code |y| = L_max} and so gets -1. DAPO adds R to the task
 * reward; here it is one function of a {@link RewardSet}, whose weight plays the role of verl's
 * penalty factor.
 *
 * <p>Example: {@code L_max = 20, L_cache = 4}: 16 tokens give 0, 17 give -0.25, 20 give -1, 21 give
 * -1.
 */
public final class OverlongPenaltyReward implements RewardFunction {

    private final int maxLength;
    private final int cacheLength;

    private OverlongPenaltyReward(int maxLength, int cacheLength) {
        this.maxLength = Checks.positive("L_max (max completion length)", maxLength);
        Checks.require(
                cacheLength >= 0 && cacheLength <= maxLength,
                "L_cache (overlong buffer) must lie in [0, L_max = %d] but was %d",
                maxLength,
                cacheLength);
        this.cacheLength = cacheLength;
    }

    /**
     * Creates the penalty.
     *
     * @param maxLength {@code L_max}, the maximum completion length in tokens, &gt; 0
     * @param cacheLength {@code L_cache}, the penalty buffer in tokens, in {@code [0, L_max]}
     * @return the reward, named {@code overlong_penalty}
     * @throws IllegalArgumentException naming the value if either is out of range
     */
    public static OverlongPenaltyReward of(int maxLength, int cacheLength) {
        return new OverlongPenaltyReward(maxLength, cacheLength);
    }

    @Override
    public double score(Completion completion) {
        int length = completion.length();
        int expected = maxLength - cacheLength;
        if (length <= expected) {
            return 0.0;
        }
        if (length > maxLength) {
            return -1.0;
        }
        // Here cacheLength > 0, since expected < length <= maxLength.
        return (double) (expected - length) / cacheLength;
    }

    @Override
    public String name() {
        return "overlong_penalty";
    }

    @Override
    public String toString() {
        return "OverlongPenaltyReward{L_max=" + maxLength + ", L_cache=" + cacheLength + '}';
    }
}
