package dev.grpo4j.prefix.attention;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.grpo4j.core.util.Checks;
import dev.grpo4j.core.util.Scalars;
import dev.grpo4j.prefix.layout.PrefixLayout;
import java.util.Objects;

/**
 * Attention over each row with an explicit visibility mask {@code [N, L, L]}: the straightforward
 * reference for {@link SharedPrefixAttention} (ALGORITHMS.md section 6, "DJL note"). With {@link
 * PrefixLayout#visibilityMask} it computes the same outputs and gradients over the packed rows, at
 * the cost of full {@code L x L} score matrices per row.
 *
 * <p>A key that is not visible gets {@link SharedPrefixAttention#MASKED_SCORE} added to its score;
 * a query that sees no key at all (padding) outputs zero. Grouped-query heads are handled by
 * reshaping the queries, without repeating keys or values. Results are attached to the manager of
 * {@code q}.
 */
public final class MaskedAttention implements SelfAttention {

    private final NDArray visibility;

    /**
     * Creates the op for one mask.
     *
     * @param visibility {@code [N, L, L]} boolean: entry {@code [n, t, s]} is true when query t of
     *     row n may attend to key s; it must stay open while the op is used
     */
    public MaskedAttention(NDArray visibility) {
        Objects.requireNonNull(visibility, "visibility");
        Shape shape = visibility.getShape();
        Checks.require(
                shape.dimension() == 3 && shape.get(1) == shape.get(2),
                "a visibility mask must be [N, L, L] but has shape %s",
                shape);
        Checks.require(
                visibility.getDataType() == DataType.BOOLEAN,
                "a visibility mask must be boolean but is %s",
                visibility.getDataType());
        this.visibility = visibility;
    }

    @Override
    public NDArray attend(NDArray q, NDArray k, NDArray v) {
        return attend(q, k, v, visibility);
    }

    /**
     * The op as a function: multi-head attention of every row under its visibility mask.
     *
     * @param q queries {@code [N, L, H, d]}
     * @param k keys {@code [N, L, Hkv, d]}, H a multiple of Hkv
     * @param v values {@code [N, L, Hkv, d]}
     * @param visibility {@code [N, L, L]} boolean, on q's device
     * @return {@code [N, L, H, d]}, zero for queries that see nothing
     */
    public static NDArray attend(NDArray q, NDArray k, NDArray v, NDArray visibility) {
        Shape qs = q.getShape();
        Shape ks = k.getShape();
        Checks.require(qs.dimension() == 4, "q must be [N, L, H, d] but has shape %s", qs);
        Checks.require(
                ks.dimension() == 4
                        && ks.equals(v.getShape())
                        && ks.get(0) == qs.get(0)
                        && ks.get(1) == qs.get(1)
                        && ks.get(3) == qs.get(3)
                        && qs.get(2) % ks.get(2) == 0,
                "k and v must be [N, L, Hkv, d] with H a multiple of Hkv for q of shape %s, but"
                        + " have shapes %s and %s",
                qs,
                ks,
                v.getShape());
        Checks.require(
                visibility.getShape().equals(new Shape(qs.get(0), qs.get(1), qs.get(1))),
                "the visibility mask has shape %s but q is %s",
                visibility.getShape(),
                qs);
        long n = qs.get(0);
        long l = qs.get(1);
        long h = qs.get(2);
        long d = qs.get(3);
        long hkv = ks.get(2);
        long r = h / hkv;
        DataType type = q.getDataType();
        NDArray visible = visibility.toType(type, true);
        // Temporaries belong to the caller's manager, not to the mask's.
        visible.attach(q.getManager());
        NDArray bias =
                Scalars.mul(visible.sub(1), -SharedPrefixAttention.MASKED_SCORE)
                        .reshape(n, 1, 1, l, l);
        // A query row with no visible key would average over masked keys; it is zeroed instead.
        NDArray seesSomething = visible.max(new int[] {2}).reshape(n, l, 1, 1);

        NDArray qh =
                Scalars.mul(q, 1.0 / Math.sqrt(d))
                        .reshape(n, l, hkv, r, d)
                        .transpose(0, 2, 3, 1, 4);
        NDArray kT = k.transpose(0, 2, 3, 1);
        NDArray vh = v.transpose(0, 2, 1, 3);
        NDArray scores = qh.reshape(n, hkv, r * l, d).matMul(kT).reshape(n, hkv, r, l, l);
        NDArray weights = scores.add(bias).softmax(-1).reshape(n, hkv, r * l, l);
        NDArray out = weights.matMul(vh).reshape(n, hkv, r, l, d).transpose(0, 3, 1, 2, 4);
        return out.reshape(n, l, h, d).mul(seesSomething);
    }
}
