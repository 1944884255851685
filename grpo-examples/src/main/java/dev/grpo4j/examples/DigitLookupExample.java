package dev.grpo4j.examples;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.grpo4j.advantage.GrpoAdvantage;
import dev.grpo4j.advantage.RewardScale;
import dev.grpo4j.core.loss.KlEstimator;
import dev.grpo4j.core.reward.Completion;
import dev.grpo4j.core.reward.RewardFunction;
import dev.grpo4j.core.reward.RewardSet;
import dev.grpo4j.core.rollout.Prompt;
import dev.grpo4j.core.train.GrpoConfig;
import dev.grpo4j.core.train.GrpoTrainer;
import dev.grpo4j.core.train.PromptSources;
import dev.grpo4j.core.train.StepMetrics;
import dev.grpo4j.core.train.listener.ProgressBar;
import dev.grpo4j.core.train.optim.LearningRateSchedule;
import dev.grpo4j.examples.support.ExampleOptions;
import dev.grpo4j.prefix.SharedPrefixLogProbComputer;
import dev.grpo4j.prefix.model.CausalTransformer;
import dev.grpo4j.prefix.model.TransformerConfig;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The flagship example: a transformer trained from scratch with GRPO, on 2 CPU cores, to answer a
 * question about a long digit string.
 *
 * <p>Each prompt is a string of 64 random digits (option {@code --digits}) in which two positions
 * are marked, one with brackets {@code [d]} and one with parentheses {@code (d)}, followed by a
 * question: {@code ?[} asks for the bracketed digit, {@code ?(} for the one in parentheses. The
 * answer is that digit:
 *
 * <pre>
 *   prompt:  ^ 3 9 1 ... 0 [7] 5 ... 2 (4) 8 ... 6 ?(
 *   answer:  4
 * </pre>
 *
 * <p>The reward pays 1 for the asked digit and 0.25 for the other marked digit (the policy at least
 * found a mark); a random policy earns about 0.01, the maximum is 1. All G = 16 completions of a
 * prompt share its 66-token prefix, so the shared-prefix log-prob computer encodes each prompt once
 * per group instead of 16 times, and the sampler shares each prompt's KV cache across the group.
 *
 * <p>What makes it learn, found by measuring (see {@code docs/benchmarks.md}): a one-token answer
 * (a two-token "digit then end" format was learned first and collapsed the digit distribution
 * within 40 steps); a learning rate of 1e-3 with warm-up and cosine decay; and a KL term to the
 * initial policy (beta 0.05, k3) plus an entropy bonus (entropy_coeff 0.01), which keep groups from
 * collapsing onto one answer. A group whose 16 answers are identical has zero advantage and teaches
 * nothing: with beta 0 the policy turned deterministic at about 80% reward, and with beta 0.05
 * alone it still plateaued near 0.8 on some seeds; the bonus lifted the same run to 0.93.
 *
 * <p>Run it with {@code mvn -q -B -pl grpo-examples -am -DskipTests package exec:exec}, add {@code
 * -Dargs="--quick"} for the CI-sized run, or for example {@code -Dargs="--steps 3000 --seed 7 --out
 * runs/digits"}. Options: {@code --steps --seed --out --quick --digits --lr --beta --entropy
 * --prompts --group --schedule} (constant, linear or cosine; cosine by default, constant with
 * {@code --quick}). The last line has the form {@code FINAL reward=.. initial_reward=..
 * max_reward=.. steps=.. seconds=..}.
 */
public final class DigitLookupExample {

    static final int FULL_STEPS = 3000;
    static final int QUICK_STEPS = 400;

    // ---- the vocabulary: plain digits, [d] digits, (d) digits, and three markers
    // -----------------
    static final int BRACKETED = 10;
    static final int PARENTHESISED = 20;
    static final int START = 30;
    static final int ASK_BRACKETED = 31;
    static final int ASK_PARENTHESISED = 32;
    static final int VOCAB = 33;
    static final int[] DIGITS = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};

    /** The example's settings beyond the common options. */
    record Settings(
            int digits,
            double learningRate,
            double beta,
            double entropyCoeff,
            int prompts,
            int group,
            LearningRateSchedule schedule) {
        static Settings of(ExampleOptions o) {
            // A cosine squeezed into a short CI run spends half of it at a small rate.
            String schedule = o.extra().getOrDefault("schedule", o.quick() ? "constant" : "cosine");
            return new Settings(
                    (int) o.number("digits", 64),
                    o.number("lr", 1e-3),
                    o.number("beta", 0.05),
                    o.number("entropy", 0.01),
                    (int) o.number("prompts", 8),
                    (int) o.number("group", 16),
                    LearningRateSchedule.fromName(schedule));
        }
    }

    static String text(int token) {
        if (token < BRACKETED) {
            return Integer.toString(token);
        } else if (token < PARENTHESISED) {
            return "[" + (token - BRACKETED) + "]";
        } else if (token < START) {
            return "(" + (token - PARENTHESISED) + ")";
        }
        return switch (token) {
            case START -> "^";
            case ASK_BRACKETED -> "?[";
            case ASK_PARENTHESISED -> "?(";
            default -> "<" + token + ">";
        };
    }

    static String text(int[] tokens) {
        StringBuilder sb = new StringBuilder();
        for (int t : tokens) {
            sb.append(text(t)).append(' ');
        }
        return sb.toString().trim();
    }

    /** A fresh random task: the digit string with its two marks, the question and the answer. */
    static Prompt makePrompt(RandomGenerator random, int digits) {
        int[] ids = new int[digits + 2];
        ids[0] = START;
        for (int i = 1; i <= digits; i++) {
            ids[i] = random.nextInt(10);
        }
        int bracketAt = 1 + random.nextInt(digits);
        int parenAt;
        do {
            parenAt = 1 + random.nextInt(digits);
        } while (parenAt == bracketAt);
        int bracketDigit = ids[bracketAt];
        int parenDigit = ids[parenAt];
        ids[bracketAt] = BRACKETED + bracketDigit;
        ids[parenAt] = PARENTHESISED + parenDigit;
        boolean askBracketed = random.nextBoolean();
        ids[digits + 1] = askBracketed ? ASK_BRACKETED : ASK_PARENTHESISED;
        int answer = askBracketed ? bracketDigit : parenDigit;
        int other = askBracketed ? parenDigit : bracketDigit;
        String key = Integer.toHexString(Arrays.hashCode(ids));
        return new Prompt(key, ids, text(ids), Map.of("answer", answer, "other", other));
    }

    // ---- the reward ----------------------------------------------------------------------------
    static final RewardFunction ANSWER = RewardFunction.named("answer", DigitLookupExample::answer);

    /** 1 for the asked digit; 0.25 for the other marked digit, which at least looked at a mark. */
    static double answer(Completion c) {
        if (c.length() == 0) {
            return 0.0;
        }
        int said = c.ids()[0];
        if (said == (Integer) c.prompt().get("answer")) {
            return 1.0;
        }
        return said == (Integer) c.prompt().get("other") ? 0.25 : 0.0;
    }

    /** The figures the FINAL line reports. */
    record Result(
            double reward, double initialReward, double maxReward, int steps, double seconds) {

        String finalLine() {
            return String.format(
                    Locale.ROOT,
                    "FINAL reward=%.4f initial_reward=%.4f max_reward=%.4f steps=%d seconds=%.1f",
                    reward,
                    initialReward,
                    maxReward,
                    steps,
                    seconds);
        }
    }

    /**
     * Trains and prints the FINAL line; with {@code --quick}, exits with status 1 unless the reward
     * improved by at least 0.2 over the first step.
     *
     * @param argv the options
     */
    public static void main(String[] argv) {
        ExampleOptions options =
                ExampleOptions.parse(
                        argv,
                        "DigitLookupExample",
                        Path.of("runs", "digit-lookup"),
                        FULL_STEPS,
                        QUICK_STEPS,
                        Set.of("digits", "lr", "beta", "entropy", "prompts", "group", "schedule"));
        Result result = run(options, true);
        System.out.println(result.finalLine());
        if (options.quick() && !improved(result)) {
            System.err.println("quick run: the reward did not rise by 0.2 over the first step");
            System.exit(1);
        }
    }

    static boolean improved(Result result) {
        return result.reward() > result.initialReward() + 0.2;
    }

    static Result run(ExampleOptions options, boolean progress) {
        long start = System.nanoTime();
        Settings settings = Settings.of(options);
        int seed = (int) options.seed();
        try (NDManager manager = NDManager.newBaseManager()) {
            // ---- the policy: a small causal transformer, initialised from the seed
            // ---------------
            TransformerConfig model =
                    TransformerConfig.builder()
                            .setVocabSize(VOCAB)
                            .setWidth(64)
                            .setLayers(2)
                            .setHeads(4)
                            .optKvHeads(2)
                            .optMlpWidth(128)
                            .setMaxSequenceLength(settings.digits() + 8)
                            .build();
            CausalTransformer policy =
                    CausalTransformer.create(manager, model, DataType.FLOAT32, seed);

            // ---- GRPO settings (TRL names); the shared-prefix path encodes each prompt once
            // --------
            GrpoConfig config =
                    GrpoConfig.builder()
                            .optNumGenerations(settings.group())
                            .optPromptsPerStep(settings.prompts())
                            .optMaxPromptLength(settings.digits() + 2)
                            .optMaxCompletionLength(1)
                            .optStopTokenIds(DIGITS)
                            .optLearningRate(settings.learningRate())
                            .optLrScheduler(settings.schedule())
                            .optWarmupSteps(Math.min(10, options.steps() / 10))
                            .optMaxSteps(options.steps())
                            .optBeta(settings.beta())
                            .optEntropyCoeff(settings.entropyCoeff())
                            .optKlEstimator(KlEstimator.K3)
                            .optSeed(options.seed())
                            .optLoggingSteps(100)
                            .optSaveSteps(Math.max(1, options.steps() / 2))
                            .optOutputDir(options.out())
                            .optLogProbComputer(new SharedPrefixLogProbComputer())
                            .build();

            // ---- train
            // ---------------------------------------------------------------------------
            GrpoTrainer.Builder builder =
                    GrpoTrainer.builder()
                            .setPolicy(policy)
                            .setConfig(config)
                            .setPromptSource(
                                    PromptSources.generated(r -> makePrompt(r, settings.digits())))
                            .optRewards(RewardSet.of(ANSWER))
                            .optAdvantageEstimator(
                                    GrpoAdvantage.builder().optScale(RewardScale.GROUP).build())
                            .optTokenDecoder(DigitLookupExample::text);
            if (progress) {
                builder.addListener(new ProgressBar(100));
            }
            List<StepMetrics> history;
            try (GrpoTrainer trainer = builder.build()) {
                history = trainer.train();
            }
            return summarize(history, (System.nanoTime() - start) / 1e9);
        }
    }

    /** FINAL's figures: the mean of the last 20 steps, the first step, and the best step. */
    static Result summarize(List<StepMetrics> history, double seconds) {
        double[] reward =
                history.stream().mapToDouble(m -> m.getOrDefault("reward", Double.NaN)).toArray();
        int tail = Math.min(20, reward.length);
        double last = 0;
        for (int i = reward.length - tail; i < reward.length; i++) {
            last += reward[i] / tail;
        }
        double max = Arrays.stream(reward).max().orElse(Double.NaN);
        return new Result(last, reward[0], max, reward.length, seconds);
    }

    private DigitLookupExample() {}
}
