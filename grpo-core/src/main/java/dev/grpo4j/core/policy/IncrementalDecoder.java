package dev.grpo4j.core.policy;

import ai.djl.ndarray.NDArray;

/**
 * Token-by-token decoding of S streams that share prompts through a key/value cache.
 *
 * <p>Life cycle: created by {@link CausalLmPolicy#newDecoder} with the prompts already encoded;
 * {@link #logits()} predicts each stream's next token; {@link #append(int[])} feeds one token per
 * stream; repeat; {@link #close()} frees the cache. Streams that have finished may keep being fed
 * any valid token; their logits are simply ignored by the caller.
 */
public interface IncrementalDecoder extends AutoCloseable {

    /**
     * The number of streams S (prompts times samples per prompt).
     *
     * @return S
     */
    int streamCount();

    /**
     * The number of tokens appended so far to every stream.
     *
     * @return the generated length
     */
    int generatedLength();

    /**
     * Logits predicting every stream's next token.
     *
     * @return {@code [S, V]} float32, valid until the next {@link #append(int[])}
     */
    NDArray logits();

    /**
     * Appends one token to every stream.
     *
     * @param tokens S token ids
     * @throws IllegalArgumentException if the count is not S, an id is outside the vocabulary, or a
     *     stream would exceed the policy's maximum length
     */
    void append(int[] tokens);

    @Override
    void close();
}
