package dev.grpo4j.examples;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.grpo4j.advantage.GrpoAdvantage;
import dev.grpo4j.advantage.SpoAdvantage;
import dev.grpo4j.advantage.SpoPromptSampler;
import dev.grpo4j.core.policy.SamplingConfig;
import dev.grpo4j.core.reward.RewardSet;
import dev.grpo4j.core.rollout.Prompt;
import dev.grpo4j.core.train.GrpoConfig;
import dev.grpo4j.core.train.GrpoTrainer;
import dev.grpo4j.core.train.PromptSource;
import dev.grpo4j.core.train.PromptSources;
import dev.grpo4j.core.train.optim.LearningRateSchedule;
import dev.grpo4j.examples.spo.AdvantageProbe;
import dev.grpo4j.examples.spo.CurveRecorder;
import dev.grpo4j.examples.spo.OfflineEstimate;
import dev.grpo4j.examples.spo.PoolEvaluator;
import dev.grpo4j.examples.spo.RecallTasks;
import dev.grpo4j.examples.support.ComparisonReport;
import dev.grpo4j.examples.support.ExampleOptions;
import dev.grpo4j.prefix.model.CausalTransformer;
import dev.grpo4j.prefix.model.TransformerConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/**
 * SPO single-stream against GRPO at an equal sample budget, on a fixed pool of prompts of mixed
 * difficulty (ALGORITHMS.md section 4; docs/algorithms/spo.md has the curves and their reading).
 *
 * <p><b>The task.</b> {@link RecallTasks}: a prompt shows a level d from 1 to 4 and a six-digit
 * key, and the answer is the first d digits of the key's secret code (a fixed pseudo-random table
 * the policy has to memorise by trial and error; {@code --task copy} makes the code the key's own
 * digits instead). The reward is 1 for the exact code, else 0. A policy that gets one code digit
 * right with probability q solves level d about {@code q^d} of the time, so the pool holds prompts
 * that are soon always solved and prompts that are never solved, where a GRPO group of G samples is
 * all right or all wrong and its advantages are all zero. The pool has 128 prompts per level.
 *
 * <p><b>The two runs,</b> from the same seed, the same initial transformer (trained from scratch)
 * and the same optimiser settings (Adam, peak learning rate 1e-3 with warm-up and cosine decay, KL
 * coefficient beta 0.04 to the initial policy, which keeps both from collapsing onto a wrong code
 * early), each sampling {@code batch} completions per step (default 64):
 *
 * <ul>
 *   <li><b>GRPO:</b> {@code batch / G} prompts drawn uniformly from the pool, G completions each,
 *       group-normalised advantages.
 *   <li><b>SPO:</b> {@code batch} prompts, one completion each ({@code num_generations = 1}), drawn
 *       by {@link SpoPromptSampler} in proportion to {@code sqrt(p (1 - p)) + 0.05}; advantages
 *       {@code r - p(x)} against the per-prompt tracker, normalised over the batch; the trainer
 *       measures drift and updates the tracker. The tracker starts from an offline evaluation of
 *       the initial policy, {@code n0} samples per pool prompt. <em>These samples count against
 *       SPO's budget:</em> SPO trains for {@code steps - ceil(pool * n0 / batch)} steps, so both
 *       runs sample the same number of completions in total.
 * </ul>
 *
 * <p><b>What is reported.</b> Accuracy is the mean probability that one sample solves a pool
 * prompt, computed exactly from the policy's logits (teacher forcing; no sampling noise), which is
 * the expected reward of a uniformly drawn pool prompt; the same for a held-out set of unseen
 * prompts, and greedy accuracy. Also the share of zero advantages among the samples (measured on
 * the advantages the trainer uses) and the training samples per second. Into {@code --out}: {@code
 * accuracy.csv/png}, {@code accuracy_by_level.csv/png}, {@code heldout_accuracy.csv/png}, {@code
 * zero_advantage.csv/png}, {@code samples_per_second.csv/png} (x axis: completions sampled), and
 * each run's {@code metrics.jsonl} in {@code spo/} and {@code grpo/}. The last line is {@code FINAL
 * method=<SPO accuracy> baseline=<GRPO accuracy> metric=accuracy steps=<n> seconds=<wall>}, each
 * accuracy the mean of the last three evaluations.
 *
 * <p>Run: {@code mvn -q -B -pl grpo-examples -am -DskipTests package exec:exec
 * -Dexample=SpoExample} (add {@code -Dargs="--quick"} for the CI run, which exits with 1 unless SPO
 * improved over the initial policy). Options: {@code --steps --seed --out --quick} and {@code
 * --task lookup|copy}, {@code --batch B}, {@code --group G}, {@code --lr RATE}, {@code --beta B},
 * {@code --offline-samples N0}, {@code --pool PER_LEVEL}, {@code --eval-every STEPS}.
 */
