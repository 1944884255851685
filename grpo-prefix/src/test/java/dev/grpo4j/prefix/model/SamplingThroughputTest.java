package dev.grpo4j.prefix.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

class SamplingThroughputTest {

    @Test
    void cachedAndUncachedDecodersEndWithTheSameLogitsAndFreeEverything() {
        try (NDManager m = NDManager.newBaseManager()) {
            CausalTransformer model =
                    CausalTransformer.create(m, TinyTransformers.grouped(), DataType.FLOAT32, 51);
            int before = m.getManagedArrays().size();
            SamplingThroughput.Result result =
                    SamplingThroughput.measure(
                            model,
                            new ParameterStore(m, false),
                            m,
                            new int[][] {{1, 2, 3, 4}, {5, 6}},
                            3,
                            5,
                            9L);
            assertThat(result.streams()).isEqualTo(6);
            assertThat(result.newTokens()).isEqualTo(5);
            assertThat(result.cachedNanos()).isPositive();
            assertThat(result.uncachedNanos()).isPositive();
            assertThat(result.maxAbsLogitDiff()).isLessThan(1e-5);
            assertThat(m.getManagedArrays()).hasSize(before);
        }
    }

    @Test
    void rejectsZeroNewTokens() {
        try (NDManager m = NDManager.newBaseManager()) {
            CausalTransformer model =
                    CausalTransformer.create(m, TinyTransformers.grouped(), DataType.FLOAT32, 52);
            assertThatThrownBy(
                            () ->
                                    SamplingThroughput.measure(
                                            model,
                                            new ParameterStore(m, false),
                                            m,
                                            new int[][] {{1}},
                                            1,
                                            0,
                                            1L))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("newTokens must be > 0 but was 0");
        }
    }
}
