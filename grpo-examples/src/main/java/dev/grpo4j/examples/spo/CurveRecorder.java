package dev.grpo4j.examples.spo;

import ai.djl.ndarray.NDManager;
import dev.grpo4j.core.policy.CausalLmPolicy;
import dev.grpo4j.core.train.StepMetrics;
import dev.grpo4j.core.train.listener.GrpoListener;
import dev.grpo4j.core.train.listener.JsonlMetricsWriter;
import dev.grpo4j.core.util.Checks;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Follows one training run: after every step it takes the share of zero advantages from the {@link
 * AdvantageProbe} and the step's wall time; every {@code every} steps (and after the last) it
 * evaluates the policy on the pool and the held-out set and records a {@link Point}. Every step's
 * trainer metrics go to a {@code metrics.jsonl}, extended with the example's own values ({@code
 * samples}, {@code samples/s}, {@code adv/zero_share}, and at evaluation steps {@code
 * eval/accuracy}, {@code eval/greedy_accuracy}, {@code eval/heldout_accuracy}, {@code
 * eval/accuracy_level_<d>}).
 */
public final class CurveRecorder implements GrpoListener, AutoCloseable {

    /**
     * One point of a run's curves.
     *
     * @param step training steps completed
     * @param samples completions sampled so far, including any spent before training (SPO's offline
     *     evaluation)
     * @param accuracy the pool accuracy ({@link PoolEvaluator.Evaluation#accuracy()})
     * @param greedyAccuracy the share of pool prompts greedy decoding solves
     * @param heldOutAccuracy the accuracy on the held-out set
     * @param levelAccuracy {@code [maxLevel]} the pool accuracy per level
     * @param zeroShare the share of zero advantages over the steps since the previous point (NaN
     *     for points before training)
     * @param samplesPerSecond training samples per second of step wall time since the previous
     *     point (NaN for points before training)
     * @param trackerError SPO only: the mean over the pool of {@code |p_tracker - p_policy|}, how
     *     far the tracker's success estimates lie from the policy's exact success probabilities
     *     (NaN without a tracker)
     */
    public record Point(
            long step,
            long samples,
            double accuracy,
            double greedyAccuracy,
            double heldOutAccuracy,
            double[] levelAccuracy,
            double zeroShare,
            double samplesPerSecond,
            double trackerError) {

        /**
         * Copies the per-level array.
         *
         * @param step the step
         * @param samples the samples
         * @param accuracy the accuracy
         * @param greedyAccuracy the greedy accuracy
         * @param heldOutAccuracy the held-out accuracy
         * @param levelAccuracy the per-level accuracy
         * @param zeroShare the zero-advantage share
         * @param samplesPerSecond the throughput
         * @param trackerError the tracker error
         */
        public Point {
            levelAccuracy = levelAccuracy.clone();
        }

        /**
         * A copy of the per-level accuracy.
         *
         * @return {@code [maxLevel]} values
         */
        @Override
        public double[] levelAccuracy() {
            return levelAccuracy.clone();
        }
    }

    private final String name;
    private final CausalLmPolicy policy;
    private final PoolEvaluator pool;
    private final PoolEvaluator heldOut;
    private final AdvantageProbe probe;
    private final NDManager manager;
    private final int samplesPerStep;
    private final int every;
    private final int maxLevel;
    private final JsonlMetricsWriter metrics;
    private final PrintStream log;
    private final ToDoubleFunction<String> tracker;
    private final List<String> poolKeys;
    private final List<Point> points = new ArrayList<>();
    private long samples;
    private long totalSteps;
    private double zeroSum;
    private int zeroSteps;
    private double secondsSinceLast;
    private long samplesSinceLast;

    private CurveRecorder(Builder b) {
        this.name = b.name;
        this.policy = b.policy;
        this.pool = b.pool;
        this.heldOut = b.heldOut;
        this.probe = b.probe;
        this.manager = b.manager;
        this.samplesPerStep = b.samplesPerStep;
        this.every = b.every;
        this.maxLevel = b.maxLevel;
        this.metrics = new JsonlMetricsWriter(b.metricsFile);
        this.log = b.log;
        this.samples = b.samplesBefore;
        this.tracker = b.tracker;
        this.poolKeys = b.poolKeys;
    }

