package dev.grpo4j.examples.bench;

import dev.grpo4j.examples.bench.AdvantageBenchmark.Args;
import dev.grpo4j.examples.bench.AdvantageBenchmark.Workload;
import java.util.Random;
import java.util.function.UnaryOperator;

/**
 * The benchmark's inputs, generated once per case and size (not timed), and the calls they time.
 * Add a workload here for a new estimator, and its cases to {@link AdvantageBenchmark#cases()}.
 */
final class AdvantageWorkloads {

    private AdvantageWorkloads() {}

    /** GRPO input: {@code [group][rollout]} rewards. */
    static final class GrpoWorkload implements Workload {
        private final double[][] rewards;
        private final UnaryOperator<double[][]> call;
        private double[][] last;

        GrpoWorkload(int rollouts, Args args, UnaryOperator<double[][]> call) {
            this.rewards = grpoRewards(rollouts, args);
            this.call = call;
        }

        @Override
        public void run() {
            last = call.apply(rewards);
        }

        @Override
        public double[] result() {
            return flatten(last);
        }

        @Override
        public long rollouts() {
            return (long) rewards.length * rewards[0].length;
        }

        @Override
        public long rows() {
            return rollouts();
        }
    }

    /**
     * GiGPO input, {@code [group][trajectory][step]}: at step t each trajectory is in one of three
     * states ("step t / room k"), so step groups have about G/3 members; a step earns 1 with
     * probability 0.1. The anchor strings come from a shared pool, so their hash codes are cached
     * after the first run, for both implementations alike.
     */
    static final class GigpoWorkload implements Workload {
        private final String[][][] anchors;
        private final double[][][] rewards;
        private final GigpoCall call;
        private double[][][] last;

        GigpoWorkload(int rollouts, Args args, GigpoCall call) {
            Random rng = new Random(args.seed());
            int groups = Math.max(1, rollouts / args.groupSize());
            String[][] pool = new String[args.steps()][3];
            for (int t = 0; t < args.steps(); t++) {
                for (int k = 0; k < 3; k++) {
                    pool[t][k] = "step " + t + " / room " + k;
                }
            }
            anchors = new String[groups][args.groupSize()][args.steps()];
            rewards = new double[groups][args.groupSize()][args.steps()];
            for (int g = 0; g < groups; g++) {
                for (int j = 0; j < args.groupSize(); j++) {
                    for (int t = 0; t < args.steps(); t++) {
                        anchors[g][j][t] = pool[t][rng.nextInt(3)];
                        rewards[g][j][t] = rng.nextDouble() < 0.1 ? 1 : 0;
                    }
                }
            }
            this.call = call;
        }

        @Override
        public void run() {
            last = call.apply(anchors, rewards);
        }

        @Override
        public double[] result() {
            return flatten(last);
        }

        @Override
        public long rollouts() {
            return (long) rewards.length * rewards[0].length;
        }

        @Override
        public long rows() {
            return rollouts() * rewards[0][0].length;
        }
    }

    /** The GiGPO entry point of either implementation. */
    @FunctionalInterface
    interface GigpoCall {
        double[][][] apply(String[][][] anchors, double[][][] rewards);
    }

    /**
     * SPO input: one rollout per prompt, every prompt's tracker initialised offline (not timed)
     * from a random success count of 8, and 0/1 rewards.
     */
    static final class SpoWorkload implements Workload {
        private final String[] ids;
        private final double[] rewards;
        private final SpoCall call;
        private double[] last;

        SpoWorkload(int rollouts, Args args, SpoSetup setup, SpoCall call) {
            Random rng = new Random(args.seed());
            ids = new String[rollouts];
            rewards = new double[rollouts];
            for (int i = 0; i < rollouts; i++) {
                ids[i] = "prompt-" + i;
                setup.initialize(ids[i], rng.nextInt(9), 8);
                rewards[i] = rng.nextBoolean() ? 1 : 0;
            }
            this.call = call;
        }

        @Override
        public void run() {
            last = call.apply(ids, rewards);
        }

        @Override
        public double[] result() {
            return last.clone();
        }

        @Override
        public long rollouts() {
            return ids.length;
        }

        @Override
        public long rows() {
            return ids.length;
        }
    }

    /** Initialises one prompt's tracker (SPO's {@code initialize}). */
    @FunctionalInterface
    interface SpoSetup {
        void initialize(String promptId, int successes, int samples);
    }

    /** The SPO entry point of either implementation. */
    @FunctionalInterface
    interface SpoCall {
        double[] apply(String[] promptIds, double[] rewards);
    }

    /**
     * Rank-GRPO input, {@code [group][rollout][rank]}: 20 ranks, each a hit with probability 0.1.
     */
    static final class RankWorkload implements Workload {
        static final int RANKS = 20;
        private final double[][][] hits;
        private final UnaryOperator<double[][][]> call;
        private double[][][] last;

        RankWorkload(int rollouts, Args args, UnaryOperator<double[][][]> call) {
            Random rng = new Random(args.seed());
            int groups = Math.max(1, rollouts / args.groupSize());
            hits = new double[groups][args.groupSize()][RANKS];
            for (double[][] g : hits) {
                for (double[] row : g) {
                    for (int k = 0; k < RANKS; k++) {
                        row[k] = rng.nextDouble() < 0.1 ? 1 : 0;
                    }
                }
            }
            this.call = call;
        }

        @Override
        public void run() {
            last = call.apply(hits);
        }

        @Override
        public double[] result() {
            return flatten(last);
        }

        @Override
        public long rollouts() {
            return (long) hits.length * hits[0].length;
        }

        @Override
        public long rows() {
            return rollouts();
        }
    }

    /** Uniform rewards in [0, 1), ceil(rollouts / group) groups of the group size. */
    static double[][] grpoRewards(int rollouts, Args args) {
        Random rng = new Random(args.seed());
        int groups = Math.max(1, rollouts / args.groupSize());
        double[][] r = new double[groups][args.groupSize()];
        for (double[] g : r) {
            for (int i = 0; i < g.length; i++) {
                g[i] = rng.nextDouble();
            }
        }
        return r;
    }

    private static double[] flatten(double[][] a) {
        int n = 0;
        for (double[] g : a) {
            n += g.length;
        }
        double[] out = new double[n];
        int i = 0;
        for (double[] g : a) {
            System.arraycopy(g, 0, out, i, g.length);
            i += g.length;
        }
        return out;
    }

    private static double[] flatten(double[][][] a) {
        int n = 0;
        for (double[][] g : a) {
            for (double[] t : g) {
                n += t.length;
            }
        }
        double[] out = new double[n];
        int i = 0;
        for (double[][] g : a) {
            for (double[] t : g) {
                System.arraycopy(t, 0, out, i, t.length);
                i += t.length;
            }
        }
        return out;
    }
}
