package dev.grpo4j.advantage;

import dev.grpo4j.advantage.internal.GroupStats;

/** How GiGPO normalises both its episode and its step advantages (verl-agent's {@code mode}). */
public enum GigpoMode {
    /** {@code A = x - mean} (verl-agent's config default; its scripts use it outside ALFWorld). */
    MEAN_NORM {
        @Override
        void normalize(GroupStats centred, double epsilon) {
            // Centring only.
        }
    },
    /** {@code A = (x - mean) / (std + eps)} (verl-agent's ALFWorld and search scripts). */
    MEAN_STD_NORM {
        @Override
        void normalize(GroupStats centred, double epsilon) {
            centred.divideBySegmentStd(epsilon);
        }
    };

    /** Finishes centred values, in place. */
    abstract void normalize(GroupStats centred, double epsilon);
}
