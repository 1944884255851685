package dev.grpo4j.examples;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.grpo4j.advantage.GrpoAdvantage;
import dev.grpo4j.advantage.RankGrpoAdvantage;
import dev.grpo4j.advantage.RankReward;
import dev.grpo4j.core.loss.ImportanceSampling;
import dev.grpo4j.core.reward.ItemRewardSet;
import dev.grpo4j.core.reward.RewardSet;
import dev.grpo4j.core.train.GrpoConfig;
import dev.grpo4j.core.train.GrpoTrainer;
import dev.grpo4j.core.train.PromptSources;
import dev.grpo4j.core.train.listener.JsonlMetricsWriter;
import dev.grpo4j.core.train.listener.ProgressBar;
import dev.grpo4j.core.train.optim.LearningRateSchedule;
import dev.grpo4j.examples.rank.Catalog;
import dev.grpo4j.examples.rank.HeldOutEvaluation;
import dev.grpo4j.examples.rank.ListRewards;
import dev.grpo4j.examples.rank.User;
import dev.grpo4j.examples.rank.UserModel;
import dev.grpo4j.examples.support.ComparisonReport;
import dev.grpo4j.examples.support.ExampleOptions;
import dev.grpo4j.prefix.model.CausalTransformer;
import dev.grpo4j.prefix.model.TransformerConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Rank-GRPO against GRPO on a synthetic recommendation task: a transformer trained from scratch
 * writes a ranked list of K item tokens for a user, scored by hits against the user's held-out
 * items.
 *
 * <p><b>The task.</b> A catalog of 48 items in 8 hidden clusters of 6 ({@link Catalog}). Each user
 * likes 2 clusters, has seen 3 items of each, and will like the other 3 of each ({@link
 * UserModel}): 6 relevant items. The prompt is the shuffled history, the completion a list of K = 6
 * items separated by {@code |} and ended by {@code $}:
 *
 * <pre>
 *   prompt:      ^ i17 i3 i40 i22 i9 i31 ?
 *   completion:  i5 | i28 | i44 | i12 | i36 | i2 $
 * </pre>
 *
 * An entry scores a hit when it is a single relevant item not listed before; repeats, seen items
 * and malformed entries score 0 ({@link ListRewards}). The policy has to discover the list format,
 * which items belong together and which ones the user has already seen.
 *
 * <p><b>The comparison.</b> Same model, initialisation, users, seed and budget:
 *
 * <ul>
 *   <li>{@code rank-grpo}: the per-rank hit vector as item reward, {@link RankGrpoAdvantage}
 *       (EXP_INF, length shaping on, as the reference repository), ITEM importance sampling;
 *   <li>{@code grpo}: NDCG@K as one scalar reward per list, {@link GrpoAdvantage}, TOKEN importance
 *       sampling.
 * </ul>
 *
 * Both runs are measured the same way: greedy lists for 128 fixed evaluation users (not trained
 * on), every {@code eval-every} steps, by NDCG@K and Recall@K ({@link HeldOutEvaluation}).
 *
 * <p><b>Output</b> (in {@code --out}): {@code ndcg.csv/png} and {@code recall.csv/png} (both runs'
 * curves), {@code rank-grpo/metrics.jsonl} and {@code grpo/metrics.jsonl} (the trainer's metrics of
 * every step, on the sampled training lists), and the last line {@code FINAL method=<NDCG@K of
 * Rank-GRPO> baseline=<NDCG@K of GRPO> metric=ndcg@K steps=<n> seconds=<wall>}, each value the mean
 * of the last three evaluations. {@code --quick} (the CI run) exits with code 1 unless Rank-GRPO's
 * NDCG rose clearly above the initial policy's.
 *
 * <p>Run: {@code mvn -q -B -pl grpo-examples -am -DskipTests package exec:exec
 * -Dexample=RankGrpoExample -Dargs="--quick"}. Options besides {@code --steps --seed --out
 * --quick}: {@code --k --clusters --cluster-size --preferred --seen --group --prompts --lr --mu
 * --rank-reward (exp_inf|log_decay) --eval-users --eval-every}.
 */
public final class RankGrpoExample {

    static final int FULL_STEPS = 1000;
    static final int QUICK_STEPS = 80;

    /** How far Rank-GRPO's NDCG must rise above the initial policy's in a {@code --quick} run. */
    static final double QUICK_MIN_GAIN = 0.05;

