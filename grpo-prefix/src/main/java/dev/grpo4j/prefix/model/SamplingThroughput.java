package dev.grpo4j.prefix.model;

import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.grpo4j.core.policy.IncrementalDecoder;
import dev.grpo4j.core.util.Checks;
import java.util.SplittableRandom;

/**
 * Measures decoding throughput of a {@link CausalTransformer}: the key/value-cached decoder of
 * {@link CausalTransformer#newDecoder} against an uncached decoder that re-encodes every stream's
 * whole sequence at every step. For benchmarks; call it once to warm up before taking figures.
 *
 * <p>Both decoders are fed the same pre-drawn random tokens, so they do the same work whatever the
 * model predicts, and the final step's logits of the two are compared. Each step reads the logits
 * to the host as a sampler would. A run of n new tokens is n logits reads and n - 1 appends, like
 * {@link dev.grpo4j.core.policy.Sampler} with no stop token.
 */
public final class SamplingThroughput {

    private SamplingThroughput() {}

    /**
     * The outcome of one measurement.
     *
     * @param streams S, the number of sampled sequences
     * @param newTokens tokens generated per stream
     * @param cachedNanos wall time of the cached decoder, prefill included
     * @param uncachedNanos wall time of the uncached decoder
     * @param maxAbsLogitDiff the largest difference between the two decoders' final logits
     */
    public record Result(
            int streams,
            int newTokens,
            long cachedNanos,
            long uncachedNanos,
            double maxAbsLogitDiff) {

        /**
         * Generated tokens per second with the cache.
         *
         * @return {@code S * newTokens / seconds}
         */
        public double cachedTokensPerSecond() {
            return perSecond(cachedNanos);
        }

        /**
         * Generated tokens per second without the cache.
         *
         * @return {@code S * newTokens / seconds}
         */
        public double uncachedTokensPerSecond() {
            return perSecond(uncachedNanos);
        }

        /**
         * How many times faster the cached decoder is.
         *
         * @return uncached time over cached time
         */
        public double speedup() {
            return (double) uncachedNanos / cachedNanos;
        }

        private double perSecond(long nanos) {
            return (double) streams * newTokens / (nanos / 1e9);
        }
    }

    /**
     * Decodes {@code newTokens} tokens for every stream with both decoders and times them.
     *
     * @param model the transformer
     * @param store the parameter store to read parameters through
     * @param manager a manager for the decoders' arrays; everything is freed before returning
     * @param prompts P non-empty prompts
     * @param samplesPerPrompt G streams per prompt
     * @param newTokens tokens to generate per stream ({@code > 0}); prompt plus new tokens must fit
     *     the maximum length
     * @param seed seeds the fed tokens
     * @return the timings and the final-logit difference
     */
    public static Result measure(
            CausalTransformer model,
            ParameterStore store,
            NDManager manager,
            int[][] prompts,
            int samplesPerPrompt,
            int newTokens,
            long seed) {
        Checks.positive("newTokens", newTokens);
        int streams = Math.multiplyExact(prompts.length, samplesPerPrompt);
        SplittableRandom random = new SplittableRandom(seed);
        int[][] feed = new int[newTokens][streams];
        for (int[] step : feed) {
            for (int s = 0; s < streams; s++) {
                step[s] = random.nextInt(model.vocabSize());
            }
        }
        float[] cachedLast;
        float[] uncachedLast;
        long start = System.nanoTime();
        try (IncrementalDecoder decoder =
                model.newDecoder(store, manager, prompts, samplesPerPrompt)) {
            cachedLast = run(decoder, feed);
        }
        long cached = System.nanoTime() - start;
        start = System.nanoTime();
        try (IncrementalDecoder decoder =
                new RecomputingDecoder(model, store, manager, prompts, samplesPerPrompt)) {
            uncachedLast = run(decoder, feed);
        }
        long uncached = System.nanoTime() - start;
        double diff = 0;
        for (int i = 0; i < cachedLast.length; i++) {
            diff = Math.max(diff, Math.abs(cachedLast[i] - uncachedLast[i]));
        }
        return new Result(streams, newTokens, cached, uncached, diff);
    }

    /** Reads logits and appends the fed tokens; returns the final logits. */
    private static float[] run(IncrementalDecoder decoder, int[][] feed) {
        float[] logits = decoder.logits().toFloatArray();
        for (int step = 1; step < feed.length; step++) {
            decoder.append(feed[step - 1]);
            logits = decoder.logits().toFloatArray();
        }
        return logits;
    }
}
