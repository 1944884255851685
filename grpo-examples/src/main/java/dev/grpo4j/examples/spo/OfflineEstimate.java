package dev.grpo4j.examples.spo;

import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.grpo4j.advantage.SpoAdvantage;
import dev.grpo4j.core.policy.CausalLmPolicy;
import dev.grpo4j.core.policy.SampledCompletion;
import dev.grpo4j.core.policy.Sampler;
import dev.grpo4j.core.policy.SamplingConfig;
import dev.grpo4j.core.rollout.Prompt;
import dev.grpo4j.core.util.Checks;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * SPO's offline initialisation (ALGORITHMS.md section 4, "Initialization"): sample {@code n0}
 * completions of every pool prompt from the initial policy, count the successes and hand them to
 * {@link SpoAdvantage#initialize}. The samples are generated exactly as in training (same sampling
 * settings) but without any update, and the caller counts them against SPO's sample budget.
 */
public final class OfflineEstimate {

    /** Prompts per sampling call, so that the decoder's cache stays small. */
    private static final int CHUNK = 64;

    private OfflineEstimate() {}

    /**
     * Initialises the tracker of every pool prompt from {@code n0} samples of the policy.
     *
     * @param spo the estimator whose tracker is set
     * @param policy the initial policy
     * @param pool the prompts, made by {@link RecallTasks}
     * @param sampling how to sample (as in training)
     * @param samplesPerPrompt n0, {@code >= 1}
     * @param random where the samples' randomness comes from
     * @param manager a manager for the sampling; everything created is freed before returning
     * @return the number of completions sampled, {@code pool size * n0}
     */
    public static long initialize(
            SpoAdvantage spo,
            CausalLmPolicy policy,
            List<Prompt> pool,
            SamplingConfig sampling,
            int samplesPerPrompt,
            RandomGenerator random,
            NDManager manager) {
        Checks.positive("offline samples per prompt", samplesPerPrompt);
        Sampler sampler = new Sampler(sampling);
        long sampled = 0;
        try (NDManager scope = manager.newSubManager()) {
            ParameterStore store = new ParameterStore(scope, false);
            for (int from = 0; from < pool.size(); from += CHUNK) {
                List<Prompt> chunk = pool.subList(from, Math.min(pool.size(), from + CHUNK));
                int[][] ids = new int[chunk.size()][];
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = chunk.get(i).ids();
                }
                List<List<SampledCompletion>> out =
                        sampler.sample(policy, store, scope, ids, samplesPerPrompt, random);
                for (int i = 0; i < ids.length; i++) {
                    int successes = 0;
                    for (SampledCompletion c : out.get(i)) {
                        successes += RecallTasks.solves(chunk.get(i), c.tokenIds()) ? 1 : 0;
                    }
                    spo.initialize(chunk.get(i).key(), successes, samplesPerPrompt);
                    sampled += samplesPerPrompt;
                }
            }
        }
        return sampled;
    }
}