public final class SpoExample {

    static final int FULL_STEPS = 1000;
    static final int QUICK_STEPS = 150;
    static final Path DEFAULT_OUT = Path.of("runs", "spo");
    static final Set<String> EXTRA_OPTIONS =
            Set.of("task", "batch", "group", "lr", "beta", "offline-samples", "pool", "eval-every");

    /** Digits per key and the hardest level. */
    static final int DIGITS = 6;

    static final int LEVELS = 4;

    /** How many evaluations the FINAL values average. */
    static final int FINAL_WINDOW = 3;

    /** The quick run passes when SPO's accuracy rose by at least this much. */
    static final double QUICK_MIN_GAIN = 0.05;

    /**
     * The sizes and hyperparameters of a comparison, from the options.
     *
     * @param steps GRPO's training steps; SPO trains fewer, see {@link #spoSteps()}
     * @param seed the seed of the pool, the initial policy and every sample
     * @param rule what the codes are
     * @param perLevel pool prompts per level
     * @param batch completions sampled per step, by both methods
     * @param group GRPO's G
     * @param learningRate Adam's peak learning rate (cosine schedule with warm-up)
     * @param beta the KL coefficient to the initial policy
     * @param offlineSamples SPO's n0
     * @param evalEvery steps between evaluations
     */
    record Settings(
            int steps,
            long seed,
            RecallTasks.Rule rule,
            int perLevel,
            int batch,
            int group,
            double learningRate,
            double beta,
            int offlineSamples,
            int evalEvery) {

        static Settings of(ExampleOptions o) {
            Settings s =
                    new Settings(
                            o.steps(),
                            o.seed(),
                            RecallTasks.Rule.fromName(o.extra().getOrDefault("task", "lookup")),
                            (int) o.number("pool", o.quick() ? 32 : 128),
                            (int) o.number("batch", 64),
                            (int) o.number("group", 8),
                            o.number("lr", 1e-3),
                            o.number("beta", 0.04),
                            (int) o.number("offline-samples", 4),
                            (int) o.number("eval-every", o.quick() ? 10 : 20));
            if (s.perLevel < 1 || s.batch < 2 || s.group < 2 || s.batch % s.group != 0) {
                throw new IllegalArgumentException(
                        String.format(
                                Locale.ROOT,
                                "--pool must be >= 1, --batch >= 2 and --group >= 2 with the batch"
                                        + " a multiple of the group, but were %d, %d and %d",
                                s.perLevel,
                                s.batch,
                                s.group));
            }
            if (s.spoSteps() < 1) {
                throw new IllegalArgumentException(
                        "--steps "
                                + s.steps
                                + " leaves SPO no training steps after its offline evaluation of "
                                + s.offlineSampleCount()
                                + " samples; raise --steps or lower --offline-samples");
            }
            return s;
        }

        int poolSize() {
            return perLevel * LEVELS;
        }

        long offlineSampleCount() {
            return (long) poolSize() * offlineSamples;
        }

        /** SPO's steps: the budget minus the offline samples, rounded up to whole steps. */
        int spoSteps() {
            return steps - (int) ((offlineSampleCount() + batch - 1) / batch);
        }
    }

    /** The two methods; each knows its group size, prompt source and estimator. */
    enum Method {
        SPO {
            @Override
            int generations(Settings s) {
                return 1;
            }

            @Override
            int steps(Settings s) {
                return s.spoSteps();
            }

            @Override
            Setup prepare(Run run) {
                SpoAdvantage spo =
                        SpoAdvantage.builder()
                                .optOfflineSamples(run.settings.offlineSamples)
                                .build();
                long offline =
                        OfflineEstimate.initialize(
                                spo,
                                run.policy,
                                run.pool,
                                run.sampling,
                                run.settings.offlineSamples,
                                new SplittableRandom(run.settings.seed ^ 0x5D0L),
                                run.manager);
                return new Setup(
                        AdvantageProbe.of(spo),
                        SpoPromptSampler.of(spo, run.pool),
                        offline,
                        spo::estimate);
            }
        },
        GRPO {
            @Override
            int generations(Settings s) {
                return s.group;
            }

            @Override
            int steps(Settings s) {
                return s.steps;
            }

            @Override
            Setup prepare(Run run) {
                return new Setup(
                        AdvantageProbe.of(GrpoAdvantage.builder().build()),
                        PromptSources.uniform(run.pool),
                        0,
                        null);
            }
        };

        abstract int generations(Settings s);

        abstract int steps(Settings s);

        abstract Setup prepare(Run run);

        String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What a method needs before training: its estimator (probed), prompts and samples spent. */
    record Setup(
            AdvantageProbe probe,
            PromptSource prompts,
            long samplesBefore,
            ToDoubleFunction<String> tracker) {}

