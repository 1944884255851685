package dev.grpo4j.core.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

class RolloutBatchTest {

    @Test
    void padsRowsOnTheRightWithMasks() {
        Rollout a =
                Rollout.builder()
                        .setPromptIds(1, 2)
                        .setCompletionIds(3, 4, 5)
                        .optSamplingLogProbs(-0.1f, -0.2f, -0.3f)
                        .build();
        Rollout b =
                Rollout.builder()
                        .setPromptIds(1, 2)
                        .setCompletionIds(6)
                        .optSamplingLogProbs(-0.5f)
                        .optTruncated(true)
                        .build();
        Rollout c =
                Rollout.builder()
                        .setPromptIds(7)
                        .setCompletionIds(8, 9)
                        .optSamplingLogProbs(-1f, -2f)
                        .build();
        try (NDManager m = NDManager.newBaseManager();
                RolloutBatch batch =
                        RolloutBatch.of(
                                m,
                                List.of(
                                        RolloutGroup.of(List.of(a, b)),
                                        RolloutGroup.of(List.of(c))),
                                DataType.FLOAT64)) {
            assertThat(batch.size()).isEqualTo(3);
            assertThat(batch.width()).isEqualTo(3);
            assertThat(batch.completionIds().getShape()).isEqualTo(new Shape(3, 3));
            assertThat(batch.completionIds().toIntArray())
                    .containsExactly(3, 4, 5, 6, 0, 0, 8, 9, 0);
            assertThat(batch.completionMask().toDoubleArray())
                    .containsExactly(1, 1, 1, 1, 0, 0, 1, 1, 0);
            assertThat(batch.completionMask().getDataType()).isEqualTo(DataType.FLOAT64);
            assertThat(batch.samplingLogProbs().toDoubleArray()[5]).isEqualTo(0.0);
            assertThat(batch.samplingLogProbs().toDoubleArray()[1]).isEqualTo(-0.2f);
            assertThat(batch.truncatedMask().toDoubleArray()).containsExactly(0, 1, 0);
            assertThat(batch.groupOf(2)).isEqualTo(1);
            assertThat(batch.groupStart(1)).isEqualTo(2);
            assertThat(batch.groupSize(0)).isEqualTo(2);
            assertThat(batch.groupPrompt(1)).containsExactly(7);
        }
    }

    @Test
    void closingTheBatchFreesItsArrays() {
        Rollout a = Rollout.builder().setPromptIds(1).setCompletionIds(2).build();
        try (NDManager m = NDManager.newBaseManager()) {
            RolloutBatch batch = RolloutBatch.of(m, List.of(RolloutGroup.of(List.of(a))));
            assertThat(m.getManagedArrays()).isNotEmpty();
            batch.close();
            assertThat(m.getManagedArrays()).isEmpty();
        }
    }
}
