package dev.grpo4j.examples.gigpo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import dev.grpo4j.core.policy.CausalLmPolicy;
import dev.grpo4j.prefix.model.CausalTransformer;
import dev.grpo4j.prefix.model.TransformerConfig;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GridEvaluationTest {

    private static final GridMap CORRIDOR = GridMap.parse(0, ".....");

    /** From the left end to the fourth cell: three moves right. */
    private static final GridTask RIGHT_THREE =
            new GridTask(CORRIDOR, new Cell(0, 0), new Cell(0, 3));

    /** From the right end to the second cell: three moves left. */
    private static final GridTask LEFT_THREE =
            new GridTask(CORRIDOR, new Cell(0, 4), new Cell(0, 1));

    private static CausalTransformer model(NDManager m) {
        TransformerConfig c =
                TransformerConfig.builder()
                        .setVocabSize(GridVocabulary.SIZE)
                        .setWidth(8)
                        .setLayers(1)
                        .setHeads(2)
                        .optKvHeads(1)
                        .optMlpWidth(12)
                        .setMaxSequenceLength(GridMap.OBSERVATION_LENGTH + 1)
                        .build();
        return CausalTransformer.create(m, c, DataType.FLOAT32, 5);
    }

    @Test
    void aPolicyThatOnlyMovesRightSolvesExactlyTheTasksToTheRightWithinTheTurnLimit() {
        try (NDManager m = NDManager.newBaseManager()) {
            CausalLmPolicy right = new ActionMaskedPolicy(model(m), Move.RIGHT.token());
            ParameterStore store = new ParameterStore(m, false);
            List<GridTask> tasks = List.of(RIGHT_THREE, LEFT_THREE);
            assertThat(new GridEvaluation(tasks, 3, 3, 1).successRate(right, store, m))
                    .isEqualTo(0.5);
            // Two turns are one too few.
            assertThat(new GridEvaluation(tasks, 3, 2, 1).successRate(right, store, m))
                    .isEqualTo(0.0);
        }
    }

    @Test
    void theSameSeedGivesTheSameRateAndTheRateIsAShareOfEpisodes() {
        try (NDManager m = NDManager.newBaseManager()) {
            CausalLmPolicy random = new ActionMaskedPolicy(model(m), moveTokens());
            ParameterStore store = new ParameterStore(m, false);
            List<GridTask> tasks = GridTask.all(GridMaps.standard(), 1, 3).subList(0, 10);
            GridEvaluation evaluation = new GridEvaluation(tasks, 5, 6, 11);
            double first = evaluation.successRate(random, store, m);
            assertThat(evaluation.successRate(random, store, m)).isEqualTo(first);
            assertThat(first * 50).isCloseTo(Math.rint(first * 50), within(1e-9));
            assertThat(first).isBetween(0.0, 1.0);
        }
    }

    @Test
    void theSplitIsDisjointCompleteAndDependsOnlyOnItsSeed() {
        List<GridTask> all = GridTask.all(GridMaps.standard(), 3, 10);
        List<List<GridTask>> a = GridEvaluation.split(all, 20, 9);
        List<List<GridTask>> b = GridEvaluation.split(all, 20, 9);
        assertThat(a).isEqualTo(b);
        assertThat(a.get(1)).hasSize(20);
        assertThat(a.get(0)).hasSize(all.size() - 20);
        Set<GridTask> union = new HashSet<>(a.get(0));
        union.addAll(a.get(1));
        assertThat(union).hasSize(all.size());
        assertThat(new ArrayList<>(a.get(0))).doesNotContainAnyElementsOf(a.get(1));
        assertThatThrownBy(() -> GridEvaluation.split(all, 0, 9))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("were 0");
    }

    private static int[] moveTokens() {
        int[] tokens = new int[Move.values().length];
        for (Move move : Move.values()) {
            tokens[move.ordinal()] = move.token();
        }
        return tokens;
    }
}
