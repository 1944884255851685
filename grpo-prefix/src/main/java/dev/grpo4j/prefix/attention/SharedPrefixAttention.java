package dev.grpo4j.prefix.attention;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.grpo4j.core.util.Checks;
import dev.grpo4j.core.util.Scalars;
import dev.grpo4j.prefix.layout.PrefixLayout;
import dev.grpo4j.prefix.layout.PrefixLayoutArrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Prefix Grouper's attention over packed rows: each group's prompt is attended to once, and all of
 * a group's completion queries read the prompt's keys and values from the same tensor instead of a
 * copy per completion (ALGORITHMS.md section 6, "Attention split").
 *
 * <p>Per call, with {@code r = H / Hkv} query heads per key/value head:
 *
 * <ol>
 *   <li>gather q, k, v of the packed rows into a prefix part {@code [B, Lp]} and a suffix part
 *       {@code [B, G, Ls]} (index ops; autograd turns them into scatter-adds on the way back);
 *   <li>prefix: causal attention, {@code [B, Hkv, r Lp, d] x [B, Hkv, d, Lp]};
 *   <li>suffix: one matmul of all of a group's completion queries against the prompt keys, {@code
 *       [B, Hkv, G r Ls, d] x [B, Hkv, d, Lp]}, and one batched matmul against the completion's own
 *       keys, {@code [B, Hkv, G, r Ls, d] x [B, Hkv, G, d, Ls]}; one softmax over both score blocks
 *       side by side, so every completion token normalises over [prompt; own completion up to
 *       itself];
 *   <li>gather both outputs back into the packed layout; padding positions are zero.
 * </ol>
 *
 * <p>Grouped-query heads are handled by reshaping the queries to {@code [.., Hkv, r, ..]}: key and
 * value heads are never repeated. A key a query must not see gets {@link #MASKED_SCORE} added to
 * its score, a large finite negative number rather than {@code -inf}, so that a padding query with
 * no visible key yields a finite (unused) output and zero, not NaN, gradients.
 *
 * <p>An instance belongs to one layout (and its device) and serves every layer of a forward pass;
 * it is thread-safe. The masks are converted to each float type once, into the layout arrays'
 * manager; results are attached to the manager of {@code q}.
 */
public final class SharedPrefixAttention implements SelfAttention {

    /** Added to the score of a key a query must not see: exp of it underflows to exactly 0. */
    public static final double MASKED_SCORE = -1e9;

    private final PrefixLayout layout;
    private final NDArray prefixGather;
    private final NDArray suffixGather;
    private final NDArray scatter;
    private final NDArray prefixVisible;
    private final NDArray suffixVisible;
    private final NDArray packedValid;
    private final Map<DataType, Masks> masksByType = new EnumMap<>(DataType.class);

    /**
     * Creates the op for one layout.
     *
     * @param arrays the layout's arrays, on the device the op will run on; they must stay open
     *     while the op is used
     */
    public SharedPrefixAttention(PrefixLayoutArrays arrays) {
        Objects.requireNonNull(arrays, "arrays");
        this.layout = arrays.layout();
        long b = layout.groupCount();
        long lp = layout.maxPrefixLength();
        long ls = layout.maxSuffixLength();
        long g = layout.maxGroupSize();
        this.prefixGather = arrays.prefixGather();
        this.suffixGather = arrays.suffixGather();
        this.scatter = arrays.scatter();
        // Broadcast shapes of the score tensors below: [B, Hkv, r, Lp, Lp] and [B, Hkv, G, r, Ls,
        // Lp+Ls].
        this.prefixVisible = arrays.prefixVisibility().reshape(b, 1, 1, lp, lp);
        this.suffixVisible = arrays.suffixVisibility().reshape(b, 1, g, 1, ls, lp + ls);
        this.packedValid = arrays.packedMask().reshape(b, layout.packedLength(), 1, 1);
    }

    /**
     * The layout this op was created for.
     *
     * @return the layout
     */
    public PrefixLayout layout() {
        return layout;
    }

    /**
     * {@inheritDoc}
     *
     * <p>{@code N} must be the layout's group count B and {@code L} its packed length.
     */
    @Override
    public NDArray attend(NDArray q, NDArray k, NDArray v) {
        checkShapes(q, k, v);
        Masks masks = masksFor(q.getDataType());
        Shape shape = q.getShape();
        long b = shape.get(0);
        long l = shape.get(1);
        long h = shape.get(2);
        long d = shape.get(3);
        long hkv = k.getShape().get(2);
        long r = h / hkv;
        long lp = layout.maxPrefixLength();
        long ls = layout.maxSuffixLength();
        long g = layout.maxGroupSize();

        // Scaling the queries once is cheaper than scaling every score.
        NDArray qFlat = Scalars.mul(q, 1.0 / Math.sqrt(d)).reshape(b * l, h, d);
        NDArray kFlat = k.reshape(b * l, hkv, d);
        NDArray vFlat = v.reshape(b * l, hkv, d);
        NDIndex prefixIndex = new NDIndex("{}", prefixGather);
        NDIndex suffixIndex = new NDIndex("{}", suffixGather);

        // Prefix part, heads first: q [B, Hkv, r, Lp, d], k^T [B, Hkv, d, Lp], v [B, Hkv, Lp, d].
        NDArray qp = qFlat.get(prefixIndex).reshape(b, lp, hkv, r, d).transpose(0, 2, 3, 1, 4);
        NDArray kpT = kFlat.get(prefixIndex).reshape(b, lp, hkv, d).transpose(0, 2, 3, 1);
        NDArray vp = vFlat.get(prefixIndex).reshape(b, lp, hkv, d).transpose(0, 2, 1, 3);

        // Suffix part: q [B, Hkv, G, r, Ls, d], k^T [B, Hkv, G, d, Ls], v [B, Hkv, G, Ls, d].
        NDArray qs =
                qFlat.get(suffixIndex).reshape(b, g, ls, hkv, r, d).transpose(0, 3, 1, 4, 2, 5);
        NDArray ksT = kFlat.get(suffixIndex).reshape(b, g, ls, hkv, d).transpose(0, 3, 1, 4, 2);
        NDArray vs = vFlat.get(suffixIndex).reshape(b, g, ls, hkv, d).transpose(0, 3, 1, 2, 4);

        NDArray prefixOut = attendPrefix(masks, qp, kpT, vp, b, hkv, r, lp, d);
        NDArray suffixOut = attendSuffix(masks, qs, ksT, vs, kpT, vp, b, hkv, r, g, lp, ls, d);

        // Both parts as rows [slot, H, d], prefix part first, then back to packed order.
        NDArray prefixRows = prefixOut.reshape(b, hkv, r, lp, d).transpose(0, 3, 1, 2, 4);
        NDArray suffixRows = suffixOut.reshape(b, hkv, g, r, ls, d).transpose(0, 2, 4, 1, 3, 5);
        NDArray parts =
                prefixRows.reshape(b * lp, h, d).concat(suffixRows.reshape(b * g * ls, h, d), 0);
        NDArray packed = parts.get(new NDIndex("{}", scatter)).reshape(b, l, h, d);
        return packed.mul(masks.packedValid());
    }

    private static NDArray attendPrefix(
            Masks masks,
            NDArray qp,
            NDArray kpT,
            NDArray vp,
            long b,
            long hkv,
            long r,
            long lp,
            long d) {
        NDArray scores = qp.reshape(b, hkv, r * lp, d).matMul(kpT).reshape(b, hkv, r, lp, lp);
        NDArray weights = scores.add(masks.prefixBias()).softmax(-1);
        return weights.reshape(b, hkv, r * lp, lp).matMul(vp);
    }

    private static NDArray attendSuffix(
            Masks masks,
            NDArray qs,
            NDArray ksT,
            NDArray vs,
            NDArray kpT,
            NDArray vp,
            long b,
            long hkv,
            long r,
            long g,
            long lp,
            long ls,
            long d) {
        // The prompt keys are read once per group for all G r Ls completion queries.
        NDArray toPrefix =
                qs.reshape(b, hkv, g * r * ls, d).matMul(kpT).reshape(b, hkv, g, r, ls, lp);
        NDArray toSelf = qs.reshape(b, hkv, g, r * ls, d).matMul(ksT).reshape(b, hkv, g, r, ls, ls);
        NDArray scores = toPrefix.concat(toSelf, -1);
        NDArray weights = scores.add(masks.suffixBias()).softmax(-1);
        NDArray fromPrefix = weights.get("..., :{}", lp).reshape(b, hkv, g * r * ls, lp).matMul(vp);
        NDArray fromSelf = weights.get("..., {}:", lp).reshape(b, hkv, g, r * ls, ls).matMul(vs);
        return fromPrefix.reshape(b, hkv, g, r * ls, d).add(fromSelf);
    }

    /**
     * The masks in the score type: additive biases (0 or {@link #MASKED_SCORE}) and the 0/1 factor
     * that zeroes padding, made once per type and kept with the layout's arrays.
     */
    private synchronized Masks masksFor(DataType type) {
        return masksByType.computeIfAbsent(
                type,
                t ->
                        new Masks(
                                bias(prefixVisible, t),
                                bias(suffixVisible, t),
                                packedValid.toType(t, false)));
    }

    private static NDArray bias(NDArray visible, DataType type) {
        // visible - 1 is 0 or -1; scaling by -MASKED_SCORE gives 0 or MASKED_SCORE.
        return Scalars.mul(visible.toType(type, false).sub(1), -MASKED_SCORE);
    }

    private record Masks(NDArray prefixBias, NDArray suffixBias, NDArray packedValid) {}

    private void checkShapes(NDArray q, NDArray k, NDArray v) {
        Shape qs = q.getShape();
        Shape ks = k.getShape();
        Checks.require(qs.dimension() == 4, "q must be [N, L, H, d] but has shape %s", qs);
        Checks.require(
                ks.dimension() == 4 && ks.equals(v.getShape()),
                "k and v must both be [N, L, Hkv, d] but have shapes %s and %s",
                ks,
                v.getShape());
        Checks.require(
                qs.get(0) == layout.groupCount() && qs.get(1) == layout.packedLength(),
                "q has shape %s but the layout packs %d rows of length %d",
                qs,
                layout.groupCount(),
                layout.packedLength());
        Checks.require(
                ks.get(0) == qs.get(0) && ks.get(1) == qs.get(1) && ks.get(3) == qs.get(3),
                "k has shape %s, which does not match q's %s",
                ks,
                qs);
        Checks.require(
                qs.get(2) % ks.get(2) == 0,
                "%d query heads are not a multiple of %d key/value heads",
                qs.get(2),
                ks.get(2));
        Checks.require(
                q.getDevice().equals(scatter.getDevice()),
                "q is on %s but the layout's arrays are on %s",
                q.getDevice(),
                scatter.getDevice());
    }
}