    /**
     * Starts a builder.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Evaluates the policy as it stands and records a point without training metrics: the initial
     * policy, and for SPO the same policy again after its offline evaluation has spent samples.
     *
     * @param step the steps completed so far
     * @param samplesSoFar the completions sampled so far
     */
    public void recordUntrained(long step, long samplesSoFar) {
        record(step, samplesSoFar, Double.NaN, Double.NaN, null);
    }

    @Override
    public void onTrainingStart(long firstStep, long steps) {
        this.totalSteps = steps;
        metrics.onTrainingStart(firstStep, steps);
    }

    @Override
    public void onStepEnd(StepMetrics m) {
        samples += samplesPerStep;
        double zero = probe.takeZeroShare();
        zeroSum += zero;
        zeroSteps++;
        secondsSinceLast += m.seconds();
        samplesSinceLast += samplesPerStep;
        Map<String, Double> values = new LinkedHashMap<>(m.values());
        values.put("samples", (double) samples);
        values.put("samples/s", samplesPerStep / m.seconds());
        values.put("adv/zero_share", zero);
        if (m.step() % every == 0 || m.step() == totalSteps) {
            Point p =
                    record(
                            m.step(),
                            samples,
                            zeroSum / zeroSteps,
                            samplesSinceLast / secondsSinceLast,
                            values);
            zeroSum = 0;
            zeroSteps = 0;
            secondsSinceLast = 0;
            samplesSinceLast = 0;
            log.printf(
                    Locale.ROOT,
                    "%-4s step %5d  samples %7d  accuracy %.3f  greedy %.3f  held-out %.3f"
                            + "  zero-adv %.2f  samples/s %6.0f  tracker-err %.3f%n",
                    name,
                    p.step(),
                    p.samples(),
                    p.accuracy(),
                    p.greedyAccuracy(),
                    p.heldOutAccuracy(),
                    p.zeroShare(),
                    p.samplesPerSecond(),
                    p.trackerError());
        }
        metrics.onStepEnd(new StepMetrics(m.step(), values, m.seconds()));
    }

    private Point record(
            long step,
            long samplesSoFar,
            double zeroShare,
            double perSecond,
            Map<String, Double> into) {
        PoolEvaluator.Evaluation e = pool.evaluate(policy, manager);
        double held = heldOut.evaluate(policy, manager).accuracy();
        double trackerError = Double.NaN;
        if (tracker != null) {
            double[] truth = e.probability();
            double sum = 0;
            for (int i = 0; i < truth.length; i++) {
                sum += Math.abs(tracker.applyAsDouble(poolKeys.get(i)) - truth[i]);
            }
            trackerError = sum / truth.length;
        }
        double[] levels = new double[maxLevel];
        for (int d = 1; d <= maxLevel; d++) {
            levels[d - 1] = e.accuracy(d);
        }
        Point p =
                new Point(
                        step,
                        samplesSoFar,
                        e.accuracy(),
                        e.greedyAccuracy(),
                        held,
                        levels,
                        zeroShare,
                        perSecond,
                        trackerError);
        points.add(p);
        if (into != null) {
            into.put("eval/accuracy", p.accuracy());
            into.put("eval/greedy_accuracy", p.greedyAccuracy());
            into.put("eval/heldout_accuracy", held);
            for (int d = 1; d <= maxLevel; d++) {
                into.put("eval/accuracy_level_" + d, levels[d - 1]);
            }
            if (tracker != null) {
                into.put("eval/tracker_error", trackerError);
            }
        }
        return p;
    }

    @Override
    public void onTrainingEnd(List<StepMetrics> history) {
        metrics.onTrainingEnd(history);
    }

    /**
     * The recorded points, in order.
     *
     * @return a copy
     */
    public List<Point> points() {
        return List.copyOf(points);
    }

    @Override
    public void close() {
        metrics.close();
    }