    /** The two compared methods; each constant configures its part of the trainer. */
    enum Method {
        /** Per-rank hit rewards, per-rank advantages, one importance ratio per item. */
        RANK_GRPO("rank-grpo", ImportanceSampling.ITEM) {
            @Override
            void configure(GrpoTrainer.Builder trainer, Settings s, Catalog catalog) {
                trainer.optItemRewards(ItemRewardSet.of(ListRewards.hits(catalog, s.k())), s.k())
                        .optAdvantageEstimator(
                                RankGrpoAdvantage.builder()
                                        .optRankReward(s.rankReward())
                                        .optRankCount(s.k())
                                        .optSeparatorTokens(catalog.separator())
                                        .optEosTokenIds(catalog.eos())
                                        .build());
            }
        },
        /** NDCG@K as one reward per list, GRPO's advantage, one importance ratio per token. */
        GRPO("grpo", ImportanceSampling.TOKEN) {
            @Override
            void configure(GrpoTrainer.Builder trainer, Settings s, Catalog catalog) {
                trainer.optAdvantageEstimator(GrpoAdvantage.builder().build());
            }
        };

        final String label;
        final ImportanceSampling importanceSampling;

        Method(String label, ImportanceSampling importanceSampling) {
            this.label = label;
            this.importanceSampling = importanceSampling;
        }

        /** Adds the method's rewards and estimator. */
        abstract void configure(GrpoTrainer.Builder trainer, Settings s, Catalog catalog);
    }

    /** Task sizes and hyperparameters, shared by both runs. */
    record Settings(
            int clusters,
            int clusterSize,
            int preferred,
            int seen,
            int k,
            int group,
            int prompts,
            double learningRate,
            int iterations,
            RankReward rankReward,
            int evalUsers,
            int evalEvery) {

        static final Set<String> OPTIONS =
                Set.of(
                        "k",
                        "clusters",
                        "cluster-size",
                        "preferred",
                        "seen",
                        "group",
                        "prompts",
                        "lr",
                        "mu",
                        "rank-reward",
                        "eval-users",
                        "eval-every");

        static Settings of(ExampleOptions o) {
            return new Settings(
                    integer(o, "clusters", 8),
                    integer(o, "cluster-size", 6),
                    integer(o, "preferred", 2),
                    integer(o, "seen", 3),
                    integer(o, "k", 6),
                    integer(o, "group", 16),
                    integer(o, "prompts", 8),
                    o.number("lr", 1e-3),
                    integer(o, "mu", 1),
                    rankReward(o.extra().getOrDefault("rank-reward", "exp_inf")),
                    integer(o, "eval-users", 128),
                    integer(o, "eval-every", o.quick() ? 10 : 25));
        }

        private static int integer(ExampleOptions o, String key, int fallback) {
            double v = o.number(key, fallback);
            if (v != Math.rint(v) || v < 1 || v > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(
                        "--" + key + " needs a positive integer but was " + o.extra().get(key));
            }
            return (int) v;
        }

        private static RankReward rankReward(String name) {
            try {
                return RankReward.valueOf(name.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "--rank-reward must be exp_inf or log_decay but was '" + name + "'", e);
            }
        }
    }

    /**
     * What the example produced.
     *
     * @param finalLine the FINAL line
     * @param method Rank-GRPO's final NDCG@K
     * @param baseline GRPO's final NDCG@K
     * @param initial the initial policy's NDCG@K (the same for both runs)
     */
    record Result(String finalLine, double method, double baseline, double initial) {}

    private RankGrpoExample() {}

    /**
     * Runs both methods, writes the curves and prints the FINAL line.
     *
     * @param argv {@code --steps --seed --out --quick} and the options listed in the class comment
     */
    public static void main(String[] argv) {
        ExampleOptions options =
                ExampleOptions.parse(
                        argv,
                        "RankGrpoExample",
                        Path.of("runs", "rank-grpo"),
                        FULL_STEPS,
                        QUICK_STEPS,
                        Settings.OPTIONS);
        Result result = run(options);
        System.out.println(result.finalLine());
        if (options.quick() && !(result.method() >= result.initial() + QUICK_MIN_GAIN)) {
            System.err.printf(
                    Locale.ROOT,
                    "quick run: Rank-GRPO's NDCG %.4f did not rise %.2f above the initial %.4f%n",
                    result.method(),
                    QUICK_MIN_GAIN,
                    result.initial());
            System.exit(1);
        }
    }

