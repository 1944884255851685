package dev.grpo4j.core.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.grpo4j.core.reward.RewardFunction;
import dev.grpo4j.core.reward.RewardSet;
import dev.grpo4j.core.rollout.Prompt;
import dev.grpo4j.core.testing.GroupNormalizedEstimator;
import dev.grpo4j.core.testing.TinyCausalPolicy;
import java.util.List;
import java.util.Map;

/**
 * A tiny verifiable task for trainer tests: the prompt {@code [1]} must be answered with token 2
 * and {@code [3]} with token 4; token 0 ends a completion. The reward is graded by the distance of
 * the first token to the target ({@code 1 - |token - target| / 5}), so groups rarely have zero
 * spread and every step carries gradient; a uniform random policy scores about 0.6.
 */
final class TrainerFixture {

    static final int VOCAB = 6;
    static final List<Prompt> PROMPTS =
            List.of(
                    new Prompt("one", new int[] {1}, "", Map.of("target", 2)),
                    new Prompt("three", new int[] {3}, "", Map.of("target", 4)));

    static final RewardFunction CORRECT =
            RewardFunction.named(
                    "correct",
                    c ->
                            1.0
                                    - Math.abs(c.ids()[0] - (Integer) c.prompt().get("target"))
                                            / (double) (VOCAB - 1));

    private TrainerFixture() {}

    static TinyCausalPolicy policy(NDManager manager, int seed) {
        Engine.getInstance().setRandomSeed(seed);
        return TinyCausalPolicy.create(manager, VOCAB, 8, 16, DataType.FLOAT32);
    }

    static GrpoConfig.Builder config() {
        return GrpoConfig.builder()
                .optNumGenerations(4)
                .optPromptsPerStep(2)
                .optMaxPromptLength(4)
                .optMaxCompletionLength(2)
                .optStopTokenIds(0)
                .optLearningRate(0.02)
                .optLrScheduler(dev.grpo4j.core.train.optim.LearningRateSchedule.CONSTANT)
                .optMaxSteps(30)
                .optLoggingSteps(1000)
                .optSeed(11);
    }

    static GrpoTrainer.Builder trainer(TinyCausalPolicy policy, GrpoConfig config) {
        return GrpoTrainer.builder()
                .setPolicy(policy)
                .setConfig(config)
                .setPromptSource(PromptSources.cycling(PROMPTS))
                .optRewards(RewardSet.of(CORRECT))
                .optAdvantageEstimator(new GroupNormalizedEstimator());
    }
}
