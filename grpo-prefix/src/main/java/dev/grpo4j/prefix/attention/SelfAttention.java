package dev.grpo4j.prefix.attention;

import ai.djl.ndarray.NDArray;

/**
 * The attention step of a transformer layer, after the query/key/value projections and rotary
 * positions, before the output projection. The transformer is the same for every layout; what
 * differs is which keys each query may see, and that is this interface's business.
 *
 * <p>Shapes: {@code q} is {@code [N, L, H, d]}, {@code k} and {@code v} are {@code [N, L, Hkv, d]}
 * with {@code H} a multiple of {@code Hkv} (grouped-query attention: query head h reads key/value
 * head {@code h / (H / Hkv)}); the result is {@code [N, L, H, d]}. Scores are scaled by {@code 1 /
 * sqrt(d)}. Implementations must be differentiable through DJL autograd and must attach their
 * results to the manager of {@code q}.
 */
@FunctionalInterface
public interface SelfAttention {

    /**
     * Attends.
     *
     * @param q queries {@code [N, L, H, d]}
     * @param k keys {@code [N, L, Hkv, d]}
     * @param v values {@code [N, L, Hkv, d]}
     * @return the attention output {@code [N, L, H, d]}
     */
    NDArray attend(NDArray q, NDArray k, NDArray v);
}
