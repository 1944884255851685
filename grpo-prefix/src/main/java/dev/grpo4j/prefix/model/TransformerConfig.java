package dev.grpo4j.prefix.model;

import dev.grpo4j.core.util.Checks;
import java.util.Objects;

/**
 * The sizes of a {@link CausalTransformer}. Immutable; build with {@link #builder()}.
 *
 * <p>Required: vocabulary size, model width, layer count, query heads and maximum sequence length.
 * Optional, with defaults: key/value heads (= query heads, i.e. no grouping), MLP width ({@code 4 *
 * width}), rotary base {@value #DEFAULT_ROPE_THETA} and RMSNorm epsilon {@value
 * #DEFAULT_NORM_EPSILON}. The head width is {@code width / heads}; it must be even because rotary
 * positions rotate pairs of features.
 */
public final class TransformerConfig {

    /** The default rotary base, as in the RoFormer and Llama papers. */
    public static final double DEFAULT_ROPE_THETA = 10000.0;

    /** The default RMSNorm epsilon. */
    public static final double DEFAULT_NORM_EPSILON = 1e-5;

    private final int vocabSize;
    private final int width;
    private final int layers;
    private final int heads;
    private final int kvHeads;
    private final int mlpWidth;
    private final int maxSequenceLength;
    private final double ropeTheta;
    private final double normEpsilon;

    private TransformerConfig(Builder b) {
        this.vocabSize = b.vocabSize;
        this.width = b.width;
        this.layers = b.layers;
        this.heads = b.heads;
        this.kvHeads = b.kvHeads == 0 ? b.heads : b.kvHeads;
        this.mlpWidth = b.mlpWidth == 0 ? 4 * b.width : b.mlpWidth;
        this.maxSequenceLength = b.maxSequenceLength;
        this.ropeTheta = b.ropeTheta;
        this.normEpsilon = b.normEpsilon;
    }

    /**
     * Starts a builder.
     *
     * @return a builder with the optional values at their defaults
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The vocabulary size V; token ids are {@code 0..V-1}.
     *
     * @return V
     */
    public int vocabSize() {
        return vocabSize;
    }

    /**
     * The model width D (embedding and residual stream size).
     *
     * @return D
     */
    public int width() {
        return width;
    }

    /**
     * The number of transformer layers.
     *
     * @return the layer count
     */
    public int layers() {
        return layers;
    }

    /**
     * The number of query heads H.
     *
     * @return H
     */
    public int heads() {
        return heads;
    }

    /**
     * The number of key/value heads Hkv; H is a multiple of it and query head h reads key/value
     * head {@code h / (H / Hkv)}.
     *
     * @return Hkv
     */
    public int kvHeads() {
        return kvHeads;
    }

    /**
     * The width of one head, {@code D / H}.
     *
     * @return d
     */
    public int headDim() {
        return width / heads;
    }

    /**
     * The hidden width F of the SwiGLU MLP.
     *
     * @return F
     */
    public int mlpWidth() {
        return mlpWidth;
    }

    /**
     * The longest sequence the model accepts: position ids lie in {@code 0..maxSequenceLength-1}.
     *
     * @return the maximum length in tokens
     */
    public int maxSequenceLength() {
        return maxSequenceLength;
    }

    /**
     * The rotary base: feature pair i turns at {@code theta^(-2i/d)} radians per position.
     *
     * @return theta
     */
    public double ropeTheta() {
        return ropeTheta;
    }

