package dev.grpo4j.core.policy;

/**
 * One completion drawn by the {@link Sampler}.
 *
 * @param tokenIds the generated ids, ending with the stop token if one was drawn
 * @param logProbs the log-prob of each generated token under the temperature-scaled policy
 * @param truncated true if the length limit was reached without a stop token
 */
public record SampledCompletion(int[] tokenIds, float[] logProbs, boolean truncated) {

    /**
     * Validates the parallel arrays and copies them.
     *
     * @param tokenIds the generated ids
     * @param logProbs one log-prob per id
     * @param truncated whether the length limit was hit
     */
    public SampledCompletion {
        if (tokenIds.length != logProbs.length) {
            throw new IllegalArgumentException(
                    tokenIds.length + " tokens but " + logProbs.length + " log-probs");
        }
        tokenIds = tokenIds.clone();
        logProbs = logProbs.clone();
    }

    @Override
    public int[] tokenIds() {
        return tokenIds.clone();
    }

    @Override
    public float[] logProbs() {
        return logProbs.clone();
    }

    /**
     * The number of generated tokens.
     *
     * @return the length
     */
    public int length() {
        return tokenIds.length;
    }
}
