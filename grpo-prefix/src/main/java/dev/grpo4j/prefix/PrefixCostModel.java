package dev.grpo4j.prefix;

import dev.grpo4j.core.util.Checks;
import dev.grpo4j.prefix.model.CausalTransformer;
import dev.grpo4j.prefix.model.TransformerConfig;

/**
 * Prefix Grouper's FLOP model (ALGORITHMS.md section 6, "Cost model", from the tech report) applied
 * to a decoder-only transformer of given sizes: how much work the plain layout (every completion
 * with its own copy of the prompt) and the packed layout (the prompt once per group) need for one
 * group of G completions of equal length, and the speedup that predicts.
 *
 * <p>Per layer, with {@code n d = H d} the query width:
 *
 * <ul>
 *   <li>attention: plain {@code G (Lp + Ls)^2 d n}, packed {@code Lp^2 d n + G Ls (2 Lp + Ls) d n},
 *       each (query, key) pair costing {@code 4 H d} FLOPs (scores and weighted values);
 *   <li>pointwise (q/k/v/o projections and a SwiGLU MLP): plain {@code G (Lp + Ls) C}, packed
 *       {@code (Lp + G Ls) C}, with {@code C = 2 (D H d + 2 D Hkv d + H d D + 3 D M)} FLOPs per
 *       token.
 * </ul>
 *
 * <p>The tied language-model head ({@code 2 D V} FLOPs per token) is counted as one more pointwise
 * term, once, after the last layer. Backward passes cost about twice the forward in both layouts,
 * so the ratio holds for forward plus backward. The model counts what the report counts: full score
 * matrices (masked entries included) and no softmax, norm or copy costs.
 *
 * @param layers the number of transformer layers
 * @param width the model width D
 * @param heads the query heads H
 * @param kvHeads the key/value heads Hkv
 * @param headDim the head width d
 * @param mlpWidth the MLP's inner width M
 * @param vocabSize the vocabulary size V
 */
public record PrefixCostModel(
        int layers, int width, int heads, int kvHeads, int headDim, int mlpWidth, int vocabSize) {

    /** Checks that every size is positive. */
    public PrefixCostModel {
        Checks.positive("layers", layers);
        Checks.positive("width", width);
        Checks.positive("heads", heads);
        Checks.positive("kvHeads", kvHeads);
        Checks.positive("headDim", headDim);
        Checks.positive("mlpWidth", mlpWidth);
        Checks.positive("vocabSize", vocabSize);
    }

    /**
     * The cost model of a {@link CausalTransformer}.
     *
     * @param config the transformer's sizes
     * @return the model
     */
    public static PrefixCostModel of(TransformerConfig config) {
        return new PrefixCostModel(
                config.layers(),
                config.width(),
                config.heads(),
                config.kvHeads(),
                config.headDim(),
                config.mlpWidth(),
                config.vocabSize());
    }

    /**
     * The attention cost of the packed layout relative to the plain one, independent of model
     * sizes: {@code (Lp^2 + G Ls (2 Lp + Ls)) / (G (Lp + Ls)^2)}.
     *
     * @param prefix Lp, the prompt length
     * @param suffix Ls, the completion length
     * @param group G, the completions per prompt
     * @return packed / plain, at most 1 (equal for G = 1)
     */
    public static double attentionRatio(int prefix, int suffix, int group) {
        checkShape(prefix, suffix, group);
        return packedAttentionPairs(prefix, suffix, group)
                / plainAttentionPairs(prefix, suffix, group);
    }

    /**
     * The pointwise cost of the packed layout relative to the plain one: {@code (Lp + G Ls) / (G
     * (Lp + Ls))}, the ratio of token counts.
     *
     * @param prefix Lp, the prompt length
     * @param suffix Ls, the completion length
     * @param group G, the completions per prompt
     * @return packed / plain, at most 1
     */
    public static double pointwiseRatio(int prefix, int suffix, int group) {
        checkShape(prefix, suffix, group);
        return packedTokens(prefix, suffix, group) / plainTokens(prefix, suffix, group);
    }

    /**
     * Forward FLOPs of the plain layout for one group.
     *
     * @param prefix Lp, the prompt length
     * @param suffix Ls, the completion length
     * @param group G, the completions per prompt
     * @return FLOPs
     */
    public double plainFlops(int prefix, int suffix, int group) {
        checkShape(prefix, suffix, group);
        return flops(
                plainAttentionPairs(prefix, suffix, group), plainTokens(prefix, suffix, group));
    }

    /**
     * Forward FLOPs of the packed layout for one group.
     *
     * @param prefix Lp, the prompt length
     * @param suffix Ls, the completion length
     * @param group G, the completions per prompt
     * @return FLOPs
     */
    public double packedFlops(int prefix, int suffix, int group) {
        checkShape(prefix, suffix, group);
        return flops(
                packedAttentionPairs(prefix, suffix, group), packedTokens(prefix, suffix, group));
    }

    /**
     * The predicted speedup of the packed layout: plain FLOPs / packed FLOPs.
     *
     * @param prefix Lp, the prompt length
     * @param suffix Ls, the completion length
     * @param group G, the completions per prompt
     * @return the ratio, at least 1 (equal for G = 1)
     */
    public double speedup(int prefix, int suffix, int group) {
        return plainFlops(prefix, suffix, group) / packedFlops(prefix, suffix, group);
    }

    /**
     * FLOPs per token per layer of the projections and the MLP.
     *
     * @return {@code C = 2 (D H d + 2 D Hkv d + H d D + 3 D M)}
     */
    public double pointwiseFlopsPerToken() {
        double d = width;
        double query = (double) heads * headDim;
        double keyValue = (double) kvHeads * headDim;
        return 2 * (d * query + 2 * d * keyValue + query * d + 3 * d * mlpWidth);
    }

    private double flops(double attentionPairs, double tokens) {
        double attention = 4.0 * heads * headDim * attentionPairs;
        double pointwise = pointwiseFlopsPerToken() * tokens;
        double head = 2.0 * width * vocabSize * tokens;
        return layers * (attention + pointwise) + head;
    }

    private static double plainAttentionPairs(int prefix, int suffix, int group) {
        double length = (double) prefix + suffix;
        return group * length * length;
    }

    private static double packedAttentionPairs(int prefix, int suffix, int group) {
        double p = prefix;
        return p * p + (double) group * suffix * (2 * p + suffix);
    }

    private static double plainTokens(int prefix, int suffix, int group) {
        return (double) group * ((double) prefix + suffix);
    }

    private static double packedTokens(int prefix, int suffix, int group) {
        return (double) prefix + (double) group * suffix;
    }

    private static void checkShape(int prefix, int suffix, int group) {
        Checks.positive("prefix length", prefix);
        Checks.positive("suffix length", suffix);
        Checks.positive("group size", group);
    }
}
