package dev.grpo4j.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.grpo4j.core.advantage.Advantages;
import dev.grpo4j.core.rollout.RolloutBatch;

/**
 * The per-token tensors the loss needs besides log-probs, built from an estimator's {@link
 * Advantages} for one {@link RolloutBatch}: advantages {@code [B, T]}, the loss mask {@code [B, T]}
 * (the padding mask, narrowed by the estimator's token mask if it gave one) and, if the estimator
 * gave them, the item bins {@code [B, T]} int32 for ITEM importance sampling. All live in the
 * batch's manager.
 */
record LossTensors(NDArray advantages, NDArray mask, NDArray itemBins) {

    static LossTensors of(RolloutBatch batch, Advantages advantages) {
        int rows = batch.size();
        int width = batch.width();
        int[] lengths = batch.completionLengths();
        double[][] perToken = new double[rows][];
        for (int r = 0; r < rows; r++) {
            perToken[r] = advantages.tokenRow(r, lengths[r]);
        }
        NDArray values = batch.padTokens(perToken);
        NDArray mask = batch.completionMask();
        if (advantages.tokenMask().isPresent()) {
            boolean[][] keep = advantages.tokenMask().get();
            double[][] asDouble = new double[rows][];
            for (int r = 0; r < rows; r++) {
                asDouble[r] = new double[keep[r].length];
                for (int t = 0; t < keep[r].length; t++) {
                    asDouble[r][t] = keep[r][t] ? 1.0 : 0.0;
                }
            }
            mask = mask.mul(batch.padTokens(asDouble));
        }
        NDArray bins = null;
        if (advantages.itemBins().isPresent()) {
            int[][] itemBins = advantages.itemBins().get();
            int[] flat = new int[rows * width];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(itemBins[r], 0, flat, r * width, itemBins[r].length);
            }
            bins = batch.manager().create(flat, new Shape(rows, width));
        }
        return new LossTensors(values, mask, bins);
    }
}
