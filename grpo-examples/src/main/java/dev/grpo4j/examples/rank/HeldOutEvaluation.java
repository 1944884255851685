package dev.grpo4j.examples.rank;

import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.grpo4j.core.policy.CausalLmPolicy;
import dev.grpo4j.core.policy.SampledCompletion;
import dev.grpo4j.core.policy.Sampler;
import dev.grpo4j.core.policy.SamplingConfig;
import dev.grpo4j.core.train.StepMetrics;
import dev.grpo4j.core.train.listener.GrpoListener;
import dev.grpo4j.core.util.Checks;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Measures a policy on a fixed set of evaluation users, before training and every few steps: each
 * user's list is decoded greedily (top-1, so the measurement has no sampling noise), and the mean
 * NDCG@K and Recall@K over the users are recorded. Both runs of the comparison are measured by the
 * same users and the same decoding, so their curves are comparable.
 */
public final class HeldOutEvaluation implements GrpoListener {

    /**
     * One measurement.
     *
     * @param step the completed training steps (0 = the initial policy)
     * @param ndcg mean NDCG@K over the users
     * @param recall mean Recall@K over the users
     * @param hitRate {@code [K]} the share of users whose list hits at each rank
     */
    public record Point(long step, double ndcg, double recall, double[] hitRate) {

        /**
         * Copies the hit rates.
         *
         * @param step the step
         * @param ndcg the mean NDCG@K
         * @param recall the mean Recall@K
         * @param hitRate the hit rate per rank
         */
        public Point {
            hitRate = hitRate.clone();
        }

        @Override
        public double[] hitRate() {
            return hitRate.clone();
        }
    }

    private final CausalLmPolicy policy;
    private final Catalog catalog;
    private final List<User> users;
    private final int k;
    private final int every;
    private final Sampler greedy;
    private final List<Point> points = new ArrayList<>();
    private final List<String> lastLists = new ArrayList<>();
    private long totalSteps;

    /**
     * Creates the evaluation.
     *
     * @param policy the policy being trained
     * @param catalog the catalog
     * @param users the evaluation users, at least one
     * @param k the cut-off K
     * @param every evaluate after every this many steps (and after the last one)
     * @param maxNewTokens the completion length limit, as in training
     */
    public HeldOutEvaluation(
            CausalLmPolicy policy,
            Catalog catalog,
            List<User> users,
            int k,
            int every,
            int maxNewTokens) {
        Checks.require(!users.isEmpty(), "the evaluation needs at least one user");
        this.policy = policy;
        this.catalog = catalog;
        this.users = List.copyOf(users);
        this.k = Checks.positive("K", k);
        this.every = Checks.positive("evaluation interval", every);
        this.greedy =
                new Sampler(
                        SamplingConfig.builder()
                                .optTopK(1)
                                .optMaxNewTokens(maxNewTokens)
                                .optStopTokens(catalog.eos())
                                .build());
    }

    @Override
    public void onTrainingStart(long firstStep, long totalSteps) {
        this.totalSteps = totalSteps;
        if (firstStep == 0 && points.isEmpty()) {
            points.add(measure(0));
        }
    }

    @Override
    public void onStepEnd(StepMetrics metrics) {
        if (metrics.step() % every == 0 || metrics.step() == totalSteps) {
            points.add(measure(metrics.step()));
        }
    }

    /**
     * Measures the policy now.
     *
     * @param step the step to record the measurement under
     * @return the measurement
     */
    public Point measure(long step) {
        int[][] prompts = new int[users.size()][];
        for (int u = 0; u < prompts.length; u++) {
            prompts[u] = users.get(u).toPrompt(catalog).ids();
        }
        double ndcg = 0;
        double recall = 0;
        double[] hitRate = new double[k];
        lastLists.clear();
        NDManager parameters = policy.block().getParameters().valueAt(0).getArray().getManager();
        try (NDManager manager = parameters.newSubManager()) {
            ParameterStore store = new ParameterStore(manager, false);
            // Top-1 decoding ignores the random numbers; the generator only satisfies the API.
            List<List<SampledCompletion>> lists =
                    greedy.sample(policy, store, manager, prompts, 1, new SplittableRandom(0));
            for (int u = 0; u < prompts.length; u++) {
                User user = users.get(u);
                int[] entries = RankedList.entries(catalog, lists.get(u).get(0).tokenIds());
                double[] hits = RankingMetrics.hits(entries, boxed(user.relevant()), k);
                lastLists.add(
                        catalog.text(prompts[u])
                                + "  ->  "
                                + catalog.text(lists.get(u).get(0).tokenIds())
                                + "  hits "
                                + hitText(hits));
                for (int r = 0; r < k; r++) {
                    hitRate[r] += hits[r] / users.size();
                }
                ndcg += RankingMetrics.ndcg(hits, user.relevant().length);
                recall += RankingMetrics.recall(hits, user.relevant().length);
            }
        }
        return new Point(step, ndcg / users.size(), recall / users.size(), hitRate);
    }

    /**
     * The measurements so far, in step order.
     *
     * @return an unmodifiable copy
     */
    public List<Point> points() {
        return Collections.unmodifiableList(new ArrayList<>(points));
    }

    /**
     * The evaluation users' lists of the latest measurement, as text: the prompt, the greedy list
     * and its hit vector, e.g. {@code ^ i4 i9 ? -> i7 | i1 $ hits 1 0}.
     *
     * @return one line per user, in user order
     */
    public List<String> lastLists() {
        return List.copyOf(lastLists);
    }

    private static String hitText(double[] hits) {
        StringBuilder sb = new StringBuilder();
        for (double h : hits) {
            sb.append(sb.length() == 0 ? "" : " ").append((int) h);
        }
        return sb.toString();
    }

    private static List<Integer> boxed(int[] values) {
        List<Integer> out = new ArrayList<>(values.length);
        for (int v : values) {
            out.add(v);
        }
        return out;
    }
}
