package dev.grpo4j.core.train.optim;

import dev.grpo4j.core.util.Checks;
import java.util.Locale;

/**
 * The learning rate as a function of the optimizer step, after Hugging Face's schedulers (which TRL
 * uses): a linear warm-up from 0 over {@code warmupSteps}, then constant, linear decay to 0, or a
 * half-cosine to 0 at {@code totalSteps}.
 */
public enum LearningRateSchedule {
    /** {@code lr} after warm-up. */
    CONSTANT,
    /** {@code lr * (total - step) / (total - warmup)} after warm-up (TRL's default). */
    LINEAR,
    /**
     * {@code lr * 0.5 * (1 + cos(pi * progress))}, {@code progress = (step - warmup) / (total -
     * warmup)}.
     */
    COSINE;

    /**
     * The learning rate for a 0-based optimizer step.
     *
     * @param baseRate the peak learning rate
     * @param step the 0-based optimizer step
     * @param warmupSteps linear warm-up length ({@code >= 0})
     * @param totalSteps the planned number of steps ({@code > 0})
     * @return the rate, never negative
     */
    public double rate(double baseRate, long step, long warmupSteps, long totalSteps) {
        Checks.require(warmupSteps >= 0, "warmupSteps must be >= 0 but was %d", warmupSteps);
        Checks.require(totalSteps > 0, "totalSteps must be > 0 but was %d", totalSteps);
        if (step < warmupSteps) {
            return baseRate * (double) step / Math.max(1, warmupSteps);
        }
        double span = Math.max(1, totalSteps - warmupSteps);
        double progress = Math.min(1.0, (step - warmupSteps) / span);
        switch (this) {
            case CONSTANT:
                return baseRate;
            case LINEAR:
                return baseRate * Math.max(0.0, 1.0 - progress);
            case COSINE:
                return baseRate * Math.max(0.0, 0.5 * (1.0 + Math.cos(Math.PI * progress)));
            default:
                throw new AssertionError(this);
        }
    }

    /**
     * Parses Hugging Face's names ({@code "constant"}, {@code "linear"}, {@code "cosine"}).
     *
     * @param name the name
     * @return the schedule
     * @throws IllegalArgumentException naming the unknown value
     */
    public static LearningRateSchedule fromName(String name) {
        String n = name == null ? "" : name.trim().toUpperCase(Locale.ROOT);
        if (n.equals("CONSTANT_WITH_WARMUP")) {
            return CONSTANT;
        }
        for (LearningRateSchedule s : values()) {
            if (s.name().equals(n)) {
                return s;
            }
        }
        throw new IllegalArgumentException(
                "unknown learning-rate schedule '"
                        + name
                        + "'; expected constant, linear or cosine");
    }
}
