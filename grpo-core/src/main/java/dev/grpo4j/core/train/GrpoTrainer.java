package dev.grpo4j.core.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import dev.grpo4j.core.advantage.AdvantageEstimator;
import dev.grpo4j.core.advantage.AdvantageInput;
import dev.grpo4j.core.advantage.Advantages;
import dev.grpo4j.core.advantage.DriftAwareEstimator;
import dev.grpo4j.core.env.EnvironmentFactory;
import dev.grpo4j.core.loss.GrpoLoss;
import dev.grpo4j.core.loss.PolicyGradientLoss;
import dev.grpo4j.core.policy.CausalLmPolicy;
import dev.grpo4j.core.policy.LogProbComputer;
import dev.grpo4j.core.policy.Sampler;
import dev.grpo4j.core.reward.ItemRewardSet;
import dev.grpo4j.core.reward.RewardAggregation;
import dev.grpo4j.core.reward.RewardEvaluator;
import dev.grpo4j.core.reward.RewardSet;
import dev.grpo4j.core.rollout.Prompt;
import dev.grpo4j.core.rollout.Rollout;
import dev.grpo4j.core.rollout.RolloutGroup;
import dev.grpo4j.core.rollout.Step;
import dev.grpo4j.core.rollout.Trajectory;
import dev.grpo4j.core.rollout.TrajectoryGroup;
import dev.grpo4j.core.train.checkpoint.CheckpointStore;
import dev.grpo4j.core.train.listener.ChartWriter;
import dev.grpo4j.core.train.listener.GrpoListener;
import dev.grpo4j.core.train.listener.JsonlMetricsWriter;
import dev.grpo4j.core.train.listener.LoggingListener;
import dev.grpo4j.core.train.optim.AdamW;
import dev.grpo4j.core.util.Checks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * The GRPO training loop on a DJL model: what TRL's {@code GRPOTrainer} does, one step at a time.
 *
 * <p>Each {@link #step()} reads top to bottom:
 *
 * <ol>
 *   <li>take the step's prompts from the {@link PromptSource};
 *   <li>sample G completions per prompt with the policy, each prompt encoded once and its key/value
 *       cache shared by its G streams (or, with an environment, play G episodes per task);
 *   <li>score them in parallel with the {@link RewardEvaluator};
 *   <li>compute advantages with the {@link AdvantageEstimator};
 *   <li>run {@code num_iterations} updates: old log-probs computed once (when mu &gt; 1), reference
 *       log-probs from the frozen initial policy (when beta &gt; 0), then {@link
 *       PolicyGradientLoss}, gradient clipping and an AdamW step;
 *   <li>for drift-aware estimators (SPO), measure each prompt's policy drift and update the
 *       tracker;
 *   <li>report the metrics to the listeners and checkpoint when due.
 * </ol>
 *
 * <p>Memory: every array of a step lives in a per-step sub-manager and an {@link NDScope}, both
 * closed when the step ends, so native memory stays flat across steps.
 *
 * <p>Failures: a reward function or environment that throws ends the step with its exception
 * ({@code RewardException}, {@code EnvironmentException}) before any parameter changes; a
 * non-finite loss or gradient ends it with an {@link IllegalStateException}. Checkpoints are
 * written atomically, so the last one stays intact. Not thread-safe, like DJL's {@code Trainer}.
 */
public final class GrpoTrainer implements AutoCloseable {

    private final GrpoConfig config;
    private final CausalLmPolicy policy;
    private final PromptSource promptSource;
    private final RewardSet rewards;
    private final RewardAggregation aggregation;
    private final ItemRewardSet itemRewards;
    private final int itemCount;
    private final RewardEvaluator evaluator;
    private final boolean ownsEvaluator;
    private final RolloutScorer scorer;
    private final PolicyUpdater updater;
    private final AdvantageEstimator estimator;
    private final EnvironmentFactory environments;
    private final Function<int[], String> decoder;
    private final List<GrpoListener> listeners;
    private final PolicyGradientLoss loss;
    private final LogProbComputer logProbs;
    private final Model model;
    private final Trainer trainer;
    private final AdamW optimizer;
    private final ParameterStore store;
    private final List<Parameter> trainable;
    private final NDManager referenceManager;
    private final CausalLmPolicy reference;
    private final ParameterStore referenceStore;
    private final RolloutGenerator generator;
    private final DriftTracker drift;
    private final CheckpointStore checkpoints;
    private final List<StepMetrics> history = new ArrayList<>();
    private long step;
    private double tokensSeen;
    private boolean started;

    private GrpoTrainer(Builder b) {
        this.config = b.config;
        this.policy = b.policy;
        this.promptSource = b.promptSource;
        this.rewards = b.rewards;
        this.aggregation = b.aggregation;
        this.itemRewards = b.itemRewards;
        this.itemCount = b.itemCount;
        this.environments = b.environments;
        this.decoder = b.decoder;
        this.estimator = b.estimator != null ? b.estimator : defaultEstimator(config);
        this.loss = b.loss != null ? b.loss : config.loss();
        this.logProbs = config.logProbComputer();
        this.checkpoints =
                config.outputDir()
                        .map(
                                dir ->
                                        new CheckpointStore(
                                                dir.resolve("checkpoints"),
                                                config.saveTotalLimit()))
                        .orElse(null);
        this.drift = estimator instanceof DriftAwareEstimator ? new DriftTracker() : null;
        validate(b);

        if (b.evaluator != null) {
            this.evaluator = b.evaluator;
            this.ownsEvaluator = false;
        } else {
            this.evaluator = RewardEvaluator.builder().build();
            this.ownsEvaluator = true;
        }

        NDManager policyManager = policy.block().getParameters().valueAt(0).getArray().getManager();
        this.referenceManager = policyManager.newSubManager();
        this.referenceManager.setName("reference-policy");
        this.reference = config.beta() > 0 ? policy.frozenCopy(referenceManager) : null;
        TrainerCheckpoint.State resumed = null;
        if (b.resumeFrom != null) {
            // Parameters must be replaced before any store caches their arrays.
            resumed =
                    TrainerCheckpoint.loadParameters(
                            resolveCheckpoint(b.resumeFrom), policy, reference);
        }

        this.model = Model.newInstance("grpo-policy");
        model.setBlock(policy.block());
        this.optimizer =
                AdamW.builder()
                        .setManager(policyManager)
                        .optLearningRate(ignored -> learningRateAt(step))
                        .optBetas(config.adamBeta1(), config.adamBeta2())
                        .optEpsilon(config.adamEpsilon())
                        .optWeightDecay(config.weightDecay())
                        .build();
        this.trainer =
                model.newTrainer(
                        new DefaultTrainingConfig(new GrpoLoss(loss))
                                .optOptimizer(optimizer)
                                .optDevices(new Device[] {policyManager.getDevice()}));
        this.store = new ParameterStore(trainer.getManager(), false);
        this.referenceStore =
                reference == null ? null : new ParameterStore(referenceManager, false);
        this.trainable = new ArrayList<>();
        for (var pair : policy.block().getParameters()) {
            optimizer.bindName(pair.getValue().getId(), pair.getKey());
            if (pair.getValue().requiresGradient()) {
                trainable.add(pair.getValue());
            }
        }
        this.generator =
                new RolloutGenerator(policy, store, new Sampler(config.samplingConfig()), config);
        this.scorer = new RolloutScorer(evaluator, rewards, itemRewards, itemCount, decoder);
        this.updater =
                new PolicyUpdater(
                        config,
                        loss,
                        policy,
                        store,
                        reference,
                        referenceStore,
                        trainer,
                        trainable,
                        () -> step);
        this.listeners = new ArrayList<>();
        if (b.defaultListeners) {
            listeners.add(new LoggingListener(config.loggingSteps()));
            config.outputDir()
                    .ifPresent(
                            dir -> {
                                listeners.add(new JsonlMetricsWriter(dir.resolve("metrics.jsonl")));
                                listeners.add(new ChartWriter(dir.resolve("reward.png"), "grpo4j"));
                            });
        }
        listeners.addAll(b.listeners);
        if (resumed != null) {
            restore(resumed, b.resumeFrom);
        }
    }

    private void validate(Builder b) {
        Checks.require(
                environments != null || rewards != null,
                "a single-turn trainer needs reward functions: call optRewards(...)");
        AdvantageInput.Kind kind =
                environments != null
                        ? AdvantageInput.Kind.TRAJECTORIES
                        : AdvantageInput.Kind.ROLLOUTS;
        Checks.require(
                estimator.supports(kind),
                "the advantage estimator %s does not support %s input; %s",
                estimator.name(),
                kind,
                kind == AdvantageInput.Kind.TRAJECTORIES
                        ? "multi-turn training needs a trajectory estimator such as GigpoAdvantage"
                        : "choose a single-turn estimator");
        int needed = config.maxPromptLength() + config.maxCompletionLength();
        Checks.require(
                needed <= policy.maxSequenceLength(),
                "max_prompt_length (%d) + max_completion_length (%d) = %d exceeds the policy's maximum"
                        + " sequence length %d",
                config.maxPromptLength(),
                config.maxCompletionLength(),
                needed,
                policy.maxSequenceLength());
        Checks.require(
                drift == null || config.numIterations() >= 1,
                "num_iterations must be >= 1 but was %d",
                config.numIterations());
    }

    private static AdvantageEstimator defaultEstimator(GrpoConfig config) {
        for (AdvantageEstimatorProvider provider :
                ServiceLoader.load(AdvantageEstimatorProvider.class)) {
            return provider.create(config);
        }
        throw new IllegalArgumentException(
                "no advantage estimator: set one with optAdvantageEstimator(...) or put grpo-advantage on"
                        + " the class path for the default GRPO estimator");
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
     * Runs steps until {@code max_steps} steps have completed (continuing from a resumed step),
     * then writes a final checkpoint when an output directory is set.
     *
     * @return the metrics of every step of the run, including steps before a resume
     */
    public List<StepMetrics> train() {
        startIfNeeded();
        while (step < config.maxSteps()) {
            step();
        }
        if (checkpoints != null && (config.saveSteps() == 0 || step % config.saveSteps() != 0)) {
            saveCheckpoint();
        }
        List<StepMetrics> all = Collections.unmodifiableList(new ArrayList<>(history));
        for (GrpoListener l : listeners) {
            l.onTrainingEnd(all);
        }
        return all;
    }

    private void startIfNeeded() {
        if (!started) {
            started = true;
            for (GrpoListener l : listeners) {
                l.onTrainingStart(step, config.maxSteps());
            }
        }
    }

    /**
     * Runs one training step.
     *
     * @return its metrics
     * @throws dev.grpo4j.core.reward.RewardException if a reward function fails (parameters
     *     unchanged)
     * @throws dev.grpo4j.core.env.EnvironmentException if an environment fails (parameters
     *     unchanged)
     * @throws IllegalStateException if the loss or the gradient is not finite
     */
    public StepMetrics step() {
        startIfNeeded();
        long start = System.nanoTime();
        RandomGenerator random = stepRandom(config.seed(), step);
        Map<String, Double> metrics = new LinkedHashMap<>();
        try (NDManager stepManager = trainer.getManager().newSubManager();
                NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            stepManager.setName("step-" + step);
            List<Prompt> prompts = promptSource.next(step, config.promptsPerStep(), random);
            Checks.require(
                    prompts != null && prompts.size() == config.promptsPerStep(),
                    "the prompt source returned %s prompts for step %d; expected %d",
                    prompts == null ? "null" : Integer.toString(prompts.size()),
                    step,
                    config.promptsPerStep());

            List<RolloutGroup> groups;
            Advantages advantages;
            if (environments == null) {
                groups = generator.sample(prompts, random, stepManager);
                groups = scorer.score(prompts, groups, metrics);
                advantages =
                        estimator.estimate(
                                AdvantageInput.ofRollouts(groups, rewards.weights(), aggregation));
            } else {
                List<TrajectoryGroup> episodes =
                        generator.runEpisodes(prompts, environments, random, stepManager);
                RolloutStatistics.episodes(metrics, episodes);
                advantages = estimator.estimate(AdvantageInput.ofTrajectories(episodes));
                groups = stepRows(episodes);
            }
            List<Rollout> rows = new ArrayList<>();
            groups.forEach(g -> rows.addAll(g.rollouts()));
            RolloutStatistics.completions(metrics, rows);

            updater.update(groups, advantages, stepManager, metrics);
            if (drift != null) {
                updater.observeDrift(
                        groups,
                        drift,
                        (DriftAwareEstimator) estimator,
                        rewards.weights(),
                        stepManager,
                        metrics);
            }
            double tokens = 0;
            for (Rollout r : rows) {
                tokens += r.promptLength() + r.completionLength();
            }
            tokensSeen += tokens;
            metrics.put("num_tokens", tokensSeen);
            double seconds = (System.nanoTime() - start) / 1e9;
            double generated = metrics.get("completions/mean_length") * rows.size();
            metrics.put("tokens/s", generated / seconds);
        }
        step++;
        StepMetrics result = new StepMetrics(step, metrics, (System.nanoTime() - start) / 1e9);
        history.add(result);
        for (GrpoListener l : listeners) {
            l.onStepEnd(result);
        }
        if (checkpoints != null && config.saveSteps() > 0 && step % config.saveSteps() == 0) {
            saveCheckpoint();
        }
        return result;
    }

    /** Each step of each trajectory becomes one loss row, in the estimator's row order. */
    private static List<RolloutGroup> stepRows(List<TrajectoryGroup> episodes) {
        List<RolloutGroup> rows = new ArrayList<>();
        for (TrajectoryGroup g : episodes) {
            for (int i = 0; i < g.size(); i++) {
                Trajectory t = g.trajectories().get(i);
                for (int s = 0; s < t.length(); s++) {
                    Step st = t.steps().get(s);
                    rows.add(
                            RolloutGroup.of(
                                    g.taskKey() + "/" + i + "/" + s, List.of(st.asRollout())));
                }
            }
        }
        return rows;
    }

    private double learningRateAt(long atStep) {
        return config.lrScheduler()
                .rate(config.learningRate(), atStep, config.warmupSteps(), config.maxSteps());
    }

    /**
     * Writes a checkpoint of the current state now (atomically).
     *
     * @return its directory
     * @throws IllegalStateException if no output directory is configured
     */
    public Path saveCheckpoint() {
        if (checkpoints == null) {
            throw new IllegalStateException(
                    "no output_dir is configured, so there is nowhere to checkpoint");
        }
        try {
            Path dir =
                    checkpoints.write(
                            step,
                            target ->
                                    TrainerCheckpoint.write(
                                            target,
                                            new TrainerCheckpoint.State(
                                                    step,
                                                    tokensSeen,
                                                    updater.optimizerStepped(),
                                                    history),
                                            config,
                                            policy,
                                            reference,
                                            optimizer,
                                            estimator,
                                            drift));
            for (GrpoListener l : listeners) {
                l.onCheckpoint(step, dir);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the checkpoint of step " + step, e);
        }
    }

    private static Path resolveCheckpoint(Path path) {
        if (Files.isRegularFile(path.resolve(TrainerCheckpoint.STATE_FILE))) {
            return path;
        }
        CheckpointStore s = new CheckpointStore(path, 0);
        if (s.latest().isPresent()) {
            return s.latest().get();
        }
        CheckpointStore nested = new CheckpointStore(path.resolve("checkpoints"), 0);
        return nested.latest()
                .orElseThrow(
                        () ->
                                new IllegalArgumentException(
                                        "no checkpoint found at "
                                                + path
                                                + " (expected a checkpoint"
                                                + " directory, a checkpoints root, or an output_dir)"));
    }

    private void restore(TrainerCheckpoint.State state, Path from) {
        Path dir = resolveCheckpoint(from);
        try {
            TrainerCheckpoint.loadTrainingState(dir, optimizer, estimator, drift);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint " + dir, e);
        }
        this.step = state.step();
        this.tokensSeen = state.tokensSeen();
        updater.restoreOptimizerStepped(state.optimizerStepped());
        this.history.addAll(state.history());
    }

    /**
     * One independent stream per step, a pure function of (seed, step): resumable by construction.
     */
    static RandomGenerator stepRandom(long seed, long step) {
        return new SplittableRandom(mix(seed, step));
    }

    private static long mix(long seed, long step) {
        long z = seed * 0x9E3779B97F4A7C15L + step * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * The number of completed steps.
     *
     * @return the step count
     */
    public long currentStep() {
        return step;
    }

    /**
     * The metrics of every completed step, including steps before a resume.
     *
     * @return an unmodifiable copy
     */
    public List<StepMetrics> history() {
        return List.copyOf(history);
    }

    /**
     * The run's settings.
     *
     * @return the config
     */
    public GrpoConfig config() {
        return config;
    }

    /**
     * The policy being trained.
     *
     * @return the policy
     */
    public CausalLmPolicy policy() {
        return policy;
    }

    /**
     * The advantage estimator in use.
     *
     * @return the estimator
     */
    public AdvantageEstimator estimator() {
        return estimator;
    }

    @Override
    public void close() {
        RuntimeException first = null;
        for (GrpoListener l : listeners) {
            if (l instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    first =
                            first == null
                                    ? new IllegalStateException("closing a listener failed", e)
                                    : first;
                }
            }
        }
        if (ownsEvaluator) {
            evaluator.close();
        }
        trainer.close();
        optimizer.close();
        referenceManager.close();
        model.close();
        if (first != null) {
            throw first;
        }
    }

    /** Builds a {@link GrpoTrainer}. */
    public static final class Builder {
        private CausalLmPolicy policy;
        private GrpoConfig config;
        private PromptSource promptSource;
        private RewardSet rewards;
        private RewardAggregation aggregation = RewardAggregation.SUM_THEN_NORMALIZE;
        private ItemRewardSet itemRewards;
        private int itemCount;
        private RewardEvaluator evaluator;
        private AdvantageEstimator estimator;
        private EnvironmentFactory environments;
        private Function<int[], String> decoder = ids -> "";
        private PolicyGradientLoss loss;
        private final List<GrpoListener> listeners = new ArrayList<>();
        private boolean defaultListeners = true;
        private Path resumeFrom;

        private Builder() {}

        /**
         * Sets the policy to train (required); its parameters must be initialised.
         *
         * @param policy the policy
         * @return this builder
         */
        public Builder setPolicy(CausalLmPolicy policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Sets the run's settings (required).
         *
         * @param config the config
         * @return this builder
         */
        public Builder setConfig(GrpoConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /**
         * Sets where prompts (or, with an environment, tasks) come from (required).
         *
         * @param promptSource the source
         * @return this builder
         */
        public Builder setPromptSource(PromptSource promptSource) {
            this.promptSource = Objects.requireNonNull(promptSource, "promptSource");
            return this;
        }

        /**
         * Sets the reward functions and their weights (required for single-turn training).
         *
         * @param rewards the functions
         * @return this builder
         */
        public Builder optRewards(RewardSet rewards) {
            this.rewards = Objects.requireNonNull(rewards, "rewards");
            return this;
        }

        /**
         * Sets TRL's multi-objective aggregation (default sum_then_normalize).
         *
         * @param aggregation the aggregation
         * @return this builder
         */
        public Builder optRewardAggregation(RewardAggregation aggregation) {
            this.aggregation = Objects.requireNonNull(aggregation, "aggregation");
            return this;
        }

        /**
         * Sets per-item reward functions for ranked-list outputs (Rank-GRPO).
         *
         * @param itemRewards the functions
         * @param itemCount N, the number of ranks each returns
         * @return this builder
         */
        public Builder optItemRewards(ItemRewardSet itemRewards, int itemCount) {
            this.itemRewards = Objects.requireNonNull(itemRewards, "itemRewards");
            this.itemCount = Checks.positive("itemCount", itemCount);
            return this;
        }

        /**
         * Sets the reward evaluator (default: one with a pool of daemon threads and a 30 s
         * timeout).
         *
         * @param evaluator the evaluator; the caller closes it
         * @return this builder
         */
        public Builder optRewardEvaluator(RewardEvaluator evaluator) {
            this.evaluator = Objects.requireNonNull(evaluator, "evaluator");
            return this;
        }

        /**
         * Sets the advantage estimator (default: GRPO from {@code grpo-advantage}, configured by
         * the config's scale_rewards).
         *
         * @param estimator the estimator
         * @return this builder
         */
        public Builder optAdvantageEstimator(AdvantageEstimator estimator) {
            this.estimator = Objects.requireNonNull(estimator, "estimator");
            return this;
        }

        /**
         * Switches to multi-turn training: G episodes per task against environments from the
         * factory.
         *
         * @param environments makes one environment per trajectory
         * @return this builder
         */
        public Builder optEnvironment(EnvironmentFactory environments) {
            this.environments = Objects.requireNonNull(environments, "environments");
            return this;
        }

        /**
         * Sets how completion token ids become text for reward functions (default: empty text).
         *
         * @param decoder ids to text
         * @return this builder
         */
        public Builder optTokenDecoder(Function<int[], String> decoder) {
            this.decoder = Objects.requireNonNull(decoder, "decoder");
            return this;
        }

        /**
         * Replaces the loss the config describes with a custom one (e.g. with verl's aggregation).
         *
         * @param loss the loss
         * @return this builder
         */
        public Builder optLoss(PolicyGradientLoss loss) {
            this.loss = Objects.requireNonNull(loss, "loss");
            return this;
        }

        /**
         * Adds a listener, called after the default ones.
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder addListener(GrpoListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Turns the default listeners (SLF4J logging; with an output directory also metrics.jsonl
         * and reward.png) on or off (default on).
         *
         * @param on whether to add them
         * @return this builder
         */
        public Builder optDefaultListeners(boolean on) {
            this.defaultListeners = on;
            return this;
        }

        /**
         * Resumes from a checkpoint: a checkpoint directory, a checkpoints root, or an output
         * directory (its latest checkpoint is used). The policy must have the same architecture.
         *
         * @param checkpoint where to resume from
         * @return this builder
         */
        public Builder optResumeFrom(Path checkpoint) {
            this.resumeFrom = Objects.requireNonNull(checkpoint, "checkpoint");
            return this;
        }

        /**
         * Validates and builds; loads the checkpoint when resuming.
         *
         * @return the trainer
         * @throws IllegalArgumentException naming the missing or conflicting setting
         */
        public GrpoTrainer build() {
            Checks.require(policy != null, "a policy is required: call setPolicy(...)");
            Checks.require(config != null, "a config is required: call setConfig(...)");
            Checks.require(
                    promptSource != null, "a prompt source is required: call setPromptSource(...)");
            return new GrpoTrainer(this);
        }
    }
}
