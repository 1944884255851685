package dev.grpo4j.advantage;

import dev.grpo4j.core.util.Checks;
import java.util.Arrays;
import java.util.Objects;

/**
 * GiGPO's input, validated and flattened to rows: group by group, trajectory by trajectory, step by
 * step. Trajectories are numbered across the whole batch.
 */
final class TrajectoryBatch {

    private final int[] trajectoriesPerGroup;
    private final int[] firstTrajectory;
    private final int[] stepsPerGroup;
    private final int[] start;
    private final int[] length;
    private final int maxLength;
    private final Object[] anchors;
    private final double[] rewards;
    private final double[] scores;

    private TrajectoryBatch(
            int[] trajectoriesPerGroup,
            int[] firstTrajectory,
            int[] stepsPerGroup,
            int[] start,
            int[] length,
            Object[] anchors,
            double[] rewards,
            double[] scores) {
        this.trajectoriesPerGroup = trajectoriesPerGroup;
        this.firstTrajectory = firstTrajectory;
        this.stepsPerGroup = stepsPerGroup;
        this.start = start;
        this.length = length;
        this.maxLength = Arrays.stream(length).max().orElse(0);
        this.anchors = anchors;
        this.rewards = rewards;
        this.scores = scores;
    }

    /**
     * Validates the shapes and values and flattens them.
     *
     * @param anchorStates {@code [group][trajectory][step]}
     * @param stepRewards {@code [group][trajectory][step]}, finite
     * @param episodeScores {@code [group][trajectory]}, finite, or null for the sums of step
     *     rewards
     */
    static TrajectoryBatch of(
            Object[][][] anchorStates, double[][][] stepRewards, double[][] episodeScores) {
        Objects.requireNonNull(anchorStates, "anchorStates");
        Objects.requireNonNull(stepRewards, "stepRewards");
        int groups = stepRewards.length;
        Checks.require(groups > 0, "stepRewards has no groups");
        Checks.require(
                anchorStates.length == groups,
                "anchorStates has %d groups but stepRewards has %d",
                anchorStates.length,
                groups);
        Checks.require(
                episodeScores == null || episodeScores.length == groups,
                "episodeScores has %d groups but stepRewards has %d",
                episodeScores == null ? 0 : episodeScores.length,
                groups);
        int[] perGroup = new int[groups];
        int[] firstTrajectory = new int[groups];
        int[] stepsPerGroup = new int[groups];
        int trajectories = 0;
        int rows = 0;
        for (int g = 0; g < groups; g++) {
            Checks.require(stepRewards[g] != null, "group %d of stepRewards is null", g);
            Checks.require(anchorStates[g] != null, "group %d of anchorStates is null", g);
            int n = stepRewards[g].length;
            Checks.require(n > 0, "group %d has no trajectories", g);
            Checks.require(
                    anchorStates[g].length == n,
                    "group %d: anchorStates has %d trajectories but stepRewards has %d",
                    g,
                    anchorStates[g].length,
                    n);
            if (episodeScores != null) {
                Checks.require(episodeScores[g] != null, "group %d of episodeScores is null", g);
                Checks.require(
                        episodeScores[g].length == n,
                        "group %d: %d episode scores for %d trajectories",
                        g,
                        episodeScores[g].length,
                        n);
            }
            for (int t = 0; t < n; t++) {
                Checks.require(
                        stepRewards[g][t] != null && anchorStates[g][t] != null,
                        "group %d, trajectory %d is null",
                        g,
                        t);
                int steps = stepRewards[g][t].length;
                Checks.require(steps > 0, "group %d, trajectory %d has no steps", g, t);
                Checks.require(
                        anchorStates[g][t].length == steps,
                        "group %d, trajectory %d: %d anchor states but %d step rewards",
                        g,
                        t,
                        anchorStates[g][t].length,
                        steps);
                stepsPerGroup[g] += steps;
            }
            perGroup[g] = n;
            firstTrajectory[g] = trajectories;
            trajectories += n;
            rows += stepsPerGroup[g];
        }
        int[] start = new int[trajectories];
        int[] length = new int[trajectories];
        Object[] anchors = new Object[rows];
        double[] rewards = new double[rows];
        double[] scores = new double[trajectories];
        int j = 0;
        int row = 0;
        for (int g = 0; g < groups; g++) {
            for (int t = 0; t < perGroup[g]; t++, j++) {
                double[] r = stepRewards[g][t];
                start[j] = row;
                length[j] = r.length;
                double sum = 0;
                for (int s = 0; s < r.length; s++, row++) {
                    Checks.require(
                            Double.isFinite(r[s]),
                            "step reward of group %d, trajectory %d, step %d is %s; step rewards"
                                    + " must be finite",
                            g,
                            t,
                            s,
                            r[s]);
                    rewards[row] = r[s];
                    anchors[row] = anchorStates[g][t][s];
                    sum += r[s];
                }
                if (episodeScores == null) {
                    scores[j] = sum;
                } else {
                    scores[j] = episodeScores[g][t];
                    Checks.require(
                            Double.isFinite(scores[j]),
                            "episode score of group %d, trajectory %d is %s; it must be finite",
                            g,
                            t,
                            scores[j]);
                }
            }
        }
        return new TrajectoryBatch(
                perGroup, firstTrajectory, stepsPerGroup, start, length, anchors, rewards, scores);
    }

    int groups() {
        return trajectoriesPerGroup.length;
    }

    int rows() {
        return rewards.length;
    }

    int trajectories() {
        return start.length;
    }

    int[] trajectoriesPerGroup() {
        return trajectoriesPerGroup;
    }

    int[] stepsPerGroup() {
        return stepsPerGroup;
    }

    /** First row of trajectory {@code j} (numbered across the batch). */
    int start(int j) {
        return start[j];
    }

    /** Steps of trajectory {@code j}. */
    int length(int j) {
        return length[j];
    }

    /** Steps of trajectory {@code t} of group {@code g}. */
    int lengthOf(int g, int t) {
        return length[firstTrajectory[g] + t];
    }

    int maxLength() {
        return maxLength;
    }

    Object anchor(int row) {
        return anchors[row];
    }

    double[] rewards() {
        return rewards;
    }

    /** Episode score of trajectory {@code j}. */
    double score(int j) {
        return scores[j];
    }

    double[] scores() {
        return scores;
    }

    /** Reshapes row-ordered values to {@code [group][trajectory][step]}. */
    double[][][] split(double[] byRow) {
        double[][][] out = new double[groups()][][];
        int j = 0;
        for (int g = 0; g < out.length; g++) {
            out[g] = new double[trajectoriesPerGroup[g]][];
            for (int t = 0; t < out[g].length; t++, j++) {
                out[g][t] = Arrays.copyOfRange(byRow, start[j], start[j] + length[j]);
            }
        }
        return out;
    }
}
