package dev.grpo4j.core.train;

import dev.grpo4j.core.reward.Completion;
import dev.grpo4j.core.reward.ItemRewardMatrix;
import dev.grpo4j.core.reward.ItemRewardSet;
import dev.grpo4j.core.reward.RewardAggregation;
import dev.grpo4j.core.reward.RewardEvaluator;
import dev.grpo4j.core.reward.RewardMatrix;
import dev.grpo4j.core.reward.RewardSet;
import dev.grpo4j.core.rollout.Prompt;
import dev.grpo4j.core.rollout.Rollout;
import dev.grpo4j.core.rollout.RolloutGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Scores a step's completions: decodes them to text, runs every reward function (and item reward
 * function) through the {@link RewardEvaluator}, attaches the rewards to the rollouts and records
 * TRL's reward metrics.
 */
final class RolloutScorer {

    private final RewardEvaluator evaluator;
    private final RewardSet rewards;
    private final ItemRewardSet itemRewards;
    private final int itemCount;
    private final Function<int[], String> decoder;

    RolloutScorer(
            RewardEvaluator evaluator,
            RewardSet rewards,
            ItemRewardSet itemRewards,
            int itemCount,
            Function<int[], String> decoder) {
        this.evaluator = evaluator;
        this.rewards = rewards;
        this.itemRewards = itemRewards;
        this.itemCount = itemCount;
        this.decoder = decoder;
    }

    /** Scores every completion and returns the groups with rewards attached. */
    List<RolloutGroup> score(
            List<Prompt> prompts, List<RolloutGroup> groups, Map<String, Double> metrics) {
        List<Completion> completions = new ArrayList<>();
        int index = 0;
        for (int g = 0; g < groups.size(); g++) {
            for (Rollout r : groups.get(g).rollouts()) {
                completions.add(
                        Completion.of(
                                prompts.get(g), r, decoder.apply(r.completionIds()), index++));
            }
        }
        RewardMatrix matrix = evaluator.evaluate(rewards, completions);
        double[][] items = null;
        if (itemRewards != null) {
            ItemRewardMatrix itemMatrix =
                    evaluator.evaluateItems(itemRewards, completions, itemCount);
            items = itemMatrix.combined();
        }
        List<RolloutGroup> scored = new ArrayList<>(groups.size());
        int row = 0;
        int[] sizes = new int[groups.size()];
        for (int g = 0; g < groups.size(); g++) {
            List<Rollout> rollouts = new ArrayList<>();
            for (Rollout r : groups.get(g).rollouts()) {
                Rollout withRewards = r.withRewards(matrix.row(row));
                if (items != null) {
                    withRewards = withRewards.withItemRewards(items[row]);
                }
                rollouts.add(withRewards);
                row++;
            }
            sizes[g] = rollouts.size();
            scored.add(RolloutGroup.of(groups.get(g).promptKey(), rollouts));
        }
        double[] combined =
                matrix.combine(
                        RewardAggregation.SUM_THEN_NORMALIZE,
                        RewardAggregation.contiguousGroupIds(sizes));
        RolloutStatistics.rewards(metrics, combined, scored, matrix);
        return scored;
    }
}
