package dev.grpo4j.prefix.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.Arrays;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CachedDecoderTest {

    /** Prompts of different lengths, one of a single token; all leave room for appended tokens. */
    private static final int[][] PROMPTS = {
        {1, 2, 3}, {4, 5, 6, 7, 8, 9, 10}, {11, 0, 2, 2, 5}, {12}
    };

    private static final int SAMPLES = 3;
    private static final int STEPS = 4;

    /**
     * Full recomputation: stream s's whole sequence as its own row, logits at its last position.
     */
    private static double[] recomputed(
            CausalTransformer model, ParameterStore store, NDManager m, int[] sequence) {
        NDArray logits =
                model.logits(store, m.create(sequence, new Shape(1, sequence.length)), null, false);
        return logits.get(0, sequence.length - 1).toType(DataType.FLOAT64, false).toDoubleArray();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"float32, 1e-5", "float64, 1e-10"})
    void cachedLogitsEqualFullRecomputationOverSeveralSteps(String type, double tolerance) {
        DataType dataType = DataType.valueOf(type.toUpperCase(Locale.ROOT));
        try (NDManager m = NDManager.newBaseManager()) {
            CausalTransformer model =
                    CausalTransformer.create(m, TinyTransformers.grouped(), dataType, 31);
            ParameterStore store = new ParameterStore(m, false);
            int streams = PROMPTS.length * SAMPLES;
            int[][] sequences = new int[streams][];
            for (int s = 0; s < streams; s++) {
                sequences[s] = PROMPTS[s / SAMPLES].clone();
            }
            try (CachedDecoder decoder = model.newDecoder(store, m, PROMPTS, SAMPLES)) {
                assertThat(decoder.streamCount()).isEqualTo(streams);
                for (int step = 0; step <= STEPS; step++) {
                    assertThat(decoder.generatedLength()).isEqualTo(step);
                    assertThat(decoder.logits().getShape()).isEqualTo(new Shape(streams, 13));
                    assertThat(decoder.logits().getDataType()).isEqualTo(DataType.FLOAT32);
                    double[] cached =
                            decoder.modelLogits().toType(DataType.FLOAT64, false).toDoubleArray();
                    for (int s = 0; s < streams; s++) {
                        double[] expected = recomputed(model, store, m, sequences[s]);
                        for (int v = 0; v < expected.length; v++) {
                            assertThat(cached[s * 13 + v])
                                    .as("step %d stream %d token %d", step, s, v)
                                    .isCloseTo(expected[v], within(tolerance));
                        }
                    }
                    if (step == STEPS) {
                        break;
                    }
                    // Streams of one prompt get different tokens, so their suffixes diverge.
                    int[] next = new int[streams];
                    for (int s = 0; s < streams; s++) {
                        next[s] = (5 * s + 3 * step + 1) % 13;
                        sequences[s] = Arrays.copyOf(sequences[s], sequences[s].length + 1);
                        sequences[s][sequences[s].length - 1] = next[s];
                    }
                    decoder.append(next);
                }
            }
        }
    }

    @Test
    void appendFreesThePreviousLogitsAndCloseFreesTheCache() {
        try (NDManager m = NDManager.newBaseManager()) {
            CausalTransformer model =
                    CausalTransformer.create(m, TinyTransformers.grouped(), DataType.FLOAT64, 32);
            ParameterStore store = new ParameterStore(m, false);
            int before = m.getManagedArrays().size();
            CachedDecoder decoder = model.newDecoder(store, m, PROMPTS, 2);
            NDArray first = decoder.logits();
            NDArray firstModel = decoder.modelLogits();
            decoder.append(new int[] {1, 2, 3, 4, 5, 6, 7, 8});
            assertThat(first.isReleased()).isTrue();
            assertThat(firstModel.isReleased()).isTrue();
            decoder.append(new int[] {8, 7, 6, 5, 4, 3, 2, 1});
            // Per layer: prompt keys and values, suffix keys and values; plus the mask and logits.
            assertThat(m.getManagedArrays().size() - before).isEqualTo(2 * 4 + 1 + 2);
            decoder.close();
            assertThat(m.getManagedArrays()).hasSize(before);
        }
    }

    @Test
    void rejectsAppendingTheWrongNumberOfTokens() {
        try (NDManager m = NDManager.newBaseManager()) {
            CausalTransformer model =
                    CausalTransformer.create(m, TinyTransformers.grouped(), DataType.FLOAT32, 33);
            try (CachedDecoder decoder =
                    model.newDecoder(new ParameterStore(m, false), m, PROMPTS, 2)) {
                assertThatThrownBy(() -> decoder.append(new int[] {1, 2, 3}))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("expected 8 tokens")
                        .hasMessageContaining("got 3");
            }
        }
    }

    @Test
    void rejectsAppendingATokenOutsideTheVocabulary() {
        try (NDManager m = NDManager.newBaseManager()) {
            CausalTransformer model =
                    CausalTransformer.create(m, TinyTransformers.grouped(), DataType.FLOAT32, 34);
            try (CachedDecoder decoder =
                    model.newDecoder(new ParameterStore(m, false), m, new int[][] {{1}}, 2)) {
                assertThatThrownBy(() -> decoder.append(new int[] {1, -4}))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("stream 1")
                        .hasMessageContaining("id -4");
            }
        }
    }

    @Test
    void rejectsAppendingBeyondTheMaximumLength() {
        try (NDManager m = NDManager.newBaseManager()) {
            CausalTransformer model =
                    CausalTransformer.create(m, TinyTransformers.grouped(), DataType.FLOAT32, 35);
            int[] full = new int[TinyTransformers.MAX_LENGTH];
            try (CachedDecoder decoder =
                    model.newDecoder(new ParameterStore(m, false), m, new int[][] {full}, 1)) {
                assertThatThrownBy(() -> decoder.append(new int[] {1}))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("25 tokens")
                        .hasMessageContaining("maximum length 24");
            }
        }
    }

    @Test
    void rejectsAPromptLongerThanTheMaximumLength() {
        try (NDManager m = NDManager.newBaseManager()) {
            CausalTransformer model =
                    CausalTransformer.create(m, TinyTransformers.grouped(), DataType.FLOAT32, 36);
            int[][] prompts = {{1}, new int[TinyTransformers.MAX_LENGTH + 1]};
            assertThatThrownBy(() -> model.newDecoder(new ParameterStore(m, false), m, prompts, 1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("prompt 1 has 25 tokens");
        }
    }
}
