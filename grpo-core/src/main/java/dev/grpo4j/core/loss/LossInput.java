package dev.grpo4j.core.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Everything one {@link PolicyGradientLoss#compute(LossInput)} call reads. B is the number of rows
 * (completions), T the padded completion length.
 *
 * <ul>
 *   <li>{@code logProbs} (required): {@code [B, T]} float32 or float64 log-probabilities of the
 *       sampled tokens under the current policy, differentiable; its type is the loss's type and
 *       its manager owns every intermediate.
 *   <li>{@code advantages} (required): {@code [B]} (broadcast to the row's tokens) or {@code [B,
 *       T]}.
 *   <li>{@code mask} (required): {@code [B, T]} 0/1, 1 for a token that enters the loss.
 *   <li>{@code oldLogProbs}: {@code [B, T]} under the behaviour policy. Absent: the detached {@code
 *       logProbs} are used, so every ratio is 1 and the gradient is {@code A * grad(lp)}, as TRL
 *       does when each generation batch is used for a single optimizer step ({@code num_iterations
 *       = 1}).
 *   <li>{@code refLogProbs}: {@code [B, T]} under the reference policy; required when beta > 0.
 *   <li>{@code entropies}: {@code [B, T]} per-token entropies (no gradient); required by the
 *       top-entropy-quantile filter, and reported as the {@code entropy} metric when given.
 *   <li>{@code itemBins}: {@code [B, T]} non-negative integer bins; required by {@link
 *       ImportanceSampling#ITEM}.
 *   <li>{@code truncated}: {@code [B]} 0/1, 1 for a completion cut off by the length limit; read
 *       only when truncated completions are masked.
 *   <li>{@code tokenNormalizer}: the N of {@link Aggregation#TOKEN_MEAN}, e.g. the active-token
 *       count of the whole accumulated batch when this call sees one micro-batch of it; by default
 *       this batch's active-token count.
 * </ul>
 *
 * <p>All values must be finite everywhere, padding included. The arrays stay owned by the caller;
 * this object only refers to them.
 */
public final class LossInput {

    private final NDArray logProbs;
    private final NDArray advantages;
    private final NDArray mask;
    private final NDArray oldLogProbs;
    private final NDArray refLogProbs;
    private final NDArray entropies;
    private final NDArray itemBins;
    private final NDArray truncated;
    private final OptionalDouble tokenNormalizer;

    private LossInput(Builder b) {
        this.logProbs = Objects.requireNonNull(b.logProbs, "logProbs is required");
        this.advantages = Objects.requireNonNull(b.advantages, "advantages are required");
        this.mask = Objects.requireNonNull(b.mask, "mask is required");
        this.oldLogProbs = b.oldLogProbs;
        this.refLogProbs = b.refLogProbs;
        this.entropies = b.entropies;
        this.itemBins = b.itemBins;
        this.truncated = b.truncated;
        this.tokenNormalizer = b.tokenNormalizer;

        DataType type = logProbs.getDataType();
        if (type != DataType.FLOAT32 && type != DataType.FLOAT64) {
            throw new IllegalArgumentException(
                    "logProbs must be float32 or float64 but was " + type);
        }
        Shape shape = logProbs.getShape();
        if (shape.dimension() != 2) {
            throw new IllegalArgumentException(
                    "logProbs must have shape [B, T] but had shape " + shape);
        }
        if (shape.get(0) == 0 || shape.get(1) == 0) {
            throw new IllegalArgumentException(
                    "empty batch: logProbs has shape "
                            + shape
                            + "; the loss needs at least one row and one column");
        }
        requireSameShape("mask", mask, shape);
        requireSameShape("oldLogProbs", oldLogProbs, shape);
        requireSameShape("refLogProbs", refLogProbs, shape);
        requireSameShape("entropies", entropies, shape);
        requireSameShape("itemBins", itemBins, shape);
        Shape rows = new Shape(shape.get(0));
        if (!advantages.getShape().equals(rows) && !advantages.getShape().equals(shape)) {
            throw new IllegalArgumentException(
                    "advantages have shape "
                            + advantages.getShape()
                            + " but must have shape "
                            + rows
                            + " or "
                            + shape
                            + " to match logProbs");
        }
        if (truncated != null && !truncated.getShape().equals(rows)) {
            throw new IllegalArgumentException(
                    "truncated has shape "
                            + truncated.getShape()
                            + " but must have shape "
                            + rows
                            + " (one flag per row of logProbs "
                            + shape
                            + ")");
        }
    }

    /**
     * A builder; logProbs, advantages and mask are required.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The current policy's log-probs.
     *
     * @return {@code [B, T]}
     */
    public NDArray logProbs() {
        return logProbs;
    }

    /**
     * The advantages.
     *
     * @return {@code [B]} or {@code [B, T]}
     */
    public NDArray advantages() {
        return advantages;
    }

    /**
     * The loss mask.
     *
     * @return {@code [B, T]}
     */
    public NDArray mask() {
        return mask;
    }

    /**
     * The behaviour policy's log-probs.
     *
     * @return {@code [B, T]}, or empty to use the detached current log-probs
     */
    public Optional<NDArray> oldLogProbs() {
        return Optional.ofNullable(oldLogProbs);
    }

    /**
     * The reference policy's log-probs.
     *
     * @return {@code [B, T]}, or empty
     */
    public Optional<NDArray> refLogProbs() {
        return Optional.ofNullable(refLogProbs);
    }

    /**
     * The per-token entropies.
     *
     * @return {@code [B, T]}, or empty
     */
    public Optional<NDArray> entropies() {
        return Optional.ofNullable(entropies);
    }

    /**
     * The item bins for {@link ImportanceSampling#ITEM}.
     *
     * @return {@code [B, T]} integers, or empty
     */
    public Optional<NDArray> itemBins() {
        return Optional.ofNullable(itemBins);
    }

    /**
     * The truncation flags.
     *
     * @return {@code [B]}, or empty
     */
    public Optional<NDArray> truncated() {
        return Optional.ofNullable(truncated);
    }

    /**
     * The explicit token normaliser of {@link Aggregation#TOKEN_MEAN}.
     *
     * @return N, or empty for this batch's active-token count
     */
    public OptionalDouble tokenNormalizer() {
        return tokenNormalizer;
    }

    private static void requireSameShape(String name, NDArray array, Shape expected) {
        if (array != null && !array.getShape().equals(expected)) {
            throw new IllegalArgumentException(
                    name
                            + " has shape "
                            + array.getShape()
                            + " but logProbs has shape "
                            + expected
                            + "; they must match");
        }
    }

    static double checkNormalizer(double n) {
        if (!(n > 0) || !Double.isFinite(n)) {
            throw new IllegalArgumentException(
                    "token normalizer must be a finite number > 0 but was " + n);
        }
        return n;
    }

    /** Builds a {@link LossInput}; {@code setX} for required parts, {@code optX} for the rest. */
    public static final class Builder {
        private NDArray logProbs;
        private NDArray advantages;
        private NDArray mask;
        private NDArray oldLogProbs;
        private NDArray refLogProbs;
        private NDArray entropies;
        private NDArray itemBins;
        private NDArray truncated;
        private OptionalDouble tokenNormalizer = OptionalDouble.empty();

        private Builder() {}

        /**
         * Sets the current policy's log-probs.
         *
         * @param value {@code [B, T]} float32 or float64
         * @return this builder
         */
        public Builder setLogProbs(NDArray value) {
            this.logProbs = value;
            return this;
        }

        /**
         * Sets the advantages.
         *
         * @param value {@code [B]} or {@code [B, T]}
         * @return this builder
         */
        public Builder setAdvantages(NDArray value) {
            this.advantages = value;
            return this;
        }

        /**
         * Sets the loss mask.
         *
         * @param value {@code [B, T]} 0/1
         * @return this builder
         */
        public Builder setMask(NDArray value) {
            this.mask = value;
            return this;
        }

        /**
         * Sets the behaviour policy's log-probs.
         *
         * @param value {@code [B, T]}, or null for the detached current log-probs
         * @return this builder
         */
        public Builder optOldLogProbs(NDArray value) {
            this.oldLogProbs = value;
            return this;
        }

        /**
         * Sets the reference policy's log-probs.
         *
         * @param value {@code [B, T]}, or null
         * @return this builder
         */
        public Builder optRefLogProbs(NDArray value) {
            this.refLogProbs = value;
            return this;
        }

        /**
         * Sets the per-token entropies.
         *
         * @param value {@code [B, T]}, or null
         * @return this builder
         */
        public Builder optEntropies(NDArray value) {
            this.entropies = value;
            return this;
        }

        /**
         * Sets the item bins.
         *
         * @param value {@code [B, T]} non-negative integers, or null
         * @return this builder
         */
        public Builder optItemBins(NDArray value) {
            this.itemBins = value;
            return this;
        }

        /**
         * Sets the truncation flags.
         *
         * @param value {@code [B]} 0/1, or null
         * @return this builder
         */
        public Builder optTruncated(NDArray value) {
            this.truncated = value;
            return this;
        }

        /**
         * Sets the token normaliser N of {@link Aggregation#TOKEN_MEAN}.
         *
         * @param value N, finite and {@code > 0}
         * @return this builder
         */
        public Builder optTokenNormalizer(double value) {
            this.tokenNormalizer = OptionalDouble.of(checkNormalizer(value));
            return this;
        }

        /**
         * Validates shapes and types (values are checked by the loss).
         *
         * @return the input
         * @throws IllegalArgumentException naming a wrong type or mismatched shapes
         * @throws NullPointerException if a required array is missing
         */
        public LossInput build() {
            return new LossInput(this);
        }
    }
}