    /** The context of one run, for {@link Method#prepare}. */
    record Run(
            Settings settings,
            CausalTransformer policy,
            List<Prompt> pool,
            SamplingConfig sampling,
            NDManager manager) {}

    /**
     * The outcome of one run.
     *
     * @param method the method
     * @param steps its training steps
     * @param points its curve points
     * @param seconds its wall time, offline evaluation included
     * @param offlineSeconds the offline evaluation's share of it
     */
    record RunResult(
            Method method,
            int steps,
            List<CurveRecorder.Point> points,
            double seconds,
            double offlineSeconds) {}

    /**
     * The outcome of the comparison.
     *
     * @param spo the SPO run
     * @param grpo the GRPO run
     * @param report the accuracy curves, whose final values the FINAL line reports
     * @param seconds the wall time of the whole example
     */
    record Result(RunResult spo, RunResult grpo, ComparisonReport report, double seconds) {

        String finalLine(int steps) {
            return report.finalLine(Method.SPO.id(), Method.GRPO.id(), steps, seconds);
        }

        double spoInitialAccuracy() {
            return spo.points().get(0).accuracy();
        }

        double spoFinalAccuracy() {
            return report.finalValue(Method.SPO.id());
        }
    }

    private SpoExample() {}

    /**
     * Runs the comparison and prints the FINAL line.
     *
     * @param argv the options
     */
    public static void main(String[] argv) {
        ExampleOptions options =
                ExampleOptions.parse(
                        argv, "SpoExample", DEFAULT_OUT, FULL_STEPS, QUICK_STEPS, EXTRA_OPTIONS);
        Settings settings = Settings.of(options);
        Result result = run(settings, options.out(), System.out);
        System.out.println(result.finalLine(settings.steps()));
        if (options.quick()
                && !(result.spoFinalAccuracy() >= result.spoInitialAccuracy() + QUICK_MIN_GAIN)) {
            System.err.printf(
                    Locale.ROOT,
                    "quick run: SPO's accuracy went from %.4f to %.4f, less than the required gain"
                            + " %.2f%n",
                    result.spoInitialAccuracy(),
                    result.spoFinalAccuracy(),
                    QUICK_MIN_GAIN);
            System.exit(1);
        }
    }

    /**
     * Trains SPO and GRPO and writes the curves.
     *
     * @param s the settings
     * @param out the output directory
     * @param log where progress goes
     * @return the result
     */
    static Result run(Settings s, Path out, PrintStream log) {
        long start = System.nanoTime();
        RecallTasks tasks = new RecallTasks(DIGITS, LEVELS, s.rule());
        SplittableRandom poolRandom = new SplittableRandom(s.seed());
        int[] counts = new int[LEVELS];
        Arrays.fill(counts, s.perLevel());
        List<Prompt> pool = tasks.pool(counts, poolRandom);
        List<Prompt> heldOut = heldOut(tasks, pool, counts, poolRandom);
        log.printf(
                Locale.ROOT,
                "%s task, pool: %d prompts (%d per level 1..%d), held-out: %d; %d samples per step;"
                        + " GRPO %d steps of %d x %d, SPO %d offline samples + %d steps of %d x 1%n",
                s.rule().name().toLowerCase(Locale.ROOT),
                pool.size(),
                s.perLevel(),
                LEVELS,
                heldOut.size(),
                s.batch(),
                s.steps(),
                s.batch() / s.group(),
                s.group(),
                s.offlineSampleCount(),
                s.spoSteps(),
                s.batch());
        RunResult spo = train(Method.SPO, s, tasks, pool, heldOut, out, log);
        RunResult grpo = train(Method.GRPO, s, tasks, pool, heldOut, out, log);

        ComparisonReport accuracy = new ComparisonReport("accuracy", FINAL_WINDOW);
        ComparisonReport heldOutAccuracy = new ComparisonReport("heldout_accuracy", FINAL_WINDOW);
        ComparisonReport byLevel = new ComparisonReport("accuracy", FINAL_WINDOW);
        ComparisonReport zero = new ComparisonReport("zero_advantage_share", FINAL_WINDOW);
        ComparisonReport speed = new ComparisonReport("samples_per_second", FINAL_WINDOW);
        for (RunResult r : List.of(spo, grpo)) {
            String id = r.method().id();
            for (CurveRecorder.Point p : r.points()) {
                accuracy.add(id, p.samples(), p.accuracy());
                heldOutAccuracy.add(id, p.samples(), p.heldOutAccuracy());
                for (int d = 1; d <= LEVELS; d++) {
                    byLevel.add(id + " L" + d, p.samples(), p.levelAccuracy()[d - 1]);
                }
                if (!Double.isNaN(p.zeroShare())) {
                    zero.add(id, p.samples(), p.zeroShare());
                    speed.add(id, p.samples(), p.samplesPerSecond());
                }
            }
        }
        String x = "completions sampled";
        accuracy.write(out, "accuracy", "SPO vs GRPO at equal samples: pool accuracy", x);
        heldOutAccuracy.write(out, "heldout_accuracy", "Held-out accuracy", x);
        byLevel.write(out, "accuracy_by_level", "Pool accuracy per level (L1 easy .. L4 hard)", x);
        zero.write(out, "zero_advantage", "Share of samples with zero advantage", x);
        speed.write(out, "samples_per_second", "Training samples per second of step time", x);
        double seconds = (System.nanoTime() - start) / 1e9;
        log.printf(
                Locale.ROOT,
                "spo: %d steps, %.1f s (offline estimate %.1f s); grpo: %d steps, %.1f s%n",
                spo.steps(),
                spo.seconds(),
                spo.offlineSeconds(),
                grpo.steps(),
                grpo.seconds());
        return new Result(spo, grpo, accuracy, seconds);
    }

