package dev.grpo4j.prefix.attention;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.grpo4j.core.util.Checks;
import dev.grpo4j.core.util.Scalars;

/**
 * Plain causal multi-head self-attention with grouped-query heads: position t of a row sees
 * positions {@code 0..t} of the same row. Every row is its own sequence, so this is the attention
 * of the plain layout, where each completion carries its own copy of the prompt.
 *
 * <p>Grouped-query heads are handled without repeating keys and values: the {@code H / Hkv} query
 * heads that share a key/value head are stacked along the query axis, so one batched matrix product
 * per key/value head serves all of them. Stateless and thread-safe.
 */
public final class CausalAttention implements SelfAttention {

    /**
     * The additive score of a hidden key. Finite rather than infinite so that a row with no visible
     * key (never the case here, but possible in callers' padded layouts) yields a finite average
     * instead of NaN, which would poison gradients; exp of it underflows to exactly 0 in float32
     * and float64.
     */
    public static final double MASKED_SCORE = -1e30;

    /** Creates the op. */
    public CausalAttention() {}

    @Override
    public NDArray attend(NDArray q, NDArray k, NDArray v) {
        return causal(q, k, v);
    }

    /**
     * Causal grouped-query attention: {@code out[n, t, h] = sum_{s <= t} softmax_s(q[n,t,h] .
     * k[n,s,g] / sqrt(d)) v[n,s,g]} with {@code g = h / (H / Hkv)}.
     *
     * @param q queries {@code [N, L, H, d]}
     * @param k keys {@code [N, L, Hkv, d]}
     * @param v values {@code [N, L, Hkv, d]}
     * @return {@code [N, L, H, d]}, attached to the manager of {@code q}
     * @throws IllegalArgumentException if the shapes do not fit together
     */
    public static NDArray causal(NDArray q, NDArray k, NDArray v) {
        int[] dims = checkShapes(q, k, v);
        long n = dims[0];
        long len = dims[1];
        int heads = dims[2];
        int kvHeads = dims[3];
        long d = dims[4];
        int rep = heads / kvHeads;
        NDManager manager = q.getManager();
        // [N, L, Hkv, rep, d] -> [N, Hkv, rep * L, d]: the query heads of one group share a matmul.
        NDArray grouped =
                q.reshape(n, len, kvHeads, rep, d)
                        .transpose(0, 2, 3, 1, 4)
                        .reshape(n, kvHeads, rep * len, d);
        NDArray keys = k.transpose(0, 2, 3, 1); // [N, Hkv, d, L]
        NDArray values = v.transpose(0, 2, 1, 3); // [N, Hkv, L, d]
        NDArray scores =
                Scalars.mul(grouped.matMul(keys), 1.0 / Math.sqrt(d))
                        .reshape(n, kvHeads, rep, len, len)
                        .add(causalMask(manager, len, q.getDataType()));
        NDArray weights = scores.softmax(-1).reshape(n, kvHeads, rep * len, len);
        return weights.matMul(values)
                .reshape(n, kvHeads, rep, len, d)
                .transpose(0, 3, 1, 2, 4)
                .reshape(n, len, heads, d);
    }

    /**
     * The additive causal mask: 0 where key {@code s <= } query {@code t}, {@link #MASKED_SCORE}
     * above the diagonal.
     *
     * @param manager the manager that will own the mask
     * @param length L
     * @param dataType the score type
     * @return {@code [L, L]}
     */
    public static NDArray causalMask(NDManager manager, long length, DataType dataType) {
        NDArray rows = manager.arange(0, (int) length, 1, DataType.INT64).reshape(length, 1);
        NDArray cols = manager.arange(0, (int) length, 1, DataType.INT64).reshape(1, length);
        return Scalars.mul(cols.gt(rows).toType(dataType, false), MASKED_SCORE);
    }

    /** Returns {N, L, H, Hkv, d} after checking that q, k and v fit together. */
    static int[] checkShapes(NDArray q, NDArray k, NDArray v) {
        Shape qs = q.getShape();
        Shape ks = k.getShape();
        Checks.require(qs.dimension() == 4, "queries must be [N, L, H, d] but were %s", qs);
        Checks.require(ks.dimension() == 4, "keys must be [N, L, Hkv, d] but were %s", ks);
        Checks.require(
                ks.equals(v.getShape()),
                "keys %s and values %s must have the same shape",
                ks,
                v.getShape());
        Checks.require(
                qs.get(0) == ks.get(0) && qs.get(1) == ks.get(1) && qs.get(3) == ks.get(3),
                "queries %s and keys %s differ in N, L or d",
                qs,
                ks);
        Checks.require(
                qs.get(2) % ks.get(2) == 0,
                "query heads %d are not a multiple of key/value heads %d",
                qs.get(2),
                ks.get(2));
        return new int[] {
            Math.toIntExact(qs.get(0)),
            Math.toIntExact(qs.get(1)),
            Math.toIntExact(qs.get(2)),
            Math.toIntExact(ks.get(2)),
            Math.toIntExact(qs.get(3))
        };
    }
}
