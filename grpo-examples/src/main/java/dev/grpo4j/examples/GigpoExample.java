package dev.grpo4j.examples;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import dev.grpo4j.advantage.EpisodeStatistics;
import dev.grpo4j.advantage.GigpoAdvantage;
import dev.grpo4j.advantage.GigpoMode;
import dev.grpo4j.core.rollout.Prompt;
import dev.grpo4j.core.train.GrpoConfig;
import dev.grpo4j.core.train.GrpoTrainer;
import dev.grpo4j.core.train.PromptSources;
import dev.grpo4j.core.train.StepMetrics;
import dev.grpo4j.core.train.listener.GrpoListener;
import dev.grpo4j.core.train.optim.LearningRateSchedule;
import dev.grpo4j.examples.gigpo.ActionMaskedPolicy;
import dev.grpo4j.examples.gigpo.EpisodeLog;
import dev.grpo4j.examples.gigpo.GridEvaluation;
import dev.grpo4j.examples.gigpo.GridMap;
import dev.grpo4j.examples.gigpo.GridMaps;
import dev.grpo4j.examples.gigpo.GridTask;
import dev.grpo4j.examples.gigpo.GridVocabulary;
import dev.grpo4j.examples.gigpo.GridWorld;
import dev.grpo4j.examples.gigpo.Move;
import dev.grpo4j.examples.support.ComparisonReport;
import dev.grpo4j.examples.support.ExampleOptions;
import dev.grpo4j.prefix.model.CausalTransformer;
import dev.grpo4j.prefix.model.TransformerConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * GiGPO against GRPO on a text grid world, both trained from scratch on the same budget.
 *
 * <p><b>The task.</b> An agent walks the 7 x 7 mazes of {@link GridMaps}. Each turn it reads an
 * eleven-token observation ({@link GridMap#observation}: the map, its cell, where the goal lies and
 * the open exits, e.g. {@code B 3 4 up 2 left 1 up # left right}) and writes one move token.
 * Reaching the goal within {@code --turns} turns pays 1; nothing else pays (a sparse final reward).
 * A move into a wall wastes the turn. A step draws {@code --tasks} tasks (map, start, goal;
 * shortest paths of 3 to 10 moves) and plays {@code --group} episodes of each from the same start,
 * so the episodes of a group keep returning to the same cells: GiGPO's anchor states.
 *
 * <p><b>The policy.</b> A two-layer {@link CausalTransformer} of width 64, trained from random
 * weights, whose output is masked to the four move tokens ({@link ActionMaskedPolicy}).
 *
 * <p><b>The comparison.</b> Two runs, one after the other, from the same initial weights, with the
 * same seed, the same tasks at every step and the same budget: GiGPO ({@link GigpoAdvantage} with
 * step weight omega = 1 and gamma = 0.95 as in verl-agent's scripts) and the GRPO baseline (the
 * same estimator with omega = 0: only the episode advantage, which every turn of an episode
 * shares). Both use the same normalisation, {@code --mode}, by default {@link GigpoMode#MEAN_NORM}
 * (verl-agent's configuration default): dividing by the standard deviation ({@code mean_std_norm})
 * inflates the step advantages of cells whose returns differ only by a discount factor to +-1, as
 * large as the difference between reaching the goal and not (see docs/algorithms/gigpo.md).
 *
 * <p><b>The metric.</b> 128 tasks are held out of training (a split that does not depend on {@code
 * --seed}). Every {@code steps / 15} steps, and before the first, each run's policy plays each of
 * them {@value #EVAL_EPISODES} times with a fixed sampling seed ({@link GridEvaluation}); the
 * reported success rate is the mean of the last {@value #FINAL_EVALUATIONS} evaluations. The
 * training batch's own success rate (a few freshly drawn tasks per step) is far too noisy for a
 * final figure; it is charted for reference.
 *
 * <p>Written to {@code --out}: {@code success_rate.csv/.png} (held-out), {@code
 * train_success_rate.csv/.png} and {@code wasted_turns.csv/.png} (share of turns spent walking into
 * walls; both means of the last 10 steps), and each run's trainer metrics in {@code
 * gigpo/metrics.jsonl} and {@code grpo/metrics.jsonl} (there {@code reward} is the training success
 * rate). The last line is
 *
 * <pre>
 * FINAL method=&lt;GiGPO success&gt; baseline=&lt;GRPO success&gt; metric=success_rate steps=&lt;n&gt; seconds=&lt;wall&gt;
 * </pre>
 *
 * <p>{@code --quick} (CI) runs 60 steps and exits with status 1 unless GiGPO's final held-out
 * success rate beats the initial policy's by at least 0.1.
 *
 * <p>Run: {@code mvn -q -B -pl grpo-examples -am -DskipTests package exec:exec
 * -Dexample=GigpoExample -Dargs="--quick"}; options {@code --steps --seed --out --quick --tasks
 * --group --turns --lr --mode}.
 */
public final class GigpoExample {

    static final int FULL_STEPS = 300;
    static final int QUICK_STEPS = 60;
    static final double QUICK_MIN_GAIN = 0.1;
    static final int SMOOTHING = 10;
    static final int MIN_MOVES = 3;
    static final int MAX_MOVES = 10;

    /** Tasks held out of training for the evaluation; the split never depends on --seed. */
    static final int HELD_OUT = 128;

    static final long SPLIT_SEED = 20240607L;
    static final int EVAL_EPISODES = 4;

    /** The final metric averages this many last evaluations. */
    static final int FINAL_EVALUATIONS = 3;

    static final GigpoMode DEFAULT_MODE = GigpoMode.MEAN_NORM;

    /** The two estimators compared; each constant builds its own. */
    enum Method {
        /** Episode and step advantage, omega = 1. */
        GIGPO(1.0),
        /** Episode advantage only, omega = 0: every turn of an episode shares its advantage. */
        GRPO(0.0);

        private final double stepWeight;

        Method(double stepWeight) {
            this.stepWeight = stepWeight;
        }

        GigpoAdvantage estimator(GigpoMode mode) {
            return GigpoAdvantage.builder()
                    .optGamma(0.95)
                    .optStepWeight(stepWeight)
                    .optMode(mode)
                    .optEpisodeStatistics(EpisodeStatistics.PER_STEP)
                    .build();
        }

        String series() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Everything a run depends on.
     *
     * @param steps training steps of each run
     * @param seed the seed of the weights, the task draws and the sampling
     * @param out the output directory
     * @param quick whether this is the CI run
     * @param tasksPerStep tasks drawn per step
     * @param group episodes per task, G
     * @param turnLimit the most turns of an episode
     * @param learningRate AdamW's peak learning rate
     * @param mode the normalisation of both the episode and the step advantages, for both methods
     */
    record Settings(
            int steps,
            long seed,
            Path out,
            boolean quick,
            int tasksPerStep,
            int group,
            int turnLimit,
            double learningRate,
            GigpoMode mode) {

        static final Set<String> OPTIONS = Set.of("tasks", "group", "turns", "lr", "mode");

        static Settings parse(String... argv) {
            ExampleOptions o =
                    ExampleOptions.parse(
                            argv,
                            "GigpoExample",
                            Path.of("runs", "gigpo"),
                            FULL_STEPS,
                            QUICK_STEPS,
                            OPTIONS);
            return new Settings(
                    o.steps(),
                    o.seed(),
                    o.out(),
                    o.quick(),
                    whole(o, "tasks", 8),
                    whole(o, "group", 8),
                    whole(o, "turns", 16),
                    o.number("lr", 1e-3),
                    mode(o.extra().getOrDefault("mode", DEFAULT_MODE.name())));
        }

        private static GigpoMode mode(String name) {
            for (GigpoMode m : GigpoMode.values()) {
                if (m.name().equalsIgnoreCase(name)) {
                    return m;
                }
            }
            throw new IllegalArgumentException(
                    "--mode must be one of "
                            + Arrays.toString(GigpoMode.values())
                            + " but was '"
                            + name
                            + "'");
        }

        /** Evaluate every this many steps: 15 evaluations per run after the initial one. */
        int evalEvery() {
            return Math.max(1, steps / 15);
        }

        private static int whole(ExampleOptions o, String key, int fallback) {
            double v = o.number(key, fallback);
            if (v != Math.rint(v) || v < 1) {
                throw new IllegalArgumentException(
                        "--" + key + " needs a positive integer but was " + v);
            }
            return (int) v;
        }
    }

    /**
     * One run's figures.
     *
     * @param evalSteps the steps after which the policy was evaluated, 0 (the initial policy) first
     * @param evalSuccess the held-out success rate at those steps
     * @param trainSuccess per step, the share of the step's training episodes that reached the goal
     * @param wastedTurns per step, the share of the step's training turns that walked into a wall
     */
    record Curve(
            int[] evalSteps, double[] evalSuccess, double[] trainSuccess, double[] wastedTurns) {}

    /**
     * What the example reports.
     *
     * @param finalLine the FINAL line
     * @param gigpo GiGPO's final held-out success rate
     * @param grpo GRPO's final held-out success rate
     * @param initial the initial policy's held-out success rate (the same weights for both runs)
     */
    record Result(String finalLine, double gigpo, double grpo, double initial) {

        boolean improved() {
            return gigpo >= initial + QUICK_MIN_GAIN;
        }
    }

    /**
     * Runs both trainings and prints the FINAL line; with {@code --quick} exits with status 1
     * unless GiGPO improved on the initial policy.
     *
     * @param argv the command line
     */
    public static void main(String[] argv) {
        Settings s = Settings.parse(argv);
        Result r = run(s, System.out);
        System.out.println(r.finalLine());
        if (s.quick() && !r.improved()) {
            System.err.printf(
                    Locale.ROOT,
                    "quick run: GiGPO's success rate %.3f did not beat the initial %.3f by %.1f%n",
                    r.gigpo(),
                    r.initial(),
                    QUICK_MIN_GAIN);
            System.exit(1);
        }
    }

    static Result run(Settings s, PrintStream console) {
        long start = System.nanoTime();
        List<List<GridTask>> split =
                GridEvaluation.split(
                        GridTask.all(GridMaps.standard(), MIN_MOVES, MAX_MOVES),
                        HELD_OUT,
                        SPLIT_SEED);
        List<Prompt> training = new ArrayList<>();
        split.get(0).forEach(t -> training.add(t.prompt()));
        GridEvaluation evaluation =
                new GridEvaluation(split.get(1), EVAL_EPISODES, s.turnLimit(), s.seed());
        console.printf(
                Locale.ROOT,
                "%d training tasks, %d held-out tasks x %d episodes, evaluated every %d steps, %s%n",
                training.size(),
                split.get(1).size(),
                EVAL_EPISODES,
                s.evalEvery(),
                s.mode());
        Map<Method, Curve> curves = new EnumMap<>(Method.class);
        for (Method m : Method.values()) {
            curves.put(m, train(m, s, training, evaluation, console));
        }
        ComparisonReport success = new ComparisonReport("success_rate", FINAL_EVALUATIONS);
        ComparisonReport trainSuccess = new ComparisonReport("train_success_rate", 1);
        ComparisonReport wasted = new ComparisonReport("wasted_turn_rate", 1);
        for (Map.Entry<Method, Curve> e : curves.entrySet()) {
            String name = e.getKey().series();
            Curve c = e.getValue();
            for (int k = 0; k < c.evalSteps().length; k++) {
                success.add(name, c.evalSteps()[k], c.evalSuccess()[k]);
            }
            for (int i = 0; i < c.trainSuccess().length; i++) {
                trainSuccess.add(name, i + 1, trailingMean(c.trainSuccess(), i, SMOOTHING));
                wasted.add(name, i + 1, trailingMean(c.wastedTurns(), i, SMOOTHING));
            }
        }
        String title =
                "grid world, G = "
                        + s.group()
                        + ", "
                        + s.tasksPerStep()
                        + " tasks per step, "
                        + s.mode().name().toLowerCase(Locale.ROOT);
        success.write(
                s.out(),
                "success_rate",
                "held-out success rate ("
                        + evaluation.tasks().size()
                        + " tasks x "
                        + EVAL_EPISODES
                        + "): "
                        + title,
                "step");
        trainSuccess.write(
                s.out(),
                "train_success_rate",
                "training success rate, mean of the last " + SMOOTHING + " steps: " + title,
                "step");
        wasted.write(
                s.out(),
                "wasted_turns",
                "share of turns walking into walls, mean of the last "
                        + SMOOTHING
                        + " steps: "
                        + title,
                "step");
        String gigpo = Method.GIGPO.series();
        String grpo = Method.GRPO.series();
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(
                success.finalLine(gigpo, grpo, s.steps(), seconds),
                success.finalValue(gigpo),
                success.finalValue(grpo),
                curves.get(Method.GIGPO).evalSuccess()[0]);
    }

    /** The mean of {@code values[i - n + 1 .. i]} (fewer at the start). */
    static double trailingMean(double[] values, int i, int n) {
        int from = Math.max(0, i - n + 1);
        double sum = 0;
        for (int k = from; k <= i; k++) {
            sum += values[k];
        }
        return sum / (i - from + 1);
    }

    static Curve train(
            Method method,
            Settings s,
            List<Prompt> tasks,
            GridEvaluation evaluation,
            PrintStream console) {
        int[] moves = new int[Move.values().length];
        for (Move m : Move.values()) {
            moves[m.ordinal()] = m.token();
        }
        EpisodeLog log = new EpisodeLog();
        double[] success = new double[s.steps()];
        double[] wasted = new double[s.steps()];
        List<Integer> evalSteps = new ArrayList<>();
        List<Double> evalSuccess = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            // The policy: a small transformer from random weights, restricted to the moves.
            TransformerConfig model =
                    TransformerConfig.builder()
                            .setVocabSize(GridVocabulary.SIZE)
                            .setWidth(64)
                            .setLayers(2)
                            .setHeads(4)
                            .optKvHeads(2)
                            .optMlpWidth(128)
                            .setMaxSequenceLength(GridMap.OBSERVATION_LENGTH + 1)
                            .build();
            ActionMaskedPolicy policy =
                    new ActionMaskedPolicy(
                            CausalTransformer.create(
                                    manager, model, DataType.FLOAT32, (int) s.seed()),
                            moves);

            // One move token per turn, G episodes per task, the same schedule for both methods.
            GrpoConfig config =
                    GrpoConfig.builder()
                            .optNumGenerations(s.group())
                            .optPromptsPerStep(s.tasksPerStep())
                            .optMaxPromptLength(GridMap.OBSERVATION_LENGTH)
                            .optMaxCompletionLength(1)
                            .optStopTokenIds(moves)
                            .optMaxTurns(s.turnLimit())
                            .optLearningRate(s.learningRate())
                            .optLrScheduler(LearningRateSchedule.COSINE)
                            .optWarmupSteps(Math.min(10, s.steps() / 10))
                            .optMaxSteps(s.steps())
                            .optClip(0.2, 0.28)
                            .optSeed(s.seed())
                            .optLoggingSteps(50)
                            .optSaveSteps(0)
                            .optOutputDir(s.out().resolve(method.series()))
                            .build();
            // Evaluation reads the live parameters; it runs between steps, outside any gradient
            // tape.
            ParameterStore store = new ParameterStore(manager, false);
            evalSteps.add(0);
            evalSuccess.add(evaluation.successRate(policy, store, manager));
            console.printf(
                    Locale.ROOT,
                    "%-5s step %4d  held-out success %.3f%n",
                    method.series(),
                    0,
                    evalSuccess.get(0));
            GrpoListener progress =
                    new GrpoListener() {
                        @Override
                        public void onStepEnd(StepMetrics m) {
                            int i = (int) m.step() - 1;
                            EpisodeLog.Counts c = log.drain();
                            success[i] = c.successRate();
                            wasted[i] = c.wastedTurnRate();
                            // Every evalEvery steps, and always after the last one.
                            if (m.step() % s.evalEvery() != 0 && m.step() != s.steps()) {
                                return;
                            }
                            double rate = evaluation.successRate(policy, store, manager);
                            evalSteps.add((int) m.step());
                            evalSuccess.add(rate);
                            console.printf(
                                    Locale.ROOT,
                                    "%-5s step %4d  held-out success %.3f  training success (last %d)"
                                            + " %.3f  wasted turns %.3f  turns %.1f  entropy %.3f%n",
                                    method.series(),
                                    m.step(),
                                    rate,
                                    SMOOTHING,
                                    trailingMean(success, i, SMOOTHING),
                                    wasted[i],
                                    m.getOrDefault("episode/mean_turns", Double.NaN),
                                    m.getOrDefault("entropy", Double.NaN));
                        }
                    };
            try (GrpoTrainer trainer =
                    GrpoTrainer.builder()
                            .setPolicy(policy)
                            .setConfig(config)
                            .setPromptSource(PromptSources.uniform(tasks))
                            .optEnvironment(() -> new GridWorld(s.turnLimit(), 0.0, log))
                            .optAdvantageEstimator(method.estimator(s.mode()))
                            .optTokenDecoder(GridVocabulary::text)
                            .addListener(progress)
                            .build()) {
                trainer.train();
            }
        }
        return new Curve(
                evalSteps.stream().mapToInt(Integer::intValue).toArray(),
                evalSuccess.stream().mapToDouble(Double::doubleValue).toArray(),
                success,
                wasted);
    }

    private GigpoExample() {}
}
