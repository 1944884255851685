package dev.grpo4j.examples.bench;

import dev.grpo4j.advantage.GigpoAdvantage;
import dev.grpo4j.advantage.GigpoMode;
import dev.grpo4j.advantage.GrpoAdvantage;
import dev.grpo4j.advantage.RankGrpoAdvantage;
import dev.grpo4j.advantage.RankReward;
import dev.grpo4j.advantage.RewardScale;
import dev.grpo4j.advantage.SpoAdvantage;
import dev.grpo4j.examples.bench.baseline.PlainGigpo;
import dev.grpo4j.examples.bench.baseline.PlainGrpo;
import dev.grpo4j.examples.bench.baseline.PlainRankGrpo;
import dev.grpo4j.examples.bench.baseline.PlainSpo;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Throughput of the advantage estimators on ND4J against plain-Java implementations of the same
 * math, measured in the same run, printed as a Markdown table.
 *
 * <p>Each case is timed at every size after warm-up runs; the table gives the median of the timed
 * repetitions. Sizes count rollouts in groups of 16; for GiGPO a rollout is a trajectory of 10
 * steps, so 1M rollouts are 10M step rows. Before timing, the ND4J and plain results of every
 * estimator are compared on the smallest size. A second table breaks the GRPO ND4J call at the
 * largest size into its phases.
 *
 * <pre>
 * mvn -q -B -pl grpo-examples -am -DskipTests package exec:exec \
 *     -Dexample=bench.AdvantageBenchmark -Dargs="--sizes 1000,100000,1000000 --reps 7"
 * </pre>
 *
 * <p>Options: {@code --sizes a,b,c} (rollouts), {@code --warmup n} (default 3), {@code --reps n}
 * (default 7), {@code --group n} (default 16), {@code --steps n} (GiGPO steps per trajectory,
 * default 10), {@code --seed n}, {@code --nd4j-threads n} (sets ND4J's maximum and master thread
 * counts; on nd4j-native 1.0.0-M2.1 only the master count takes effect; default: ND4J's own
 * choice), {@code --only name} (run only cases whose estimator name contains this text).
 *
 * <p>To add an estimator (SPO, Rank-GRPO ...), append its ND4J and plain cases to {@link #cases()}.
 */
public final class AdvantageBenchmark {

    private AdvantageBenchmark() {}

    /** The command-line settings. */
    public record Args(
            int[] sizes,
            int warmup,
            int repetitions,
            int groupSize,
            int steps,
            long seed,
            int nd4jThreads,
            String only,
            boolean segmentOps) {

        /** The defaults: sizes 1k, 100k and 1M; 3 warm-up runs; 7 timed repetitions. */
        static Args defaults() {
            return new Args(new int[] {1_000, 100_000, 1_000_000}, 3, 7, 16, 10, 42, 0, "", false);
        }

        /**
         * Parses {@code --name value} pairs over the defaults.
         *
         * @param argv the arguments
         * @return the settings
         */
        public static Args parse(String... argv) {
            Args d = defaults();
            int[] sizes = d.sizes();
            int warmup = d.warmup();
            int repetitions = d.repetitions();
            int groupSize = d.groupSize();
            int steps = d.steps();
            long seed = d.seed();
            int nd4jThreads = d.nd4jThreads();
            String only = d.only();
            boolean segmentOps = d.segmentOps();
            for (int i = 0; i < argv.length; i += 2) {
                if (i + 1 >= argv.length) {
                    throw new IllegalArgumentException("option " + argv[i] + " needs a value");
                }
                String v = argv[i + 1].trim();
                switch (argv[i]) {
                    case "--sizes" ->
                            sizes =
                                    Arrays.stream(v.split(","))
                                            .mapToInt(x -> Integer.parseInt(x.trim()))
                                            .toArray();
                    case "--warmup" -> warmup = Integer.parseInt(v);
                    case "--reps" -> repetitions = Integer.parseInt(v);
                    case "--group" -> groupSize = Integer.parseInt(v);
                    case "--steps" -> steps = Integer.parseInt(v);
                    case "--seed" -> seed = Long.parseLong(v);
                    case "--nd4j-threads" -> nd4jThreads = Integer.parseInt(v);
                    case "--only" -> only = v;
                    case "--segment-ops" -> segmentOps = Boolean.parseBoolean(v);
                    default -> throw new IllegalArgumentException("unknown option " + argv[i]);
                }
            }
            if (repetitions < 1 || warmup < 0 || groupSize < 2 || steps < 1 || sizes.length == 0) {
                throw new IllegalArgumentException(
                        "need sizes, reps >= 1, warmup >= 0, group >= 2 and steps >= 1");
            }
            return new Args(
                    sizes,
                    warmup,
                    repetitions,
                    groupSize,
                    steps,
                    seed,
                    nd4jThreads,
                    only,
                    segmentOps);
        }
    }

    /** One prepared input for one implementation: {@link #run()} is what gets timed. */
    public interface Workload {
        /** Computes the advantages once and keeps them for {@link #result()}. */
        void run();

        /**
         * The advantages of the last run in row order, for the cross-check (not timed).
         *
         * @return the flattened advantages
         */
        double[] result();

        /**
         * The number of rollouts (trajectories for GiGPO) in the input.
         *
         * @return the rollout count
         */
        long rollouts();

        /**
         * The loss rows the run produces (rollouts, or steps for GiGPO).
         *
         * @return the row count
         */
        long rows();
    }

    /**
     * One line family of the table: an implementation of an estimator, measured at every size.
     *
     * @param estimator the estimator's name, e.g. "GRPO"
     * @param implementation "ND4J" or "plain Java"
     * @param factory builds the workload for a number of rollouts (not timed)
     */
    public record Case(String estimator, String implementation, WorkloadFactory factory) {}

    /** Builds a workload; input generation is not timed. */
    @FunctionalInterface
    public interface WorkloadFactory {
        /**
         * Prepares the input.
         *
         * @param rollouts the number of rollouts (trajectories for GiGPO)
         * @param args the settings (group size, steps, seed)
         * @return the workload
         */
        Workload prepare(int rollouts, Args args);
    }

    /** One measured row of the table. */
    public record Result(Case benchCase, long rollouts, long rows, double medianMs, double minMs) {
        double rolloutsPerSecond() {
            return rollouts / (medianMs / 1000);
        }
    }

    /**
     * The measured cases, in table order: each estimator's ND4J implementation, then its plain-Java
     * baseline.
     *
     * @return the cases
     */
    public static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        GrpoAdvantage grpo = GrpoAdvantage.builder().optScale(RewardScale.GROUP).build();
        PlainGrpo plainGrpo = new PlainGrpo(GrpoAdvantage.DEFAULT_EPSILON);
        cases.add(
                new Case(
                        "GRPO",
                        "ND4J",
                        (n, a) -> new AdvantageWorkloads.GrpoWorkload(n, a, grpo::compute)));
        cases.add(
                new Case(
                        "GRPO",
                        "plain Java",
                        (n, a) -> new AdvantageWorkloads.GrpoWorkload(n, a, plainGrpo::compute)));
        GigpoAdvantage gigpo =
                GigpoAdvantage.builder().optGamma(0.95).optMode(GigpoMode.MEAN_STD_NORM).build();
        PlainGigpo plainGigpo = new PlainGigpo(0.95, 1.0, true, GigpoAdvantage.DEFAULT_EPSILON);
        cases.add(
                new Case(
                        "GiGPO",
                        "ND4J",
                        (n, a) -> new AdvantageWorkloads.GigpoWorkload(n, a, gigpo::compute)));
        cases.add(
                new Case(
                        "GiGPO",
                        "plain Java",
                        (n, a) -> new AdvantageWorkloads.GigpoWorkload(n, a, plainGigpo::compute)));
        // SPO: a fresh tracker per workload, initialised outside the timing.
        cases.add(
                new Case(
                        "SPO",
                        "ND4J",
                        (n, a) -> {
                            SpoAdvantage spo = SpoAdvantage.builder().build();
                            return new AdvantageWorkloads.SpoWorkload(
                                    n, a, spo::initialize, spo::compute);
                        }));
        cases.add(
                new Case(
                        "SPO",
                        "plain Java",
                        (n, a) -> {
                            PlainSpo spo = new PlainSpo(SpoAdvantage.DEFAULT_EPSILON);
                            return new AdvantageWorkloads.SpoWorkload(
                                    n, a, spo::initialize, spo::compute);
                        }));
        RankGrpoAdvantage rank =
                RankGrpoAdvantage.builder().optRankReward(RankReward.LOG_DECAY).build();
        PlainRankGrpo plainRank = new PlainRankGrpo(true, 1e-4);
        cases.add(
                new Case(
                        "Rank-GRPO",
                        "ND4J",
                        (n, a) -> new AdvantageWorkloads.RankWorkload(n, a, rank::compute)));
        cases.add(
                new Case(
                        "Rank-GRPO",
                        "plain Java",
                        (n, a) -> new AdvantageWorkloads.RankWorkload(n, a, plainRank::compute)));
        return cases;
    }

    /**
     * Runs the benchmark and prints the tables.
     *
     * @param argv see the class documentation
     */
    public static void main(String[] argv) {
        Args args = Args.parse(argv);
        PrintStream out = System.out;
        if (args.nd4jThreads() > 0) {
            Nd4j.getEnvironment().setMaxThreads(args.nd4jThreads());
            Nd4j.getEnvironment().setMaxMasterThreads(args.nd4jThreads());
        }
        List<Case> cases = new ArrayList<>();
        for (Case c : cases()) {
            if (c.estimator()
                    .toLowerCase(Locale.ROOT)
                    .contains(args.only().toLowerCase(Locale.ROOT))) {
                cases.add(c);
            }
        }
        crossCheck(cases, Arrays.stream(args.sizes()).min().orElse(1000), args, out);
        List<Result> results = new ArrayList<>();
        for (int size : args.sizes()) {
            for (Case c : cases) {
                results.add(measure(c, size, args));
            }
        }
        printTable(results, args, out);
        if (cases.stream().anyMatch(c -> c.estimator().equals("GRPO"))) {
            AdvantageProfiles.printGrpoBreakdown(
                    Arrays.stream(args.sizes()).max().orElse(1000), args, out);
        }
        if (args.segmentOps()) {
            AdvantageProfiles.printSegmentOps(
                    Arrays.stream(args.sizes()).max().orElse(1000), args, out);
        }
    }

    /** Times one case at one size: warm-up, then the median of the timed repetitions. */
    static Result measure(Case c, int rollouts, Args args) {
        Workload w = c.factory().prepare(rollouts, args);
        for (int i = 0; i < args.warmup(); i++) {
            w.run();
        }
        double[] ms = new double[args.repetitions()];
        for (int i = 0; i < ms.length; i++) {
            long t0 = System.nanoTime();
            w.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return new Result(c, w.rollouts(), w.rows(), ms[ms.length / 2], ms[0]);
    }

    /** Every estimator's implementations must agree before their speed means anything. */
    static void crossCheck(List<Case> cases, int rollouts, Args args, PrintStream out) {
        out.println(
                "Cross-check at "
                        + rollouts
                        + " rollouts (max |difference| to the first implementation):");
        for (Case c : cases) {
            Case first =
                    cases.stream()
                            .filter(o -> o.estimator().equals(c.estimator()))
                            .findFirst()
                            .orElseThrow();
            Workload wa = first.factory().prepare(rollouts, args);
            wa.run();
            Workload wb = c.factory().prepare(rollouts, args);
            wb.run();
            double[] a = wa.result();
            double[] b = wb.result();
            double max = 0;
            for (int i = 0; i < a.length; i++) {
                max = Math.max(max, Math.abs(a[i] - b[i]));
            }
            if (a.length != b.length || !(max < 1e-9)) {
                throw new IllegalStateException(
                        c.estimator()
                                + " "
                                + c.implementation()
                                + " differs from "
                                + first.implementation()
                                + " by "
                                + max);
            }
            out.printf(Locale.ROOT, "- %s %s: %.1e%n", c.estimator(), c.implementation(), max);
        }
        out.println();
    }

    static void printTable(List<Result> results, Args args, PrintStream out) {
        out.printf(
                Locale.ROOT,
                "Groups of %d; GiGPO trajectories of %d steps; %d warm-up runs, median of %d; %d"
                        + " cores; ND4J threads: max %d, master %d.%n%n",
                args.groupSize(),
                args.steps(),
                args.warmup(),
                args.repetitions(),
                Runtime.getRuntime().availableProcessors(),
                Nd4j.getEnvironment().maxThreads(),
                Nd4j.getEnvironment().maxMasterThreads());
        out.println(
                "| Estimator | Implementation | Rollouts | Loss rows | Median ms | Min ms |"
                        + " Rollouts/s | ND4J vs plain |");
        out.println("|---|---|---:|---:|---:|---:|---:|---|");
        for (Result r : results) {
            String versus = "";
            if (r.benchCase().implementation().equals("ND4J")) {
                Result plain =
                        results.stream()
                                .filter(
                                        o ->
                                                o.rollouts() == r.rollouts()
                                                        && o.benchCase()
                                                                .estimator()
                                                                .equals(r.benchCase().estimator())
                                                        && o.benchCase()
                                                                .implementation()
                                                                .equals("plain Java"))
                                .findFirst()
                                .orElse(null);
                if (plain != null) {
                    double ratio = r.medianMs() / plain.medianMs();
                    versus =
                            ratio > 1
                                    ? String.format(Locale.ROOT, "%.1fx slower (ND4J loses)", ratio)
                                    : String.format(Locale.ROOT, "%.1fx faster", 1 / ratio);
                }
            }
            out.printf(
                    Locale.ROOT,
                    "| %s | %s | %,d | %,d | %.2f | %.2f | %,.0f | %s |%n",
                    r.benchCase().estimator(),
                    r.benchCase().implementation(),
                    r.rollouts(),
                    r.rows(),
                    r.medianMs(),
                    r.minMs(),
                    r.rolloutsPerSecond(),
                    versus);
        }
        results.stream()
                .filter(
                        r ->
                                r.benchCase().estimator().equals("GRPO")
                                        && r.benchCase().implementation().equals("ND4J")
                                        && r.rollouts() >= 1_000_000)
                .forEach(
                        r ->
                                out.printf(
                                        Locale.ROOT,
                                        "%nTarget: GRPO advantages for %,d rollouts in under 50 ms"
                                                + " after warm-up: median %.1f ms, %s.%n",
                                        r.rollouts(),
                                        r.medianMs(),
                                        r.medianMs() < 50 ? "met" : "MISSED"));
    }
}
