package dev.grpo4j.examples.bench;

import dev.grpo4j.advantage.GrpoAdvantage;
import dev.grpo4j.advantage.internal.GroupStats;
import dev.grpo4j.advantage.internal.NdScope;
import dev.grpo4j.advantage.internal.SegmentLayout;
import dev.grpo4j.examples.bench.AdvantageBenchmark.Args;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.shape.Gather;
import org.nd4j.linalg.api.ops.impl.transforms.custom.segment.SegmentSum;
import org.nd4j.linalg.api.ops.impl.transforms.segment.UnsortedSegmentSum;
import org.nd4j.linalg.factory.Nd4j;

/** The benchmark's diagnostic tables: where a GRPO call spends its time, and ND4J's segment ops. */
final class AdvantageProfiles {

    private AdvantageProfiles() {}

    /** Where the time of one GRPO ND4J call goes, phase by phase, with the library's own pieces. */
    static void printGrpoBreakdown(int rollouts, Args args, PrintStream out) {
        double[][] rewards = AdvantageWorkloads.grpoRewards(rollouts, args);
        int groups = rewards.length;
        String[] names = {
            "flatten double[][] (Java)",
            "copy in + group statistics (ND4J)",
            "divide by std + eps (ND4J)",
            "copy out (ND4J -> double[])",
            "split to double[][] (Java)"
        };
        double[][] phases = new double[names.length][args.warmup() + args.repetitions()];
        for (int rep = 0; rep < phases[0].length; rep++) {
            long t0 = System.nanoTime();
            int[] sizes = new int[groups];
            int rows = 0;
            for (int g = 0; g < groups; g++) {
                sizes[g] = rewards[g].length;
                rows += sizes[g];
            }
            double[] flat = new double[rows];
            int i = 0;
            for (double[] g : rewards) {
                System.arraycopy(g, 0, flat, i, g.length);
                i += g.length;
            }
            long t1 = System.nanoTime();
            long t2;
            long t3;
            double[] adv;
            try (NdScope scope = NdScope.open()) {
                SegmentLayout layout = SegmentLayout.contiguous(sizes);
                GroupStats stats = GroupStats.compute(layout.pack(flat), layout, false);
                t2 = System.nanoTime();
                stats.divideBySegmentStd(GrpoAdvantage.DEFAULT_EPSILON);
                t3 = System.nanoTime();
                adv = stats.toRowOrder();
            }
            long t4 = System.nanoTime();
            double[][] split = new double[groups][];
            i = 0;
            for (int g = 0; g < groups; g++) {
                split[g] = Arrays.copyOfRange(adv, i, i + sizes[g]);
                i += sizes[g];
            }
            long t5 = System.nanoTime();
            long[] marks = {t0, t1, t2, t3, t4, t5};
            for (int p = 0; p < names.length; p++) {
                phases[p][rep] = (marks[p + 1] - marks[p]) / 1e6;
            }
            if (split[groups - 1].length == 0) {
                throw new IllegalStateException("empty group");
            }
        }
        out.printf(
                Locale.ROOT,
                "%nGRPO ND4J call at %,d rollouts, by phase (median of the %d timed"
                        + " repetitions):%n%n",
                rollouts,
                args.repetitions());
        out.println("| Phase | Median ms |");
        out.println("|---|---:|");
        double total = 0;
        for (int p = 0; p < names.length; p++) {
            double[] timed = Arrays.copyOfRange(phases[p], args.warmup(), phases[p].length);
            Arrays.sort(timed);
            total += timed[timed.length / 2];
            out.printf(Locale.ROOT, "| %s | %.2f |%n", names[p], timed[timed.length / 2]);
        }
        out.printf(Locale.ROOT, "| sum of medians | %.2f |%n", total);
    }

    /**
     * Why the estimators pack groups into matrices: the same per-group sum as ND4J's sorted and
     * unsorted segment ops, a gather of the group sums back to the rows, and a row reduction of the
     * {@code [groups, G]} matrix (best of the timed repetitions).
     */
    static void printSegmentOps(int rollouts, Args args, PrintStream out) {
        int g = args.groupSize();
        int groups = Math.max(1, rollouts / g);
        int rows = groups * g;
        double[] values = new double[rows];
        int[] ids = new int[rows];
        Random rng = new Random(args.seed());
        for (int i = 0; i < rows; i++) {
            values[i] = rng.nextDouble();
            ids[i] = i / g;
        }
        Map<String, Supplier<INDArray>> ops = new LinkedHashMap<>();
        INDArray flat = Nd4j.createFromArray(values);
        INDArray segmentIds = Nd4j.createFromArray(ids);
        INDArray matrix = flat.reshape(groups, g);
        INDArray sums = matrix.sum(1);
        ops.put("segment_sum (sorted ids)", () -> Nd4j.exec(new SegmentSum(flat, segmentIds))[0]);
        ops.put(
                "unsorted_segment_sum",
                () -> Nd4j.exec(new UnsortedSegmentSum(flat, segmentIds, groups))[0]);
        ops.put(
                "gather of group sums to rows",
                () -> Nd4j.exec(new Gather(sums, segmentIds, 0))[0]);
        ops.put("sum(1) of the [groups, G] matrix", () -> matrix.sum(1));
        out.printf(
                Locale.ROOT,
                "%nPer-group sums of %,d rows in groups of %d (best of %d):%n%n",
                rows,
                g,
                args.repetitions());
        out.println("| ND4J operation | Best ms |");
        out.println("|---|---:|");
        for (Map.Entry<String, Supplier<INDArray>> op : ops.entrySet()) {
            double best = Double.MAX_VALUE;
            for (int rep = 0; rep < args.warmup() + args.repetitions(); rep++) {
                long t0 = System.nanoTime();
                INDArray result = op.getValue().get();
                double ms = (System.nanoTime() - t0) / 1e6;
                if (rep >= args.warmup()) {
                    best = Math.min(best, ms);
                }
                if (result.length() == 0) {
                    throw new IllegalStateException(op.getKey() + " returned nothing");
                }
            }
            out.printf(Locale.ROOT, "| %s | %.2f |%n", op.getKey(), best);
        }
    }
}