    /** Builds a {@link CurveRecorder}. */
    public static final class Builder {
        private String name;
        private CausalLmPolicy policy;
        private PoolEvaluator pool;
        private PoolEvaluator heldOut;
        private AdvantageProbe probe;
        private NDManager manager;
        private int samplesPerStep;
        private int every = 10;
        private int maxLevel;
        private long samplesBefore;
        private Path metricsFile;
        private PrintStream log = System.out;
        private ToDoubleFunction<String> tracker;
        private List<String> poolKeys;

        private Builder() {}

        /**
         * Compares a per-prompt success tracker (SPO's) with the policy at every evaluation.
         *
         * @param poolKeys the keys of the pool prompts, in the pool evaluator's order
         * @param tracker a prompt key's estimated success probability
         * @return this builder
         */
        public Builder optTracker(List<String> poolKeys, ToDoubleFunction<String> tracker) {
            this.poolKeys = List.copyOf(poolKeys);
            this.tracker = tracker;
            return this;
        }

        /**
         * Sets the run's name for the log, e.g. {@code spo}.
         *
         * @param name the name
         * @return this builder
         */
        public Builder setName(String name) {
            this.name = name;
            return this;
        }

        /**
         * Sets the policy being trained.
         *
         * @param policy the policy
         * @param manager a manager for the evaluation passes
         * @return this builder
         */
        public Builder setPolicy(CausalLmPolicy policy, NDManager manager) {
            this.policy = policy;
            this.manager = manager;
            return this;
        }

        /**
         * Sets the evaluation sets.
         *
         * @param pool the training pool
         * @param heldOut prompts never trained on
         * @param maxLevel the family's hardest level
         * @return this builder
         */
        public Builder setEvaluators(PoolEvaluator pool, PoolEvaluator heldOut, int maxLevel) {
            this.pool = pool;
            this.heldOut = heldOut;
            this.maxLevel = maxLevel;
            return this;
        }

        /**
         * Sets the probe that wraps the run's estimator.
         *
         * @param probe the probe
         * @return this builder
         */
        public Builder setProbe(AdvantageProbe probe) {
            this.probe = probe;
            return this;
        }

        /**
         * Sets the completions sampled per training step.
         *
         * @param samplesPerStep prompts per step times completions per prompt
         * @return this builder
         */
        public Builder setSamplesPerStep(int samplesPerStep) {
            this.samplesPerStep = Checks.positive("samples per step", samplesPerStep);
            return this;
        }

        /**
         * Sets the completions already sampled before training (default 0).
         *
         * @param samplesBefore the count
         * @return this builder
         */
        public Builder optSamplesBefore(long samplesBefore) {
            Checks.require(
                    samplesBefore >= 0, "samples before must be >= 0 but was %d", samplesBefore);
            this.samplesBefore = samplesBefore;
            return this;
        }

        /**
         * Sets how often to evaluate, in steps (default 10).
         *
         * @param every steps between evaluations
         * @return this builder
         */
        public Builder optEvery(int every) {
            this.every = Checks.positive("evaluation interval", every);
            return this;
        }

        /**
         * Sets the file the per-step metrics go to.
         *
         * @param metricsFile the JSONL file
         * @return this builder
         */
        public Builder setMetricsFile(Path metricsFile) {
            this.metricsFile = metricsFile;
            return this;
        }

        /**
         * Sets where progress lines go (default standard output).
         *
         * @param log the stream
         * @return this builder
         */
        public Builder optLog(PrintStream log) {
            this.log = log;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the recorder
         */
        public CurveRecorder build() {
            Checks.require(name != null, "a run name is required: call setName(...)");
            Checks.require(policy != null, "a policy is required: call setPolicy(...)");
            Checks.require(pool != null, "evaluation sets are required: call setEvaluators(...)");
            Checks.require(probe != null, "a probe is required: call setProbe(...)");
            Checks.require(samplesPerStep > 0, "call setSamplesPerStep(...)");
            Checks.require(
                    metricsFile != null, "a metrics file is required: call setMetricsFile(...)");
            return new CurveRecorder(this);
        }
    }
}
