package dev.grpo4j.examples;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.grpo4j.core.reward.RewardFunction;
import dev.grpo4j.core.reward.RewardSet;
import dev.grpo4j.core.rollout.Prompt;
import dev.grpo4j.core.train.GrpoConfig;
import dev.grpo4j.core.train.GrpoTrainer;
import dev.grpo4j.core.train.PromptSources;
import dev.grpo4j.core.train.StepMetrics;
import dev.grpo4j.prefix.SharedPrefixLogProbComputer;
import dev.grpo4j.prefix.model.CausalTransformer;
import dev.grpo4j.prefix.model.TransformerConfig;
import java.util.List;

/**
 * The README's twenty lines: GRPO on a custom reward function. A small transformer learns to
 * continue a prompt by counting up from its last token (vocabulary of 16, modulo 16). The README
 * shows the body of {@link #train(int)}; a test runs it, so the snippet keeps working.
 */
public final class Quickstart {

    /**
     * Trains for the given number of steps.
     *
     * @param steps training steps
     * @return the metrics of every step
     */
    public static List<StepMetrics> train(int steps) {
        // spotless:off  (README snippet: from here to spotless:on)
        try (NDManager manager = NDManager.newBaseManager()) {
            var model =
                    TransformerConfig.builder()
                            .setVocabSize(16)
                            .setWidth(32)
                            .setLayers(2)
                            .setHeads(2)
                            .setMaxSequenceLength(16)
                            .build();
            var policy = CausalTransformer.create(manager, model, DataType.FLOAT32, 7);
            // Reward: a third of a point per completion token that counts up from the prompt's
            // last.
            RewardFunction countUp =
                    RewardFunction.named(
                            "count_up",
                            c -> {
                                int last = c.prompt().ids()[c.prompt().ids().length - 1];
                                double hits = 0;
                                for (int i = 0; i < c.length(); i++) {
                                    hits += c.ids()[i] == (last + 1 + i) % 16 ? 1 : 0;
                                }
                                return hits / 3;
                            });
            var config =
                    GrpoConfig.builder()
                            .optNumGenerations(8)
                            .optPromptsPerStep(8)
                            .optMaxPromptLength(4)
                            .optMaxCompletionLength(3)
                            .optLearningRate(3e-3)
                            .optMaxSteps(steps)
                            .optLogProbComputer(new SharedPrefixLogProbComputer())
                            .build();
            try (var trainer =
                    GrpoTrainer.builder()
                            .setPolicy(policy)
                            .setConfig(config)
                            .setPromptSource(
                                    PromptSources.generated(
                                            r -> Prompt.of("p", r.nextInt(16), r.nextInt(16))))
                            .optRewards(RewardSet.of(countUp))
                            .build()) {
                return trainer.train();
            }
        }
        // spotless:on
    }

    /**
     * Runs the quickstart and prints the first and last reward.
     *
     * @param args {@code [steps]}, default 150
     */
    public static void main(String[] args) {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        List<StepMetrics> history = train(args.length > 0 ? Integer.parseInt(args[0]) : 150);
        System.out.printf(
                "reward: first step %.3f, last step %.3f%n",
                history.get(0).getOrDefault("reward", Double.NaN),
                history.get(history.size() - 1).getOrDefault("reward", Double.NaN));
    }

    private Quickstart() {}
}