    /**
     * The epsilon added to the mean square in RMSNorm.
     *
     * @return epsilon
     */
    public double normEpsilon() {
        return normEpsilon;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof TransformerConfig)) {
            return false;
        }
        TransformerConfig c = (TransformerConfig) o;
        return vocabSize == c.vocabSize
                && width == c.width
                && layers == c.layers
                && heads == c.heads
                && kvHeads == c.kvHeads
                && mlpWidth == c.mlpWidth
                && maxSequenceLength == c.maxSequenceLength
                && Double.compare(ropeTheta, c.ropeTheta) == 0
                && Double.compare(normEpsilon, c.normEpsilon) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                vocabSize,
                width,
                layers,
                heads,
                kvHeads,
                mlpWidth,
                maxSequenceLength,
                ropeTheta,
                normEpsilon);
    }

    @Override
    public String toString() {
        return "TransformerConfig{vocabSize="
                + vocabSize
                + ", width="
                + width
                + ", layers="
                + layers
                + ", heads="
                + heads
                + ", kvHeads="
                + kvHeads
                + ", mlpWidth="
                + mlpWidth
                + ", maxSequenceLength="
                + maxSequenceLength
                + ", ropeTheta="
                + ropeTheta
                + ", normEpsilon="
                + normEpsilon
                + '}';
    }

    /**
     * Builds a {@link TransformerConfig}; setters check their own value, {@link #build()} the mix.
     */
    public static final class Builder {
        private int vocabSize;
        private int width;
        private int layers;
        private int heads;
        private int kvHeads;
        private int mlpWidth;
        private int maxSequenceLength;
        private double ropeTheta = DEFAULT_ROPE_THETA;
        private double normEpsilon = DEFAULT_NORM_EPSILON;

        private Builder() {}

        /**
         * Sets the vocabulary size (required).
         *
         * @param vocabSize {@code > 0}
         * @return this builder
         */
        public Builder setVocabSize(int vocabSize) {
            this.vocabSize = Checks.positive("vocabSize", vocabSize);
            return this;
        }

        /**
         * Sets the model width (required).
         *
         * @param width {@code > 0}, a multiple of the head count with an even quotient
         * @return this builder
         */
        public Builder setWidth(int width) {
            this.width = Checks.positive("width", width);
            return this;
        }

        /**
         * Sets the number of layers (required).
         *
         * @param layers {@code > 0}
         * @return this builder
         */
        public Builder setLayers(int layers) {
            this.layers = Checks.positive("layers", layers);
            return this;
        }

        /**
         * Sets the number of query heads (required).
         *
         * @param heads {@code > 0}, dividing the width
         * @return this builder
         */
        public Builder setHeads(int heads) {
            this.heads = Checks.positive("heads", heads);
            return this;
        }

        /**
         * Sets the maximum sequence length (required).
         *
         * @param maxSequenceLength {@code > 0}
         * @return this builder
         */
        public Builder setMaxSequenceLength(int maxSequenceLength) {
            this.maxSequenceLength = Checks.positive("maxSequenceLength", maxSequenceLength);
            return this;
        }

        /**
         * Sets the number of key/value heads (default: the number of query heads).
         *
         * @param kvHeads {@code > 0}, dividing the number of query heads
         * @return this builder
         */
        public Builder optKvHeads(int kvHeads) {
            this.kvHeads = Checks.positive("kvHeads", kvHeads);
            return this;
        }

        /**
         * Sets the MLP hidden width (default {@code 4 * width}).
         *
         * @param mlpWidth {@code > 0}
         * @return this builder
         */
        public Builder optMlpWidth(int mlpWidth) {
            this.mlpWidth = Checks.positive("mlpWidth", mlpWidth);
            return this;
        }

        /**
         * Sets the rotary base (default {@value #DEFAULT_ROPE_THETA}).
         *
         * @param ropeTheta a finite value {@code > 1}
         * @return this builder
         */
        public Builder optRopeTheta(double ropeTheta) {
            Checks.require(
                    ropeTheta > 1 && Double.isFinite(ropeTheta),
                    "ropeTheta must be a finite number > 1 but was %s",
                    ropeTheta);
            this.ropeTheta = ropeTheta;
            return this;
        }

        /**
         * Sets the RMSNorm epsilon (default {@value #DEFAULT_NORM_EPSILON}).
         *
         * @param normEpsilon a finite value {@code > 0}
         * @return this builder
         */
        public Builder optNormEpsilon(double normEpsilon) {
            this.normEpsilon = Checks.positive("normEpsilon", normEpsilon);
            return this;
        }

        /**
         * Validates the combination and builds the config.
         *
         * @return the config
         * @throws IllegalArgumentException if a required value is missing or the sizes do not fit
         */
        public TransformerConfig build() {
            Checks.require(vocabSize > 0, "vocabSize is required");
            Checks.require(width > 0, "width is required");
            Checks.require(layers > 0, "layers is required");
            Checks.require(heads > 0, "heads is required");
            Checks.require(maxSequenceLength > 0, "maxSequenceLength is required");
            Checks.require(
                    width % heads == 0, "width %d is not a multiple of heads %d", width, heads);
            Checks.require(
                    (width / heads) % 2 == 0,
                    "head width %d (width %d / heads %d) must be even for rotary positions",
                    width / heads,
                    width,
                    heads);
            int kv = kvHeads == 0 ? heads : kvHeads;
            Checks.require(heads % kv == 0, "heads %d is not a multiple of kvHeads %d", heads, kv);
            return new TransformerConfig(this);
        }
    }
}
