package dev.grpo4j.core.policy;

import dev.grpo4j.core.util.Checks;
import java.util.Arrays;

/**
 * How the {@link Sampler} draws tokens: temperature, top-k, top-p, stop tokens and a length limit.
 * Immutable; build with {@link #builder()}. Defaults follow TRL's {@code GRPOConfig}: temperature
 * 1.0, top-p 1.0, top-k off.
 *
 * <p>The recorded log-prob of a sampled token is taken from the temperature-scaled distribution
 * over the whole vocabulary (before top-k/top-p filtering), which is what the trainer's log-prob
 * pass recomputes, as in TRL.
 */
public final class SamplingConfig {

    private final double temperature;
    private final int topK;
    private final double topP;
    private final int maxNewTokens;
    private final int[] stopTokens;

    private SamplingConfig(Builder b) {
        this.temperature = b.temperature;
        this.topK = b.topK;
        this.topP = b.topP;
        this.maxNewTokens = b.maxNewTokens;
        this.stopTokens = b.stopTokens.clone();
    }

    /**
     * Starts a builder with the defaults.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The temperature the logits are divided by ({@code > 0}).
     *
     * @return the temperature
     */
    public double temperature() {
        return temperature;
    }

    /**
     * Keep only the k most likely tokens; 0 means off.
     *
     * @return k
     */
    public int topK() {
        return topK;
    }

    /**
     * Keep the smallest set of most likely tokens whose probability reaches p; 1.0 means off.
     *
     * @return p in {@code (0, 1]}
     */
    public double topP() {
        return topP;
    }

    /**
     * The most tokens a completion may have; one that reaches it without a stop token is truncated.
     *
     * @return the limit
     */
    public int maxNewTokens() {
        return maxNewTokens;
    }

    /**
     * Token ids that end a completion (the stop token is kept as its last token).
     *
     * @return a copy of the ids
     */
    public int[] stopTokens() {
        return stopTokens.clone();
    }

    /**
     * Whether {@code token} ends a completion.
     *
     * @param token a token id
     * @return true for a stop token
     */
    public boolean isStop(int token) {
        for (int s : stopTokens) {
            if (s == token) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "SamplingConfig{temperature="
                + temperature
                + ", topK="
                + topK
                + ", topP="
                + topP
                + ", maxNewTokens="
                + maxNewTokens
                + ", stopTokens="
                + Arrays.toString(stopTokens)
                + '}';
    }

    /** Builds a {@link SamplingConfig}; each setter validates at once. */
    public static final class Builder {
        private double temperature = 1.0;
        private int topK;
        private double topP = 1.0;
        private int maxNewTokens = 256;
        private int[] stopTokens = new int[0];

        private Builder() {}

        /**
         * Sets the temperature (default 1.0).
         *
         * @param temperature a finite value {@code > 0}
         * @return this builder
         */
        public Builder optTemperature(double temperature) {
            this.temperature = Checks.positive("temperature", temperature);
            return this;
        }

        /**
         * Sets top-k (default 0 = off).
         *
         * @param topK {@code >= 0}
         * @return this builder
         */
        public Builder optTopK(int topK) {
            Checks.require(topK >= 0, "topK must be >= 0 (0 = off) but was %d", topK);
            this.topK = topK;
            return this;
        }

        /**
         * Sets top-p (default 1.0 = off).
         *
         * @param topP in {@code (0, 1]}
         * @return this builder
         */
        public Builder optTopP(double topP) {
            Checks.require(topP > 0 && topP <= 1, "topP must lie in (0, 1] but was %s", topP);
            this.topP = topP;
            return this;
        }

        /**
         * Sets the length limit (default 256).
         *
         * @param maxNewTokens {@code > 0}
         * @return this builder
         */
        public Builder optMaxNewTokens(int maxNewTokens) {
            this.maxNewTokens = Checks.positive("maxNewTokens", maxNewTokens);
            return this;
        }

        /**
         * Sets the stop tokens (default none).
         *
         * @param stopTokens non-negative token ids
         * @return this builder
         */
        public Builder optStopTokens(int... stopTokens) {
            for (int s : stopTokens) {
                Checks.require(s >= 0, "stop token id must be >= 0 but was %d", s);
            }
            this.stopTokens = stopTokens.clone();
            return this;
        }

        /**
         * Builds the config.
         *
         * @return the config
         */
        public SamplingConfig build() {
            return new SamplingConfig(this);
        }
    }
}