    static Result run(ExampleOptions options) {
        long start = System.nanoTime();
        Settings s = Settings.of(options);
        Catalog catalog = Catalog.create(s.clusters(), s.clusterSize(), options.seed());
        UserModel users = new UserModel(catalog, s.preferred(), s.seen());
        // Evaluation users come from their own stream, apart from the trainer's per-step streams.
        SplittableRandom evalRandom = new SplittableRandom(options.seed() ^ 0x5EED5EEDL);
        List<User> evalUsers = new ArrayList<>();
        for (int u = 0; u < s.evalUsers(); u++) {
            evalUsers.add(users.sample(evalRandom));
        }
        String ndcgName = "ndcg@" + s.k();
        ComparisonReport ndcg = new ComparisonReport(ndcgName, 3);
        ComparisonReport recall = new ComparisonReport("recall@" + s.k(), 3);
        double initial = Double.NaN;
        for (Method m : Method.values()) {
            HeldOutEvaluation eval = train(m, options, s, users, evalUsers);
            for (HeldOutEvaluation.Point p : eval.points()) {
                ndcg.add(m.label, p.step(), p.ndcg());
                recall.add(m.label, p.step(), p.recall());
            }
            initial = eval.points().get(0).ndcg();
            HeldOutEvaluation.Point last = eval.points().get(eval.points().size() - 1);
            StringBuilder rates = new StringBuilder();
            for (double h : last.hitRate()) {
                rates.append(String.format(Locale.ROOT, " %.2f", h));
            }
            System.out.printf(
                    Locale.ROOT,
                    "%s after %d steps: %s %.4f, recall@%d %.4f, hit rate by rank%s; greedy lists"
                            + " of 3 evaluation users:%n",
                    m.label,
                    last.step(),
                    ndcgName,
                    last.ndcg(),
                    s.k(),
                    last.recall(),
                    rates);
            eval.lastLists().stream().limit(3).forEach(line -> System.out.println("  " + line));
        }
        ndcg.write(options.out(), "ndcg", "Rank-GRPO vs GRPO: NDCG@" + s.k(), "step");
        recall.write(options.out(), "recall", "Rank-GRPO vs GRPO: Recall@" + s.k(), "step");
        double seconds = (System.nanoTime() - start) / 1e9;
        String line =
                ndcg.finalLine(Method.RANK_GRPO.label, Method.GRPO.label, options.steps(), seconds);
        return new Result(
                line,
                ndcg.finalValue(Method.RANK_GRPO.label),
                ndcg.finalValue(Method.GRPO.label),
                initial);
    }

    /** Trains one method from the seed's initial policy and returns its evaluation curve. */
    static HeldOutEvaluation train(
            Method method,
            ExampleOptions options,
            Settings s,
            UserModel users,
            List<User> evalUsers) {
        Catalog catalog = users.catalog();
        int promptLength = users.historyLength() + 2;
        // K items, K - 1 separators and EOS.
        int completionLength = 2 * s.k();
        Engine.getInstance().setRandomSeed((int) options.seed());
        try (NDManager manager = NDManager.newBaseManager()) {
            TransformerConfig model =
                    TransformerConfig.builder()
                            .setVocabSize(catalog.vocabSize())
                            .setWidth(64)
                            .setLayers(2)
                            .setHeads(4)
                            .optKvHeads(2)
                            .optMlpWidth(128)
                            .setMaxSequenceLength(promptLength + completionLength)
                            .build();
            CausalTransformer policy =
                    CausalTransformer.create(
                            manager, model, DataType.FLOAT32, (int) options.seed());
            GrpoConfig config =
                    GrpoConfig.builder()
                            .optNumGenerations(s.group())
                            .optPromptsPerStep(s.prompts())
                            .optMaxPromptLength(promptLength)
                            .optMaxCompletionLength(completionLength)
                            .optStopTokenIds(catalog.eos())
                            .optLearningRate(s.learningRate())
                            .optLrScheduler(LearningRateSchedule.COSINE)
                            .optWarmupSteps(Math.min(10, options.steps() / 10))
                            .optMaxSteps(options.steps())
                            .optNumIterations(s.iterations())
                            .optClip(0.2, 0.28)
                            .optImportanceSampling(method.importanceSampling)
                            .optSeed(options.seed())
                            .build();
            // Both runs log NDCG and Recall of their sampled lists; only GRPO's advantage uses
            // them (NDCG with weight 1, Recall with weight 0), Rank-GRPO's uses the hit vector.
            RewardSet rewards =
                    RewardSet.of(
                            List.of(
                                    ListRewards.ndcg(catalog, s.k()),
                                    ListRewards.recall(catalog, s.k())),
                            new double[] {1.0, 0.0});
            HeldOutEvaluation evaluation =
                    new HeldOutEvaluation(
                            policy, catalog, evalUsers, s.k(), s.evalEvery(), completionLength);
            Path runDir = options.out().resolve(method.label);
            GrpoTrainer.Builder builder =
                    GrpoTrainer.builder()
                            .setPolicy(policy)
                            .setConfig(config)
                            .setPromptSource(
                                    PromptSources.generated(r -> users.sample(r).toPrompt(catalog)))
                            .optRewards(rewards)
                            .optTokenDecoder(catalog::text)
                            .optDefaultListeners(false)
                            .addListener(new JsonlMetricsWriter(runDir.resolve("metrics.jsonl")))
                            .addListener(new ProgressBar(Math.max(1, options.steps() / 10)))
                            .addListener(evaluation);
            method.configure(builder, s, catalog);
            try (GrpoTrainer trainer = builder.build()) {
                trainer.train();
            }
            return evaluation;
        }
    }
}