    /** Fresh prompts of the same level mix, none of them in the pool. */
    private static List<Prompt> heldOut(
            RecallTasks tasks, List<Prompt> pool, int[] counts, SplittableRandom random) {
        Set<String> seen = new HashSet<>();
        pool.forEach(p -> seen.add(p.key()));
        List<Prompt> out = new ArrayList<>();
        for (int d = 1; d <= LEVELS; d++) {
            int added = 0;
            while (added < counts[d - 1]) {
                Prompt p = tasks.random(d, random);
                if (seen.add(p.key())) {
                    out.add(p);
                    added++;
                }
            }
        }
        return out;
    }

    private static RunResult train(
            Method method,
            Settings s,
            RecallTasks tasks,
            List<Prompt> pool,
            List<Prompt> heldOut,
            Path out,
            PrintStream log) {
        long start = System.nanoTime();
        try (NDManager manager = NDManager.newBaseManager()) {
            TransformerConfig model =
                    TransformerConfig.builder()
                            .setVocabSize(tasks.vocabSize())
                            .setWidth(64)
                            .setLayers(2)
                            .setHeads(4)
                            .optKvHeads(2)
                            .optMlpWidth(128)
                            .setMaxSequenceLength(tasks.promptLength() + tasks.completionLength())
                            .build();
            CausalTransformer policy =
                    CausalTransformer.create(manager, model, DataType.FLOAT32, (int) s.seed());
            int steps = method.steps(s);
            GrpoConfig config =
                    GrpoConfig.builder()
                            .optNumGenerations(method.generations(s))
                            .optPromptsPerStep(s.batch() / method.generations(s))
                            .optMaxPromptLength(tasks.promptLength())
                            .optMaxCompletionLength(tasks.completionLength())
                            .optClip(0.2, 0.28)
                            .optLearningRate(s.learningRate())
                            .optLrScheduler(LearningRateSchedule.COSINE)
                            .optWarmupSteps(Math.min(10, steps / 10))
                            .optMaxSteps(steps)
                            .optMaxGradNorm(1.0)
                            .optBeta(s.beta())
                            .optSeed(s.seed())
                            .build();
            Run run = new Run(s, policy, pool, config.samplingConfig(), manager);
            Setup setup = method.prepare(run);
            double offlineSeconds = (System.nanoTime() - start) / 1e9;
            try (CurveRecorder recorder =
                    CurveRecorder.builder()
                            .setName(method.id())
                            .setPolicy(policy, manager)
                            .setEvaluators(
                                    new PoolEvaluator(tasks, pool),
                                    new PoolEvaluator(tasks, heldOut),
                                    LEVELS)
                            .setProbe(setup.probe())
                            .setSamplesPerStep(s.batch())
                            .optSamplesBefore(setup.samplesBefore())
                            .optEvery(s.evalEvery())
                            .setMetricsFile(out.resolve(method.id()).resolve("metrics.jsonl"))
                            .optLog(log)
                            .optTracker(pool.stream().map(Prompt::key).toList(), setup.tracker())
                            .build()) {
                recorder.recordUntrained(0, 0);
                if (setup.samplesBefore() > 0) {
                    recorder.recordUntrained(0, setup.samplesBefore());
                }
                try (GrpoTrainer trainer =
                        GrpoTrainer.builder()
                                .setPolicy(policy)
                                .setConfig(config)
                                .setPromptSource(setup.prompts())
                                .optRewards(RewardSet.of(RecallTasks.reward()))
                                .optAdvantageEstimator(setup.probe())
                                .optTokenDecoder(tasks::text)
                                .optDefaultListeners(false)
                                .addListener(recorder)
                                .build()) {
                    trainer.train();
                }
                return new RunResult(
                        method,
                        steps,
                        recorder.points(),
                        (System.nanoTime() - start) / 1e9,
                        offlineSeconds);
            }
        }
    }
}
