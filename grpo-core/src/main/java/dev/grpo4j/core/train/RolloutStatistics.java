package dev.grpo4j.core.train;

import dev.grpo4j.core.reward.NanStats;
import dev.grpo4j.core.reward.RewardMatrix;
import dev.grpo4j.core.rollout.Rollout;
import dev.grpo4j.core.rollout.RolloutGroup;
import dev.grpo4j.core.rollout.Trajectory;
import dev.grpo4j.core.rollout.TrajectoryGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The reward and completion metrics of a step, with TRL's names and definitions (see {@code
 * docs/METRICS.md}).
 */
final class RolloutStatistics {

    private RolloutStatistics() {}

    /**
     * Reward metrics of single-turn groups.
     *
     * @param out where to put the metrics
     * @param combined each rollout's combined reward (NaN if unscorable), in row order
     * @param groups the groups
     * @param matrix the per-function rewards
     */
    static void rewards(
            Map<String, Double> out,
            double[] combined,
            List<RolloutGroup> groups,
            RewardMatrix matrix) {
        out.put("reward", NanStats.mean(combined));
        List<double[]> perGroup = new ArrayList<>();
        int row = 0;
        for (RolloutGroup g : groups) {
            double[] values = new double[g.size()];
            System.arraycopy(combined, row, values, 0, g.size());
            perGroup.add(values);
            row += g.size();
        }
        groupSpread(out, perGroup);
        out.putAll(matrix.metrics());
        int[] failures = matrix.failureCounts();
        for (int k = 0; k < failures.length; k++) {
            if (failures[k] > 0) {
                out.put("rewards/" + matrix.names().get(k) + "/failures", (double) failures[k]);
            }
        }
    }

    /**
     * Episode metrics of multi-turn groups: the reward is the episode score.
     *
     * @param out where to put the metrics
     * @param groups the trajectory groups
     */
    static void episodes(Map<String, Double> out, List<TrajectoryGroup> groups) {
        List<double[]> perGroup = new ArrayList<>();
        List<Double> all = new ArrayList<>();
        double turns = 0;
        int episodes = 0;
        for (TrajectoryGroup g : groups) {
            double[] scores = new double[g.size()];
            for (int i = 0; i < g.size(); i++) {
                Trajectory t = g.trajectories().get(i);
                scores[i] = t.episodeScore();
                all.add(scores[i]);
                turns += t.length();
                episodes++;
            }
            perGroup.add(scores);
        }
        out.put(
                "reward",
                all.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN));
        groupSpread(out, perGroup);
        out.put("episode/mean_turns", turns / Math.max(1, episodes));
    }

    /**
     * TRL's reward_std (mean of the group stds) and frac_reward_zero_std (share of flat groups).
     */
    private static void groupSpread(Map<String, Double> out, List<double[]> perGroup) {
        double stdSum = 0;
        int measured = 0;
        int flat = 0;
        for (double[] values : perGroup) {
            if (values.length < 2) {
                continue;
            }
            double std = NanStats.sampleStd(values);
            double s = Double.isNaN(std) ? 0.0 : std;
            stdSum += s;
            measured++;
            if (Math.abs(s) < 1e-8) {
                flat++;
            }
        }
        if (measured > 0) {
            out.put("reward_std", stdSum / measured);
            out.put("frac_reward_zero_std", (double) flat / measured);
        }
    }

    /**
     * Completion-length metrics: {@code completions/mean_length}, {@code min_length}, {@code
     * max_length}, {@code clipped_ratio} (the share cut off by the length limit) and the same
     * lengths over the completions that terminated with a stop token.
     *
     * @param out where to put the metrics
     * @param rollouts the batch's rows
     */
    static void completions(Map<String, Double> out, List<Rollout> rollouts) {
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        double termSum = 0;
        double termMin = Double.POSITIVE_INFINITY;
        double termMax = 0;
        int terminated = 0;
        for (Rollout r : rollouts) {
            int n = r.completionLength();
            sum += n;
            min = Math.min(min, n);
            max = Math.max(max, n);
            if (!r.truncated()) {
                terminated++;
                termSum += n;
                termMin = Math.min(termMin, n);
                termMax = Math.max(termMax, n);
            }
        }
        int b = rollouts.size();
        out.put("completions/mean_length", sum / b);
        out.put("completions/min_length", min);
        out.put("completions/max_length", max);
        out.put("completions/clipped_ratio", (double) (b - terminated) / b);
        out.put("completions/mean_terminated_length", terminated == 0 ? 0.0 : termSum / terminated);
        out.put("completions/min_terminated_length", terminated == 0 ? 0.0 : termMin);
        out.put("completions/max_terminated_length", terminated == 0 ? 0.0 : termMax);
    }
}
