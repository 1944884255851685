package dev.grpo4j.prefix.layout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.grpo4j.core.rollout.Rollout;
import dev.grpo4j.core.rollout.RolloutBatch;
import dev.grpo4j.core.rollout.RolloutGroup;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrefixLayoutTest {

    /** ALGORITHMS.md section 6, worked layout: Lp = 3, suffix lengths [2, 1]. */
    private static PrefixLayout worked() {
        return PrefixLayout.builder()
                .setPrompts(new int[] {10, 11, 12})
                .setGroupSizes(2)
                .setCompletions(new int[] {20, 21}, new int[] {30})
                .build();
    }

    /** Three groups: prompts of 3, 5 and 1 tokens; G = 2, 1, 3; ragged completions. */
    private static PrefixLayout ragged() {
        return PrefixLayout.builder()
                .setPrompts(new int[] {1, 2, 3}, new int[] {4, 5, 6, 7, 8}, new int[] {9})
                .setGroupSizes(2, 1, 3)
                .setCompletions(
                        new int[] {11, 12},
                        new int[] {13},
                        new int[] {14, 15, 16},
                        new int[] {17},
                        new int[] {18, 19, 20, 21},
                        new int[] {22, 23})
                .build();
    }

    @Test
    void workedLayoutPacksThePromptOnceFollowedByEachSuffix() {
        PrefixLayout layout = worked();
        assertThat(layout.packedTokens()).isDeepEqualTo(new int[][] {{10, 11, 12, 20, 21, 30}});
        assertThat(layout.packedLength()).isEqualTo(6);
        assertThat(layout.suffixStart(0)).isEqualTo(3);
        assertThat(layout.suffixStart(1)).isEqualTo(5);
    }

    @Test
    void workedLayoutRestartsEverySuffixAtThePromptLength() {
        assertThat(worked().positionIds()).isDeepEqualTo(new int[][] {{0, 1, 2, 3, 4, 3}});
    }

    @Test
    void workedLayoutVisibilityMatchesTheSpecification() {
        // Rows are queries p0 p1 p2 a0 a1 b0, columns keys in the same order.
        boolean[][] expected = {
            {true, false, false, false, false, false},
            {true, true, false, false, false, false},
            {true, true, true, false, false, false},
            {true, true, true, true, false, false},
            {true, true, true, true, true, false},
            {true, true, true, false, false, true},
        };
        PrefixLayout layout = worked();
        for (int q = 0; q < 6; q++) {
            for (int k = 0; k < 6; k++) {
                assertThat(layout.isVisible(0, q, k))
                        .as("query %d key %d", q, k)
                        .isEqualTo(expected[q][k]);
            }
        }
        try (NDManager m = NDManager.newBaseManager()) {
            boolean[] mask = layout.visibilityMask(m).toBooleanArray();
            for (int q = 0; q < 6; q++) {
                for (int k = 0; k < 6; k++) {
                    assertThat(mask[q * 6 + k])
                            .as("mask query %d key %d", q, k)
                            .isEqualTo(expected[q][k]);
                }
            }
        }
    }

    @Test
    void workedLayoutLastPromptPositionPredictsEveryFirstToken() {
        PrefixLayout layout = worked();
        // out(p2) -> a0 and b0, out(a0) -> a1.
        assertThat(layout.predictingColumns(0)).containsExactly(2, 3);
        assertThat(layout.predictingColumns(1)).containsExactly(2);
    }

    @Test
    void workedLayoutArraysHoldTheIndexMaps() {
        try (NDManager m = NDManager.newBaseManager();
                PrefixLayoutArrays arrays = worked().toArrays(m)) {
            assertThat(arrays.tokenIds().toIntArray()).containsExactly(10, 11, 12, 20, 21, 30);
            assertThat(arrays.positionIds().toIntArray()).containsExactly(0, 1, 2, 3, 4, 3);
            assertThat(arrays.prefixGather().toLongArray()).containsExactly(0, 1, 2);
            // Suffix part [B=1, G=2, Ls=2]: a0 a1 | b0 pad (padding points at the row start).
            assertThat(arrays.suffixGather().toLongArray()).containsExactly(3, 4, 5, 0);
            // Back: prefix slots 0..2, then suffix slots 3 + (0, 1, 2).
            assertThat(arrays.scatter().toLongArray()).containsExactly(0, 1, 2, 3, 4, 5);
            assertThat(arrays.predictingPositions().toLongArray()).containsExactly(2, 3, 2, 0);
            assertThat(arrays.completionIds().toIntArray()).containsExactly(20, 21, 30, 0);
            assertThat(arrays.completionMask().toBooleanArray())
                    .containsExactly(true, true, true, false);
            assertThat(arrays.suffixVisibility().getShape()).isEqualTo(new Shape(1, 2, 2, 5));
            // a1 sees p0..p2 and a0, a1; the padding slot after b0 sees nothing.
            boolean[] suffix = arrays.suffixVisibility().toBooleanArray();
            assertThat(Arrays.copyOfRange(suffix, 5, 10))
                    .containsExactly(true, true, true, true, true);
            assertThat(Arrays.copyOfRange(suffix, 15, 20))
                    .containsExactly(false, false, false, false, false);
        }
    }

    @Test
    void raggedLayoutPadsRowsOnTheRight() {
        PrefixLayout layout = ragged();
        assertThat(layout.groupCount()).isEqualTo(3);
        assertThat(layout.completionCount()).isEqualTo(6);
        assertThat(layout.rowLength(0)).isEqualTo(6);
        assertThat(layout.rowLength(1)).isEqualTo(8);
        assertThat(layout.rowLength(2)).isEqualTo(8);
        assertThat(layout.packedLength()).isEqualTo(8);
        assertThat(layout.maxPrefixLength()).isEqualTo(5);
        assertThat(layout.maxSuffixLength()).isEqualTo(4);
        assertThat(layout.maxGroupSize()).isEqualTo(3);
        assertThat(layout.packedTokens()[0]).containsExactly(1, 2, 3, 11, 12, 13, 0, 0);
        assertThat(layout.packedTokens()[2]).containsExactly(9, 17, 18, 19, 20, 21, 22, 23);
        assertThat(layout.positionIds()[2]).containsExactly(0, 1, 1, 2, 3, 4, 1, 2);
        assertThat(layout.predictingColumns(4)).containsExactly(0, 2, 3, 4);
        assertThat(layout.groupOf(5)).isEqualTo(2);
        assertThat(layout.completionAt(2, 6)).isEqualTo(5);
    }

    @Test
    void gathersAndScatterAreInverseOnEveryValidPosition() {
        PrefixLayout layout = ragged();
        try (NDManager m = NDManager.newBaseManager();
                PrefixLayoutArrays arrays = layout.toArrays(m)) {
            long[] prefix = arrays.prefixGather().toLongArray();
            long[] suffix = arrays.suffixGather().toLongArray();
            long[] back = arrays.scatter().toLongArray();
            boolean[] valid = arrays.packedMask().toBooleanArray();
            int validCount = 0;
            for (int p = 0; p < back.length; p++) {
                if (!valid[p]) {
                    continue;
                }
                validCount++;
                int slot = (int) back[p];
                long source = slot < prefix.length ? prefix[slot] : suffix[slot - prefix.length];
                assertThat(source).as("packed position %d", p).isEqualTo(p);
            }
            assertThat(validCount).isEqualTo(6 + 8 + 8);
        }
    }

    @Test
    void builderFromRolloutBatchUsesGroupPromptsAndRowOrder() {
        Rollout a = Rollout.builder().setPromptIds(1, 2).setCompletionIds(5, 6).build();
        Rollout b = Rollout.builder().setPromptIds(1, 2).setCompletionIds(7).build();
        Rollout c = Rollout.builder().setPromptIds(3).setCompletionIds(8, 9, 4).build();
        try (NDManager m = NDManager.newBaseManager();
                RolloutBatch batch =
                        RolloutBatch.of(
                                m,
                                List.of(
                                        RolloutGroup.of(List.of(a, b)),
                                        RolloutGroup.of(List.of(c))),
                                DataType.FLOAT32)) {
            PrefixLayout layout =
                    PrefixLayout.builder(batch).optMaxLength(8).optVocabSize(10).build();
            assertThat(layout.packedTokens())
                    .isDeepEqualTo(new int[][] {{1, 2, 5, 6, 7}, {3, 8, 9, 4, 0}});
            assertThat(layout.positionIds())
                    .isDeepEqualTo(new int[][] {{0, 1, 2, 3, 2}, {0, 1, 2, 3, 0}});
            assertThat(layout.groupSize(0)).isEqualTo(2);
            assertThat(layout.groupOf(2)).isEqualTo(1);
        }
    }

    @Test
    void rejectsAnEmptyCompletion() {
        assertThatThrownBy(
                        () ->
                                PrefixLayout.builder()
                                        .setPrompts(new int[] {1, 2})
                                        .setGroupSizes(2)
                                        .setCompletions(new int[] {3}, new int[0])
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("completion 1 (group 0) is empty");
    }

    @Test
    void rejectsEmptyCompletionsOfARolloutBatch() {
        Rollout a = Rollout.builder().setPromptIds(1).setCompletionIds(2).build();
        Rollout empty = Rollout.builder().setPromptIds(1).setCompletionIds().build();
        try (NDManager m = NDManager.newBaseManager();
                RolloutBatch batch =
                        RolloutBatch.of(m, List.of(RolloutGroup.of(List.of(a, empty))))) {
            assertThatThrownBy(() -> PrefixLayout.builder(batch).build())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("completion 1 (group 0) is empty");
        }
    }

    @Test
    void rejectsGroupSizesThatDoNotAddUpToTheCompletions() {
        assertThatThrownBy(
                        () ->
                                PrefixLayout.builder()
                                        .setPrompts(new int[] {1}, new int[] {2})
                                        .setGroupSizes(2, 2)
                                        .setCompletions(new int[] {3}, new int[] {4}, new int[] {5})
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the group sizes sum to 4 but 3 completions were given");
    }

    @Test
    void rejectsAGroupWithoutCompletions() {
        assertThatThrownBy(
                        () ->
                                PrefixLayout.builder()
                                        .setPrompts(new int[] {1}, new int[] {2})
                                        .setGroupSizes(1, 0)
                                        .setCompletions(new int[] {3})
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("group 1 declares 0 completions");
    }

    @Test
    void rejectsMoreGroupSizesThanPrompts() {
        assertThatThrownBy(
                        () ->
                                PrefixLayout.builder()
                                        .setPrompts(new int[] {1})
                                        .setGroupSizes(1, 1)
                                        .setCompletions(new int[] {3}, new int[] {4})
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2 group sizes were given for 1 prompts");
    }

    @Test
    void rejectsAPromptLongerThanTheMaximumLength() {
        assertThatThrownBy(
                        () ->
                                PrefixLayout.builder()
                                        .setPrompts(new int[] {1, 2}, new int[] {1, 2, 3, 4, 5})
                                        .setGroupSizes(1, 1)
                                        .setCompletions(new int[] {3}, new int[] {4})
                                        .optMaxLength(4)
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("prompt 1 has 5 tokens, more than the maximum length 4");
    }

    @Test
    void rejectsACompletionWhosePositionsReachTheMaximumLength() {
        // Positions 0..4 need a maximum length of at least 5.
        assertThatThrownBy(
                        () ->
                                PrefixLayout.builder()
                                        .setPrompts(new int[] {1, 2, 3})
                                        .setGroupSizes(2)
                                        .setCompletions(new int[] {4}, new int[] {5, 6})
                                        .optMaxLength(4)
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(
                        "prompt 0 (3 tokens) plus completion 1 (2 tokens) reaches position 4")
                .hasMessageContaining("maximum length is 4");
    }

    @Test
    void acceptsACompletionThatEndsAtTheLastPosition() {
        PrefixLayout layout =
                PrefixLayout.builder()
                        .setPrompts(new int[] {1, 2, 3})
                        .setGroupSizes(2)
                        .setCompletions(new int[] {4}, new int[] {5})
                        .optMaxLength(4)
                        .build();
        // Packed rows may be longer than the maximum length; only position ids are bounded.
        assertThat(layout.packedLength()).isEqualTo(5);
        assertThat(layout.positionIds()[0]).containsExactly(0, 1, 2, 3, 3);
    }

    @Test
    void rejectsAPromptTokenOutsideTheVocabulary() {
        assertThatThrownBy(
                        () ->
                                PrefixLayout.builder()
                                        .setPrompts(new int[] {1, 64})
                                        .setGroupSizes(1)
                                        .setCompletions(new int[] {3})
                                        .optVocabSize(64)
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("prompt 0 token 1 has id 64, outside the vocabulary [0, 64)");
    }

    @Test
    void rejectsACompletionTokenOutsideTheVocabulary() {
        assertThatThrownBy(
                        () ->
                                PrefixLayout.builder()
                                        .setPrompts(new int[] {1})
                                        .setGroupSizes(2)
                                        .setCompletions(new int[] {3}, new int[] {2, 99})
                                        .optVocabSize(64)
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(
                        "completion 1 token 1 has id 99, outside the vocabulary [0, 64)");
    }

    @Test
    void rejectsNegativeTokenIdsWithoutAVocabularySize() {
        assertThatThrownBy(
                        () ->
                                PrefixLayout.builder()
                                        .setPrompts(new int[] {1})
                                        .setGroupSizes(1)
                                        .setCompletions(new int[] {-3})
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("completion 0 token 0 has negative id -3");
    }

    @Test
    void rejectsAnEmptyPrompt() {
        assertThatThrownBy(
                        () ->
                                PrefixLayout.builder()
                                        .setPrompts(new int[0])
                                        .setGroupSizes(1)
                                        .setCompletions(new int[] {3})
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("prompt 0 is empty");
    }
}
