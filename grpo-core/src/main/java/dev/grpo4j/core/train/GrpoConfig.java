package dev.grpo4j.core.train;

import ai.djl.ndarray.types.DataType;
import dev.grpo4j.core.loss.ImportanceSampling;
import dev.grpo4j.core.loss.KlEstimator;
import dev.grpo4j.core.loss.LossType;
import dev.grpo4j.core.loss.PolicyGradientLoss;
import dev.grpo4j.core.policy.LogProbComputer;
import dev.grpo4j.core.policy.PlainLogProbComputer;
import dev.grpo4j.core.policy.SamplingConfig;
import dev.grpo4j.core.train.optim.LearningRateSchedule;
import dev.grpo4j.core.util.Checks;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything that shapes a GRPO run, immutable. Names and defaults follow TRL's {@code GRPOConfig}
 * (and Hugging Face's {@code TrainingArguments}); each setter's javadoc gives TRL's name and
 * default, and {@code docs/CONFIG.md} has the full table. Setters validate at once with a message
 * that quotes the rejected value; {@link Builder#build()} checks combinations.
 *
 * <pre>{@code
 * GrpoConfig config = GrpoConfig.builder()
 *     .optNumGenerations(8).optPromptsPerStep(4).optMaxCompletionLength(64)
 *     .optLearningRate(1e-3).optLrScheduler(LearningRateSchedule.COSINE).optWarmupSteps(10)
 *     .optMaxSteps(300).optSeed(7).optOutputDir(Path.of("runs/demo"))
 *     .build();
 * }</pre>
 */
public final class GrpoConfig {

    private final int numGenerations;
    private final int promptsPerStep;
    private final int maxPromptLength;
    private final int maxCompletionLength;
    private final double temperature;
    private final double topP;
    private final int topK;
    private final int[] stopTokenIds;
    private final int maxTurns;
    private final double learningRate;
    private final LearningRateSchedule lrScheduler;
    private final long warmupSteps;
    private final double warmupRatio;
    private final double weightDecay;
    private final double maxGradNorm;
    private final double adamBeta1;
    private final double adamBeta2;
    private final double adamEpsilon;
    private final long maxSteps;
    private final int numIterations;
    private final double beta;
    private final LossType lossType;
    private final double epsilon;
    private final double epsilonHigh;
    private final double delta;
    private final double dualClip;
    private final KlEstimator klEstimator;
    private final ImportanceSampling importanceSampling;
    private final String scaleRewards;
    private final boolean maskTruncatedCompletions;
    private final double topEntropyQuantile;
    private final double entropyCoeff;
    private final LogProbComputer logProbComputer;
    private final long seed;
    private final int loggingSteps;
    private final long saveSteps;
    private final int saveTotalLimit;
    private final Path outputDir;
    private final DataType dataType;

    private GrpoConfig(Builder b) {
        numGenerations = b.numGenerations;
        promptsPerStep = b.promptsPerStep;
        maxPromptLength = b.maxPromptLength;
        maxCompletionLength = b.maxCompletionLength;
        temperature = b.temperature;
        topP = b.topP;
        topK = b.topK;
        stopTokenIds = b.stopTokenIds.clone();
        maxTurns = b.maxTurns;
        learningRate = b.learningRate;
        lrScheduler = b.lrScheduler;
        warmupSteps = b.warmupSteps;
        warmupRatio = b.warmupRatio;
        weightDecay = b.weightDecay;
        maxGradNorm = b.maxGradNorm;
        adamBeta1 = b.adamBeta1;
        adamBeta2 = b.adamBeta2;
        adamEpsilon = b.adamEpsilon;
        maxSteps = b.maxSteps;
        numIterations = b.numIterations;
        beta = b.beta;
        lossType = b.lossType;
        epsilon = b.epsilon;
        epsilonHigh = Double.isNaN(b.epsilonHigh) ? b.epsilon : b.epsilonHigh;
        delta = b.delta;
        dualClip = b.dualClip;
        klEstimator = b.klEstimator;
        importanceSampling = b.importanceSampling;
        scaleRewards = b.scaleRewards;
        maskTruncatedCompletions = b.maskTruncatedCompletions;
        topEntropyQuantile = b.topEntropyQuantile;
        entropyCoeff = b.entropyCoeff;
        logProbComputer = b.logProbComputer;
        seed = b.seed;
        loggingSteps = b.loggingSteps;
        saveSteps = b.saveSteps;
        saveTotalLimit = b.saveTotalLimit;
        outputDir = b.outputDir;
        dataType = b.dataType;
    }

    /**
     * Starts a builder with TRL's defaults.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts a builder holding this config's values.
     *
     * @return a builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.numGenerations = numGenerations;
        b.promptsPerStep = promptsPerStep;
        b.maxPromptLength = maxPromptLength;
        b.maxCompletionLength = maxCompletionLength;
        b.temperature = temperature;
        b.topP = topP;
        b.topK = topK;
        b.stopTokenIds = stopTokenIds.clone();
        b.maxTurns = maxTurns;
        b.learningRate = learningRate;
        b.lrScheduler = lrScheduler;
        b.warmupSteps = warmupSteps;
        b.warmupRatio = warmupRatio;
        b.weightDecay = weightDecay;
        b.maxGradNorm = maxGradNorm;
        b.adamBeta1 = adamBeta1;
        b.adamBeta2 = adamBeta2;
        b.adamEpsilon = adamEpsilon;
        b.maxSteps = maxSteps;
        b.numIterations = numIterations;
        b.beta = beta;
        b.lossType = lossType;
        b.epsilon = epsilon;
        b.epsilonHigh = epsilonHigh;
        b.delta = delta;
        b.dualClip = dualClip;
        b.klEstimator = klEstimator;
        b.importanceSampling = importanceSampling;
        b.scaleRewards = scaleRewards;
        b.maskTruncatedCompletions = maskTruncatedCompletions;
        b.topEntropyQuantile = topEntropyQuantile;
        b.entropyCoeff = entropyCoeff;
        b.logProbComputer = logProbComputer;
        b.seed = seed;
        b.loggingSteps = loggingSteps;
        b.saveSteps = saveSteps;
        b.saveTotalLimit = saveTotalLimit;
        b.outputDir = outputDir;
        b.dataType = dataType;
        return b;
    }

    /**
     * @return G, completions sampled per prompt (TRL {@code num_generations})
     */
    public int numGenerations() {
        return numGenerations;
    }

    /**
     * @return prompts per training step; a step trains on {@code promptsPerStep * G} completions
     */
    public int promptsPerStep() {
        return promptsPerStep;
    }

    /**
     * @return the longest prompt in tokens; longer prompts keep their last tokens (TRL)
     */
    public int maxPromptLength() {
        return maxPromptLength;
    }

    /**
     * @return the longest completion in tokens (TRL {@code max_completion_length})
     */
    public int maxCompletionLength() {
        return maxCompletionLength;
    }

    /**
     * @return the sampling temperature; log-probs are computed at it too
     */
    public double temperature() {
        return temperature;
    }

    /**
     * @return nucleus sampling's p; 1.0 is off
     */
    public double topP() {
        return topP;
    }

    /**
     * @return top-k sampling's k; 0 is off
     */
    public int topK() {
        return topK;
    }

    /**
     * @return token ids that end a completion (EOS)
     */
    public int[] stopTokenIds() {
        return stopTokenIds.clone();
    }

    /**
     * @return the most turns of a multi-turn episode
     */
    public int maxTurns() {
        return maxTurns;
    }

    /**
     * @return the peak learning rate
     */
    public double learningRate() {
        return learningRate;
    }

    /**
     * @return the learning-rate schedule (TRL {@code lr_scheduler_type})
     */
    public LearningRateSchedule lrScheduler() {
        return lrScheduler;
    }

    /**
     * @return the warm-up length in steps: {@code warmup_steps}, or {@code warmup_ratio *
     *     max_steps}
     */
    public long warmupSteps() {
        return warmupSteps > 0 ? warmupSteps : (long) Math.ceil(warmupRatio * maxSteps);
    }

    /**
     * @return decoupled weight decay
     */
    public double weightDecay() {
        return weightDecay;
    }

    /**
     * @return the global gradient-norm clip; 0 disables
     */
    public double maxGradNorm() {
        return maxGradNorm;
    }

    /**
     * @return Adam's first-moment decay
     */
    public double adamBeta1() {
        return adamBeta1;
    }

    /**
     * @return Adam's second-moment decay
     */
    public double adamBeta2() {
        return adamBeta2;
    }

    /**
     * @return Adam's epsilon
     */
    public double adamEpsilon() {
        return adamEpsilon;
    }

    /**
     * @return the number of training steps of a run
     */
    public long maxSteps() {
        return maxSteps;
    }

    /**
     * @return mu, policy updates per generation batch (TRL {@code num_iterations})
     */
    public int numIterations() {
        return numIterations;
    }

    /**
     * @return the KL weight; 0 means no reference policy
     */
    public double beta() {
        return beta;
    }

    /**
     * @return the loss type
     */
    public LossType lossType() {
        return lossType;
    }

    /**
     * @return epsilon low of the clipped surrogate
     */
    public double epsilon() {
        return epsilon;
    }

    /**
     * @return epsilon high (equal to epsilon unless set)
     */
    public double epsilonHigh() {
        return epsilonHigh;
    }

    /**
     * @return INTELLECT-2's two-sided clip delta, if set
     */
    public Optional<Double> delta() {
        return Double.isNaN(delta) ? Optional.empty() : Optional.of(delta);
    }

    /**
     * @return verl's dual-clip constant c, if set
     */
    public Optional<Double> dualClip() {
        return Double.isNaN(dualClip) ? Optional.empty() : Optional.of(dualClip);
    }

    /**
     * @return the KL estimator
     */
    public KlEstimator klEstimator() {
        return klEstimator;
    }

    /**
     * @return the importance-sampling level
     */
    public ImportanceSampling importanceSampling() {
        return importanceSampling;
    }

    /**
     * @return TRL's {@code scale_rewards}: "group", "batch" or "none"; configures the default
     *     estimator
     */
    public String scaleRewards() {
        return scaleRewards;
    }

    /**
     * @return whether truncated completions leave the loss
     */
    public boolean maskTruncatedCompletions() {
        return maskTruncatedCompletions;
    }

    /**
     * @return rho of the top-entropy-quantile token filter; 1.0 is off
     */
    public double topEntropyQuantile() {
        return topEntropyQuantile;
    }

    /**
     * @return the weight of the entropy bonus {@code - c * agg(H)} in the loss (verl's {@code
     *     entropy_coeff}); 0 is off
     */
    public double entropyCoeff() {
        return entropyCoeff;
    }

    /**
     * @return how per-token log-probs are computed (plain or shared-prefix)
     */
    public LogProbComputer logProbComputer() {
        return logProbComputer;
    }

    /**
     * @return the seed of every random choice of the run
     */
    public long seed() {
        return seed;
    }

    /**
     * @return log every this many steps
     */
    public int loggingSteps() {
        return loggingSteps;
    }

    /**
     * @return checkpoint every this many steps; 0 never (always 0 without an output directory)
     */
    public long saveSteps() {
        return outputDir == null ? 0 : saveSteps;
    }

    /**
     * @return how many checkpoints to keep; 0 keeps all
     */
    public int saveTotalLimit() {
        return saveTotalLimit;
    }

    /**
     * @return where metrics, charts and checkpoints go, if anywhere
     */
    public Optional<Path> outputDir() {
        return Optional.ofNullable(outputDir);
    }

    /**
     * @return the float type of the loss computation
     */
    public DataType dataType() {
        return dataType;
    }

    /**
     * The sampling settings for the sampler.
     *
     * @return the sampling config
     */
    public SamplingConfig samplingConfig() {
        return SamplingConfig.builder()
                .optTemperature(temperature)
                .optTopP(topP)
                .optTopK(topK)
                .optMaxNewTokens(maxCompletionLength)
                .optStopTokens(stopTokenIds)
                .build();
    }

    /**
     * The policy-gradient loss these settings describe.
     *
     * @return the loss
     */
    public PolicyGradientLoss loss() {
        PolicyGradientLoss.Builder b =
                PolicyGradientLoss.builder()
                        .optLossType(lossType)
                        .optClip(epsilon, epsilonHigh)
                        .optBeta(beta)
                        .optKlEstimator(klEstimator)
                        .optImportanceSampling(importanceSampling)
                        .optMaxCompletionLength(maxCompletionLength)
                        .optMaskTruncatedCompletions(maskTruncatedCompletions)
                        .optTopEntropyQuantile(topEntropyQuantile)
                        .optEntropyCoeff(entropyCoeff);
        if (!Double.isNaN(delta)) {
            b.optDelta(delta);
        }
        if (!Double.isNaN(dualClip)) {
            b.optDualClip(dualClip);
        }
        return b.build();
    }

    /**
     * The settings as TRL-named key/value pairs, for provenance records and logs.
     *
     * @return an ordered map
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("num_generations", numGenerations);
        m.put("prompts_per_step", promptsPerStep);
        m.put("max_prompt_length", maxPromptLength);
        m.put("max_completion_length", maxCompletionLength);
        m.put("temperature", temperature);
        m.put("top_p", topP);
        m.put("top_k", topK);
        m.put("stop_token_ids", Arrays.toString(stopTokenIds));
        m.put("max_turns", maxTurns);
        m.put("learning_rate", learningRate);
        m.put("lr_scheduler_type", lrScheduler.name().toLowerCase(Locale.ROOT));
        m.put("warmup_steps", warmupSteps());
        m.put("weight_decay", weightDecay);
        m.put("max_grad_norm", maxGradNorm);
        m.put("adam_beta1", adamBeta1);
        m.put("adam_beta2", adamBeta2);
        m.put("adam_epsilon", adamEpsilon);
        m.put("max_steps", maxSteps);
        m.put("num_iterations", numIterations);
        m.put("beta", beta);
        m.put("loss_type", lossType.name().toLowerCase(Locale.ROOT));
        m.put("epsilon", epsilon);
        m.put("epsilon_high", epsilonHigh);
        m.put("delta", Double.isNaN(delta) ? "none" : delta);
        m.put("dual_clip", Double.isNaN(dualClip) ? "none" : dualClip);
        m.put("kl_estimator", klEstimator.name().toLowerCase(Locale.ROOT));
        m.put("importance_sampling_level", importanceSampling.name().toLowerCase(Locale.ROOT));
        m.put("scale_rewards", scaleRewards);
        m.put("mask_truncated_completions", maskTruncatedCompletions);
        m.put("top_entropy_quantile", topEntropyQuantile);
        m.put("entropy_coeff", entropyCoeff);
        m.put("log_prob_computer", logProbComputer.getClass().getSimpleName());
        m.put("seed", seed);
        m.put("logging_steps", loggingSteps);
        m.put("save_steps", saveSteps);
        m.put("save_total_limit", saveTotalLimit);
        m.put("output_dir", outputDir == null ? "none" : outputDir.toString());
        m.put("dtype", dataType.name().toLowerCase(Locale.ROOT));
        return m;
    }

    @Override
    public String toString() {
        return "GrpoConfig" + toMap();
    }

    /** Builds a {@link GrpoConfig}; every setter validates at once. */
    public static final class Builder {
        private int numGenerations = 8;
        private int promptsPerStep = 1;
        private int maxPromptLength = 512;
        private int maxCompletionLength = 512;
        private double temperature = 1.0;
        private double topP = 1.0;
        private int topK;
        private int[] stopTokenIds = new int[0];
        private int maxTurns = 10;
        private double learningRate = 1e-6;
        private LearningRateSchedule lrScheduler = LearningRateSchedule.LINEAR;
        private long warmupSteps;
        private double warmupRatio;
        private double weightDecay;
        private double maxGradNorm = 1.0;
        private double adamBeta1 = 0.9;
        private double adamBeta2 = 0.999;
        private double adamEpsilon = 1e-8;
        private long maxSteps = 500;
        private int numIterations = 1;
        private double beta;
        private LossType lossType = LossType.DAPO;
        private double epsilon = 0.2;
        private double epsilonHigh = Double.NaN;
        private double delta = Double.NaN;
        private double dualClip = Double.NaN;
        private KlEstimator klEstimator = KlEstimator.K3;
        private ImportanceSampling importanceSampling = ImportanceSampling.TOKEN;
        private String scaleRewards = "group";
        private boolean maskTruncatedCompletions;
        private double topEntropyQuantile = 1.0;
        private double entropyCoeff;
        private LogProbComputer logProbComputer = new PlainLogProbComputer();
        private long seed = 42;
        private int loggingSteps = 10;
        private long saveSteps = 500;
        private boolean saveStepsSet;
        private int saveTotalLimit;
        private Path outputDir;
        private DataType dataType = DataType.FLOAT32;

        private Builder() {}

        /**
         * TRL {@code num_generations} (default 8): completions per prompt, G.
         *
         * @param numGenerations {@code >= 1} (1 only for single-stream estimators such as SPO)
         * @return this builder
         */
        public Builder optNumGenerations(int numGenerations) {
            Checks.require(
                    numGenerations >= 1, "num_generations must be >= 1 but was %d", numGenerations);
            this.numGenerations = numGenerations;
            return this;
        }

        /**
         * Prompts per training step (default 1; TRL derives it from the batch size divided by
         * num_generations).
         *
         * @param promptsPerStep {@code >= 1}
         * @return this builder
         */
        public Builder optPromptsPerStep(int promptsPerStep) {
            Checks.require(
                    promptsPerStep >= 1,
                    "prompts_per_step must be >= 1 but was %d",
                    promptsPerStep);
            this.promptsPerStep = promptsPerStep;
            return this;
        }

        /**
         * TRL {@code max_prompt_length} (default 512); longer prompts keep their last tokens.
         *
         * @param maxPromptLength {@code >= 1}
         * @return this builder
         */
        public Builder optMaxPromptLength(int maxPromptLength) {
            Checks.require(
                    maxPromptLength >= 1,
                    "max_prompt_length must be >= 1 but was %d",
                    maxPromptLength);
            this.maxPromptLength = maxPromptLength;
            return this;
        }

        /**
         * TRL {@code max_completion_length} (default 512); also DR_GRPO's constant normaliser.
         *
         * @param maxCompletionLength {@code >= 1}
         * @return this builder
         */
        public Builder optMaxCompletionLength(int maxCompletionLength) {
            Checks.require(
                    maxCompletionLength >= 1,
                    "max_completion_length must be >= 1 but was %d",
                    maxCompletionLength);
            this.maxCompletionLength = maxCompletionLength;
            return this;
        }

        /**
         * TRL {@code temperature} (default 1.0), for sampling and for the log-prob passes.
         *
         * @param temperature {@code > 0}
         * @return this builder
         */
        public Builder optTemperature(double temperature) {
            Checks.require(
                    temperature > 0 && Double.isFinite(temperature),
                    "temperature must be a finite number > 0 but was %s",
                    temperature);
            this.temperature = temperature;
            return this;
        }

        /**
         * TRL {@code top_p} (default 1.0 = off).
         *
         * @param topP in {@code (0, 1]}
         * @return this builder
         */
        public Builder optTopP(double topP) {
            Checks.require(topP > 0 && topP <= 1, "top_p must lie in (0, 1] but was %s", topP);
            this.topP = topP;
            return this;
        }

        /**
         * TRL {@code top_k} (default 0 = off).
         *
         * @param topK {@code >= 0}
         * @return this builder
         */
        public Builder optTopK(int topK) {
            Checks.require(topK >= 0, "top_k must be >= 0 (0 = off) but was %d", topK);
            this.topK = topK;
            return this;
        }

        /**
         * Token ids that end a completion (the tokenizer's EOS in TRL; default none).
         *
         * @param stopTokenIds non-negative ids
         * @return this builder
         */
        public Builder optStopTokenIds(int... stopTokenIds) {
            for (int id : stopTokenIds) {
                Checks.require(id >= 0, "stop token id must be >= 0 but was %d", id);
            }
            this.stopTokenIds = stopTokenIds.clone();
            return this;
        }

        /**
         * The most turns of a multi-turn episode (default 10).
         *
         * @param maxTurns {@code >= 1}
         * @return this builder
         */
        public Builder optMaxTurns(int maxTurns) {
            Checks.require(maxTurns >= 1, "max_turns must be >= 1 but was %d", maxTurns);
            this.maxTurns = maxTurns;
            return this;
        }

        /**
         * TRL {@code learning_rate} (default 1e-6, tuned for pretrained LLMs; tiny models from
         * scratch want about 1e-3).
         *
         * @param learningRate {@code > 0}
         * @return this builder
         */
        public Builder optLearningRate(double learningRate) {
            this.learningRate = Checks.positive("learning_rate", learningRate);
            return this;
        }

        /**
         * HF {@code lr_scheduler_type} (default linear).
         *
         * @param schedule the schedule
         * @return this builder
         */
        public Builder optLrScheduler(LearningRateSchedule schedule) {
            this.lrScheduler = Objects.requireNonNull(schedule, "lr_scheduler_type");
            return this;
        }

        /**
         * HF {@code warmup_steps} (default 0); takes precedence over the ratio.
         *
         * @param warmupSteps {@code >= 0}
         * @return this builder
         */
        public Builder optWarmupSteps(long warmupSteps) {
            Checks.require(warmupSteps >= 0, "warmup_steps must be >= 0 but was %d", warmupSteps);
            this.warmupSteps = warmupSteps;
            return this;
        }

        /**
         * HF {@code warmup_ratio} (default 0.0), a fraction of max_steps.
         *
         * @param warmupRatio in {@code [0, 1)}
         * @return this builder
         */
        public Builder optWarmupRatio(double warmupRatio) {
            Checks.require(
                    warmupRatio >= 0 && warmupRatio < 1,
                    "warmup_ratio must lie in [0, 1) but was %s",
                    warmupRatio);
            this.warmupRatio = warmupRatio;
            return this;
        }

        /**
         * HF {@code weight_decay} (default 0.0), decoupled (AdamW).
         *
         * @param weightDecay {@code >= 0}
         * @return this builder
         */
        public Builder optWeightDecay(double weightDecay) {
            this.weightDecay = Checks.nonNegative("weight_decay", weightDecay);
            return this;
        }

        /**
         * HF {@code max_grad_norm} (default 1.0); 0 disables clipping.
         *
         * @param maxGradNorm {@code >= 0}
         * @return this builder
         */
        public Builder optMaxGradNorm(double maxGradNorm) {
            this.maxGradNorm = Checks.nonNegative("max_grad_norm", maxGradNorm);
            return this;
        }

        /**
         * HF {@code adam_beta1}, {@code adam_beta2}, {@code adam_epsilon} (0.9, 0.999, 1e-8).
         *
         * @param beta1 in [0, 1)
         * @param beta2 in [0, 1)
         * @param epsilon {@code > 0}
         * @return this builder
         */
        public Builder optAdam(double beta1, double beta2, double epsilon) {
            Checks.require(
                    beta1 >= 0 && beta1 < 1, "adam_beta1 must lie in [0, 1) but was %s", beta1);
            Checks.require(
                    beta2 >= 0 && beta2 < 1, "adam_beta2 must lie in [0, 1) but was %s", beta2);
            this.adamBeta1 = beta1;
            this.adamBeta2 = beta2;
            this.adamEpsilon = Checks.positive("adam_epsilon", epsilon);
            return this;
        }

        /**
         * HF {@code max_steps} (default 500): the length of a run and of the learning-rate
         * schedule.
         *
         * @param maxSteps {@code >= 1}
         * @return this builder
         */
        public Builder optMaxSteps(long maxSteps) {
            Checks.require(maxSteps >= 1, "max_steps must be >= 1 but was %d", maxSteps);
            this.maxSteps = maxSteps;
            return this;
        }

        /**
         * TRL {@code num_iterations}, mu (default 1): policy updates per generation batch; with mu
         * > 1 the old log-probs are computed once, before the first update.
         *
         * @param numIterations {@code >= 1}
         * @return this builder
         */
        public Builder optNumIterations(int numIterations) {
            Checks.require(
                    numIterations >= 1, "num_iterations must be >= 1 but was %d", numIterations);
            this.numIterations = numIterations;
            return this;
        }

        /**
         * TRL {@code beta} (default 0.0): the KL weight; above 0 a frozen copy of the initial
         * policy serves as the reference.
         *
         * @param beta {@code >= 0}
         * @return this builder
         */
        public Builder optBeta(double beta) {
            this.beta = Checks.nonNegative("beta", beta);
            return this;
        }

        /**
         * TRL {@code loss_type} (default dapo).
         *
         * @param lossType the loss type; {@code LossType.fromName} parses TRL's names
         * @return this builder
         */
        public Builder optLossType(LossType lossType) {
            this.lossType = Objects.requireNonNull(lossType, "loss_type");
            return this;
        }

        /**
         * TRL {@code epsilon} and {@code epsilon_high} (default 0.2 and equal to epsilon).
         *
         * @param epsilonLow in {@code [0, 1)}
         * @param epsilonHigh {@code >= 0}
         * @return this builder
         */
        public Builder optClip(double epsilonLow, double epsilonHigh) {
            Checks.require(
                    epsilonLow >= 0 && epsilonLow < 1,
                    "epsilon must lie in [0, 1) but was %s",
                    epsilonLow);
            Checks.require(
                    epsilonHigh >= 0 && Double.isFinite(epsilonHigh),
                    "epsilon_high must be a finite number >= 0 but was %s",
                    epsilonHigh);
            this.epsilon = epsilonLow;
            this.epsilonHigh = epsilonHigh;
            return this;
        }

        /**
         * TRL {@code delta} (default none): INTELLECT-2's cap on the unclipped ratio.
         *
         * @param delta {@code > 1 + epsilon_high}
         * @return this builder
         */
        public Builder optDelta(double delta) {
            Checks.require(
                    delta > 1 && Double.isFinite(delta),
                    "delta must be a finite number > 1 but was %s",
                    delta);
            this.delta = delta;
            return this;
        }

        /**
         * verl's {@code clip_ratio_c} (default none): the dual-clip bound for negative advantages.
         *
         * @param c {@code > 1}
         * @return this builder
         */
        public Builder optDualClip(double c) {
            Checks.require(
                    c > 1 && Double.isFinite(c),
                    "dual clip c must be a finite number > 1 but was %s",
                    c);
            this.dualClip = c;
            return this;
        }

        /**
         * The KL estimator (default K3, TRL's).
         *
         * @param klEstimator the estimator
         * @return this builder
         */
        public Builder optKlEstimator(KlEstimator klEstimator) {
            this.klEstimator = Objects.requireNonNull(klEstimator, "kl_estimator");
            return this;
        }

        /**
         * TRL {@code importance_sampling_level} (default token).
         *
         * @param level TOKEN, SEQUENCE or ITEM
         * @return this builder
         */
        public Builder optImportanceSampling(ImportanceSampling level) {
            this.importanceSampling = Objects.requireNonNull(level, "importance_sampling_level");
            return this;
        }

        /**
         * TRL {@code scale_rewards} (default "group"): "group", "batch" or "none" ({@code true} and
         * {@code false} are accepted as "group" and "none"). Configures the default GRPO estimator.
         *
         * @param scaleRewards the mode
         * @return this builder
         */
        public Builder optScaleRewards(String scaleRewards) {
            String s = scaleRewards == null ? "" : scaleRewards.trim().toLowerCase(Locale.ROOT);
            switch (s) {
                case "group":
                case "true":
                    this.scaleRewards = "group";
                    break;
                case "batch":
                    this.scaleRewards = "batch";
                    break;
                case "none":
                case "false":
                    this.scaleRewards = "none";
                    break;
                default:
                    throw new IllegalArgumentException(
                            "scale_rewards must be 'group', 'batch' or 'none' but was '"
                                    + scaleRewards
                                    + "'");
            }
            return this;
        }

        /**
         * TRL {@code mask_truncated_completions} (default false).
         *
         * @param mask true to drop truncated completions from the loss
         * @return this builder
         */
        public Builder optMaskTruncatedCompletions(boolean mask) {
            this.maskTruncatedCompletions = mask;
            return this;
        }

        /**
         * TRL {@code top_entropy_quantile} (default 1.0 = off).
         *
         * @param rho in {@code (0, 1]}
         * @return this builder
         */
        public Builder optTopEntropyQuantile(double rho) {
            Checks.require(
                    rho > 0 && rho <= 1, "top_entropy_quantile must lie in (0, 1] but was %s", rho);
            this.topEntropyQuantile = rho;
            return this;
        }

        /**
         * verl {@code entropy_coeff} (default 0 = off): the loss subtracts {@code c} times the
         * entropy of the policy's next-token distributions, aggregated like the policy term, which
         * keeps groups from collapsing onto one answer. It costs one more {@code [B, T, V]} array
         * in the backward pass.
         *
         * @param c finite and {@code >= 0}
         * @return this builder
         */
        public Builder optEntropyCoeff(double c) {
            Checks.require(
                    c >= 0 && Double.isFinite(c),
                    "entropy_coeff must be finite and >= 0 but was %s",
                    c);
            this.entropyCoeff = c;
            return this;
        }

        /**
         * How per-token log-probs are computed (default {@link PlainLogProbComputer}; {@code
         * SharedPrefixLogProbComputer} encodes each prompt once per group).
         *
         * @param computer the computer
         * @return this builder
         */
        public Builder optLogProbComputer(LogProbComputer computer) {
            this.logProbComputer = Objects.requireNonNull(computer, "logProbComputer");
            return this;
        }

        /**
         * HF {@code seed} (default 42).
         *
         * @param seed any value
         * @return this builder
         */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * HF {@code logging_steps} (default 10).
         *
         * @param loggingSteps {@code >= 1}
         * @return this builder
         */
        public Builder optLoggingSteps(int loggingSteps) {
            Checks.require(
                    loggingSteps >= 1, "logging_steps must be >= 1 but was %d", loggingSteps);
            this.loggingSteps = loggingSteps;
            return this;
        }

        /**
         * HF {@code save_steps} (default 500); 0 never checkpoints.
         *
         * @param saveSteps {@code >= 0}
         * @return this builder
         */
        public Builder optSaveSteps(long saveSteps) {
            Checks.require(
                    saveSteps >= 0, "save_steps must be >= 0 (0 = never) but was %d", saveSteps);
            this.saveSteps = saveSteps;
            this.saveStepsSet = true;
            return this;
        }

        /**
         * HF {@code save_total_limit} (default 0 = keep all).
         *
         * @param limit {@code >= 0}
         * @return this builder
         */
        public Builder optSaveTotalLimit(int limit) {
            Checks.require(
                    limit >= 0, "save_total_limit must be >= 0 (0 = keep all) but was %d", limit);
            this.saveTotalLimit = limit;
            return this;
        }

        /**
         * HF {@code output_dir} (default none): metrics.jsonl, the chart and checkpoints go here.
         *
         * @param outputDir the directory
         * @return this builder
         */
        public Builder optOutputDir(Path outputDir) {
            this.outputDir = Objects.requireNonNull(outputDir, "output_dir");
            return this;
        }

        /**
         * The float type of the loss computation (default float32; float64 for exact tests).
         *
         * @param dataType float32 or float64
         * @return this builder
         */
        public Builder optDataType(DataType dataType) {
            Checks.require(
                    dataType == DataType.FLOAT32 || dataType == DataType.FLOAT64,
                    "dtype must be float32 or float64 but was %s",
                    dataType);
            this.dataType = dataType;
            return this;
        }

        /**
         * Checks combinations and builds.
         *
         * @return the config
         * @throws IllegalArgumentException naming the conflicting settings
         */
        public GrpoConfig build() {
            double high = Double.isNaN(epsilonHigh) ? epsilon : epsilonHigh;
            Checks.require(
                    Double.isNaN(delta) || delta > 1 + high,
                    "delta (%s) must exceed 1 + epsilon_high (%s)",
                    delta,
                    1 + high);
            Checks.require(
                    warmupSteps < maxSteps,
                    "warmup_steps (%d) must be smaller than max_steps (%d)",
                    warmupSteps,
                    maxSteps);
            Checks.require(
                    !saveStepsSet || saveSteps == 0 || outputDir != null,
                    "save_steps is %d but no output_dir is set; set optOutputDir(...) or optSaveSteps(0)",
                    saveSteps);
            return new GrpoConfig(this);
        }
    }
}
