package dev.grpo4j.advantage;

import dev.grpo4j.core.util.Checks;
import java.util.Arrays;
import java.util.Objects;

/**
 * A GRPO batch's rewards, validated and flattened function-major: function f of row i at {@code f *
 * rows + i}, so each function's column is contiguous for the statistics. Rows are group 0's
 * rollouts first.
 */
final class RewardColumns {

    private final int[] sizes;
    private final int functions;
    private final double[] byFunction;
    private final boolean[] unscorable;

    private RewardColumns(int[] sizes, int functions, double[] byFunction, boolean[] unscorable) {
        this.sizes = sizes;
        this.functions = functions;
        this.byFunction = byFunction;
        this.unscorable = unscorable;
    }

    /** One reward per rollout: {@code [group][rollout]}. */
    static RewardColumns of(double[][] rewardsByGroup, NanPolicy nan, SingletonPolicy singleton) {
        Objects.requireNonNull(rewardsByGroup, "rewardsByGroup");
        Checks.require(rewardsByGroup.length > 0, "rewardsByGroup has no groups");
        int[] sizes = new int[rewardsByGroup.length];
        int rows = 0;
        for (int g = 0; g < sizes.length; g++) {
            Checks.require(rewardsByGroup[g] != null, "group %d is null", g);
            sizes[g] = checkGroupSize(g, rewardsByGroup[g].length, singleton);
            rows += sizes[g];
        }
        double[] flat = new double[rows];
        boolean[] unscorable = new boolean[rows];
        int i = 0;
        for (int g = 0; g < sizes.length; g++) {
            double[] group = rewardsByGroup[g];
            for (int r = 0; r < group.length; r++, i++) {
                double v = group[r];
                if (Double.isNaN(v)) {
                    nan.onNaN("reward " + r + " of group " + g);
                    unscorable[i] = true;
                } else {
                    Checks.require(
                            !Double.isInfinite(v),
                            "reward %d of group %d is %s; rewards must be finite or NaN",
                            r,
                            g,
                            v);
                }
                flat[i] = v;
            }
        }
        return new RewardColumns(sizes, 1, flat, unscorable);
    }

    /** K rewards per rollout: {@code [group][rollout][k]}. */
    static RewardColumns of(double[][][] in, NanPolicy nan, SingletonPolicy singleton) {
        Objects.requireNonNull(in, "rewardsByGroupAndFunction");
        Checks.require(in.length > 0, "rewardsByGroupAndFunction has no groups");
        int[] sizes = new int[in.length];
        int rows = 0;
        int k = -1;
        for (int g = 0; g < in.length; g++) {
            Checks.require(in[g] != null, "group %d is null", g);
            sizes[g] = checkGroupSize(g, in[g].length, singleton);
            rows += sizes[g];
            for (int r = 0; r < in[g].length; r++) {
                Checks.require(in[g][r] != null, "rollout %d of group %d is null", r, g);
                if (k < 0) {
                    k = in[g][r].length;
                    Checks.require(k > 0, "rollout 0 of group %d has no rewards", g);
                }
                Checks.require(
                        in[g][r].length == k,
                        "rollout %d of group %d has %d rewards but the first rollout has %d",
                        r,
                        g,
                        in[g][r].length,
                        k);
            }
        }
        double[] byFunction = new double[k * rows];
        boolean[] unscorable = new boolean[rows];
        int i = 0;
        for (int g = 0; g < in.length; g++) {
            for (int r = 0; r < in[g].length; r++, i++) {
                int valid = 0;
                for (int f = 0; f < k; f++) {
                    double v = in[g][r][f];
                    if (Double.isNaN(v)) {
                        nan.onNaN("reward " + f + " of rollout " + r + " in group " + g);
                    } else {
                        Checks.require(
                                !Double.isInfinite(v),
                                "reward %d of rollout %d in group %d is %s; rewards must be finite"
                                        + " or NaN",
                                f,
                                r,
                                g,
                                v);
                        valid++;
                    }
                    byFunction[f * rows + i] = v;
                }
                unscorable[i] = valid == 0;
            }
        }
        return new RewardColumns(sizes, k, byFunction, unscorable);
    }

    private static int checkGroupSize(int g, int size, SingletonPolicy singleton) {
        Checks.require(size > 0, "group %d is empty", g);
        if (size == 1) {
            singleton.check(g);
        }
        return size;
    }

    /** The size of each group. */
    int[] sizes() {
        return sizes;
    }

    /** K, the number of reward functions. */
    int functions() {
        return functions;
    }

    /** The number of rollouts. */
    int rows() {
        return unscorable.length;
    }

    /** {@code [K * rows]} rewards, function-major, NaN kept. */
    double[] byFunction() {
        return byFunction;
    }

    /** Rows whose K rewards are all NaN. */
    boolean[] unscorable() {
        return unscorable;
    }

    /** Reshapes row-ordered values to {@code [group][rollout]}. */
    double[][] split(double[] byRow) {
        double[][] out = new double[sizes.length][];
        int i = 0;
        for (int g = 0; g < sizes.length; g++) {
            out[g] = Arrays.copyOfRange(byRow, i, i + sizes[g]);
            i += sizes[g];
        }
        return out;
    }
}
