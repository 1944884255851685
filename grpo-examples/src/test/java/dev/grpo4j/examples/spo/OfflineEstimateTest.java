package dev.grpo4j.examples.spo;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import dev.grpo4j.advantage.SpoAdvantage;
import dev.grpo4j.core.policy.SampledCompletion;
import dev.grpo4j.core.policy.Sampler;
import dev.grpo4j.core.policy.SamplingConfig;
import dev.grpo4j.core.rollout.Prompt;
import dev.grpo4j.prefix.model.CausalTransformer;
import dev.grpo4j.prefix.model.TransformerConfig;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class OfflineEstimateTest {

    @Test
    void initialisesEveryPromptFromItsCountedSuccesses() {
        RecallTasks tasks = new RecallTasks(6, 4, RecallTasks.Rule.COPY);
        // Level 1 only, so that a random policy (about 1 in 15 per token) succeeds now and then.
        List<Prompt> pool = tasks.pool(new int[] {40, 0, 0, 0}, new SplittableRandom(2));
        SamplingConfig sampling =
                SamplingConfig.builder().optMaxNewTokens(tasks.completionLength()).build();
        int n0 = 8;
        try (NDManager manager = NDManager.newBaseManager()) {
            TransformerConfig config =
                    TransformerConfig.builder()
                            .setVocabSize(tasks.vocabSize())
                            .setWidth(16)
                            .setLayers(1)
                            .setHeads(2)
                            .setMaxSequenceLength(tasks.promptLength() + tasks.completionLength())
                            .build();
            CausalTransformer policy =
                    CausalTransformer.create(manager, config, DataType.FLOAT32, 4);

            SpoAdvantage spo = SpoAdvantage.builder().build();
            long sampled =
                    OfflineEstimate.initialize(
                            spo, policy, pool, sampling, n0, new SplittableRandom(9), manager);
            assertThat(sampled).isEqualTo(40L * n0);
            assertThat(spo.trackedCount()).isEqualTo(40);

            // The same draws made directly (one call: the pool fits one chunk), counted by hand.
            SpoAdvantage expected = SpoAdvantage.builder().build();
            int[][] ids = pool.stream().map(Prompt::ids).toArray(int[][]::new);
            List<List<SampledCompletion>> out;
            try (NDManager scope = manager.newSubManager()) {
                out =
                        new Sampler(sampling)
                                .sample(
                                        policy,
                                        new ParameterStore(scope, false),
                                        scope,
                                        ids,
                                        n0,
                                        new SplittableRandom(9));
            }
            int total = 0;
            for (int i = 0; i < pool.size(); i++) {
                int successes = 0;
                for (SampledCompletion c : out.get(i)) {
                    successes += c.tokenIds()[0] == RecallTasks.answer(pool.get(i))[0] ? 1 : 0;
                }
                expected.initialize(pool.get(i).key(), successes, n0);
                total += successes;
            }
            assertThat(total).as("some successes, so the counts are tested").isPositive();
            assertThat(spo.stateToJson()).isEqualTo(expected.stateToJson());
        }
    }
}
