package dev.grpo4j.examples.spo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.grpo4j.core.rollout.Prompt;
import dev.grpo4j.prefix.model.CausalTransformer;
import dev.grpo4j.prefix.model.TransformerConfig;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PoolEvaluatorTest {

    private static final RecallTasks TASKS = new RecallTasks(6, 4, RecallTasks.Rule.LOOKUP);

    private static CausalTransformer tinyPolicy(NDManager manager) {
        TransformerConfig config =
                TransformerConfig.builder()
                        .setVocabSize(TASKS.vocabSize())
                        .setWidth(16)
                        .setLayers(1)
                        .setHeads(2)
                        .setMaxSequenceLength(TASKS.promptLength() + TASKS.completionLength())
                        .build();
        return CausalTransformer.create(manager, config, DataType.FLOAT64, 11);
    }

    @Test
    void batchedTeacherForcingMatchesTokenByTokenDecoding() {
        try (NDManager manager = NDManager.newBaseManager()) {
            CausalTransformer policy = tinyPolicy(manager);
            List<Prompt> prompts = TASKS.pool(new int[] {2, 2, 2, 2}, new SplittableRandom(5));
            PoolEvaluator.Evaluation e =
                    new PoolEvaluator(TASKS, prompts).evaluate(policy, manager);
            double[] probability = e.probability();
            boolean[] greedy = e.greedy();
            for (int i = 0; i < prompts.size(); i++) {
                double[] reference = stepByStep(policy, prompts.get(i), manager);
                assertThat(probability[i]).as("prompt %d", i).isCloseTo(reference[0], within(1e-9));
                assertThat(greedy[i]).as("prompt %d", i).isEqualTo(reference[1] == 1.0);
            }
        }
    }

    /**
     * The slow reference: feed the prompt and the answer so far, unpadded, and read the next
     * token's distribution at the last position. Returns {probability, greedy ? 1 : 0}.
     */
    private static double[] stepByStep(CausalTransformer policy, Prompt prompt, NDManager manager) {
        int[] answer = RecallTasks.answer(prompt);
        int[] ids = prompt.ids();
        double probability = 1;
        boolean greedy = true;
        for (int t = 0; t < answer.length; t++) {
            int[] prefix = new int[ids.length + t];
            System.arraycopy(ids, 0, prefix, 0, ids.length);
            System.arraycopy(answer, 0, prefix, ids.length, t);
            double[] logits;
            try (NDManager scope = manager.newSubManager()) {
                logits =
                        policy.logits(
                                        new ParameterStore(scope, false),
                                        scope.create(prefix, new Shape(1, prefix.length)),
                                        null,
                                        false)
                                .get(0, prefix.length - 1)
                                .toType(DataType.FLOAT64, false)
                                .toDoubleArray();
            }
            double z = 0;
            int best = 0;
            for (int v = 0; v < logits.length; v++) {
                z += Math.exp(logits[v]);
                best = logits[v] > logits[best] ? v : best;
            }
            probability *= Math.exp(logits[answer[t]]) / z;
            greedy &= best == answer[t];
        }
        return new double[] {probability, greedy ? 1.0 : 0.0};
    }

    @Test
    void summariesAverageTheRightPrompts() {
        PoolEvaluator.Evaluation e =
                new PoolEvaluator.Evaluation(
                        new double[] {0.9, 0.5, 0.02, 0.0},
                        new boolean[] {true, false, false, false},
                        new int[] {1, 1, 2, 3});
        assertThat(e.accuracy()).isCloseTo(0.355, within(1e-12));
        assertThat(e.accuracy(1)).isCloseTo(0.7, within(1e-12));
        assertThat(e.accuracy(2)).isCloseTo(0.02, within(1e-12));
        assertThat(e.accuracy(4)).isNaN();
        assertThat(e.greedyAccuracy()).isEqualTo(0.25);
        assertThat(e.shareOutside(0.05)).isEqualTo(0.5);
    }

    @Test
    void promptsOfAnotherShapeAreRejected() {
        Prompt other =
                new RecallTasks(5, 4, RecallTasks.Rule.COPY).prompt(new int[] {1, 2, 3, 4, 5}, 1);
        assertThatThrownBy(() -> new PoolEvaluator(TASKS, List.of(other)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has 7 tokens but the family's prompts have 8");
        assertThatThrownBy(() -> new PoolEvaluator(TASKS, List.of()))
                .hasMessageContaining("the evaluation set is empty");
    }
}
