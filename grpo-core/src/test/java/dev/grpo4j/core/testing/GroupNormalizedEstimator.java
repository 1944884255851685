package dev.grpo4j.core.testing;

import dev.grpo4j.core.advantage.AdvantageEstimator;
import dev.grpo4j.core.advantage.AdvantageInput;
import dev.grpo4j.core.advantage.Advantages;
import dev.grpo4j.core.rollout.Rollout;
import dev.grpo4j.core.rollout.RolloutGroup;
import dev.grpo4j.core.rollout.Trajectory;
import dev.grpo4j.core.rollout.TrajectoryGroup;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain-Java stand-in for the GRPO estimator (which lives in grpo-advantage): the weighted sum of
 * a rollout's rewards, centred and scaled within its group; for trajectories, every step of a
 * trajectory gets its episode score's group z-score.
 */
public class GroupNormalizedEstimator implements AdvantageEstimator {

    @Override
    public Advantages estimate(AdvantageInput input) {
        if (input.kind() == AdvantageInput.Kind.TRAJECTORIES) {
            List<Double> out = new ArrayList<>();
            for (TrajectoryGroup g : input.trajectoryGroups()) {
                double[] scores =
                        g.trajectories().stream().mapToDouble(Trajectory::episodeScore).toArray();
                double[] z = zScores(scores);
                for (int i = 0; i < g.size(); i++) {
                    for (int s = 0; s < g.trajectories().get(i).length(); s++) {
                        out.add(z[i]);
                    }
                }
            }
            return Advantages.perStep(out.stream().mapToDouble(Double::doubleValue).toArray());
        }
        double[] weights = input.rewardWeights().orElse(null);
        List<Double> out = new ArrayList<>();
        for (RolloutGroup g : input.rolloutGroups()) {
            double[] r = new double[g.size()];
            for (int i = 0; i < r.length; i++) {
                Rollout rollout = g.rollout(i);
                double[] x = rollout.rewards();
                for (int k = 0; k < x.length; k++) {
                    r[i] += (weights == null ? 1.0 : weights[k]) * x[k];
                }
            }
            for (double z : zScores(r)) {
                out.add(z);
            }
        }
        return Advantages.perRollout(out.stream().mapToDouble(Double::doubleValue).toArray());
    }

    static double[] zScores(double[] r) {
        double[] z = new double[r.length];
        if (r.length < 2) {
            return z;
        }
        double mean = 0;
        for (double v : r) {
            mean += v;
        }
        mean /= r.length;
        double var = 0;
        for (double v : r) {
            var += (v - mean) * (v - mean);
        }
        double std = Math.sqrt(var / (r.length - 1));
        for (int i = 0; i < r.length; i++) {
            z[i] = (r[i] - mean) / (std + 1e-4);
        }
        return z;
    }

    @Override
    public boolean supports(AdvantageInput.Kind kind) {
        return true;
    }

    @Override
    public String name() {
        return "test-group-z";
    }
}
