package dev.grpo4j.core.policy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import dev.grpo4j.core.util.Checks;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Draws G completions for each of P prompts with a policy's {@link IncrementalDecoder}: each prompt
 * is encoded once and its key/value cache is shared by its G streams.
 *
 * <p>Tokens are drawn on the Java side from the decoder's logits with the given random generator,
 * so a seeded generator gives the same completions on every run and every device. Per step: divide
 * the logits by the temperature, record the chosen token's log-prob under that full distribution,
 * and draw from it after top-k and then top-p filtering. A stream ends at a stop token (kept) or at
 * {@code maxNewTokens} (marked truncated).
 */
public final class Sampler {

    private final SamplingConfig config;

    /**
     * Creates a sampler.
     *
     * @param config how to draw tokens
     */
    public Sampler(SamplingConfig config) {
        this.config = config;
    }

    /**
     * The sampling settings.
     *
     * @return the config
     */
    public SamplingConfig config() {
        return config;
    }

    /**
     * Samples {@code samplesPerPrompt} completions of every prompt.
     *
     * @param policy the policy
     * @param store the parameter store to read parameters through
     * @param manager a manager for the decoder's cache; everything created is freed before
     *     returning
     * @param prompts P non-empty prompts
     * @param samplesPerPrompt G
     * @param random the source of randomness
     * @return P lists of G completions, in prompt order
     */
    public List<List<SampledCompletion>> sample(
            CausalLmPolicy policy,
            ParameterStore store,
            NDManager manager,
            int[][] prompts,
            int samplesPerPrompt,
            RandomGenerator random) {
        Checks.positive("samplesPerPrompt", samplesPerPrompt);
        Checks.require(prompts.length > 0, "nothing to sample: no prompts");
        int vocab = policy.vocabSize();
        for (int p = 0; p < prompts.length; p++) {
            Checks.require(prompts[p].length > 0, "prompt %d is empty", p);
            PlainLogProbComputer.checkVocabulary(prompts[p], vocab, p, "prompt");
            Checks.require(
                    prompts[p].length + config.maxNewTokens() <= policy.maxSequenceLength(),
                    "prompt %d has %d tokens; with maxNewTokens %d that exceeds the policy's maximum"
                            + " length %d",
                    p,
                    prompts[p].length,
                    config.maxNewTokens(),
                    policy.maxSequenceLength());
        }
        int streams = prompts.length * samplesPerPrompt;
        int[][] ids = new int[streams][config.maxNewTokens()];
        float[][] logProbs = new float[streams][config.maxNewTokens()];
        int[] lengths = new int[streams];
        boolean[] done = new boolean[streams];
        int active = streams;
        float[] row = new float[vocab];
        double[] work = new double[vocab];
        double[] chosenLogProb = new double[1];
        try (NDManager scope = manager.newSubManager();
                IncrementalDecoder decoder =
                        policy.newDecoder(store, scope, prompts, samplesPerPrompt)) {
            int[] next = new int[streams];
            for (int step = 0; step < config.maxNewTokens() && active > 0; step++) {
                // The decoder owns its logits and frees them on the next append.
                NDArray current = decoder.logits();
                float[] logits =
                        current.getDataType() == DataType.FLOAT32
                                ? current.toFloatArray()
                                : current.toType(DataType.FLOAT32, false).toFloatArray();
                for (int s = 0; s < streams; s++) {
                    if (done[s]) {
                        next[s] = ids[s][lengths[s] - 1];
                        continue;
                    }
                    System.arraycopy(logits, s * vocab, row, 0, vocab);
                    int token = draw(row, work, random, chosenLogProb);
                    ids[s][lengths[s]] = token;
                    logProbs[s][lengths[s]] = (float) chosenLogProb[0];
                    lengths[s]++;
                    next[s] = token;
                    if (config.isStop(token)) {
                        done[s] = true;
                        active--;
                    }
                }
                if (active > 0 && step + 1 < config.maxNewTokens()) {
                    decoder.append(next);
                }
            }
        }
        List<List<SampledCompletion>> out = new ArrayList<>(prompts.length);
        for (int p = 0; p < prompts.length; p++) {
            List<SampledCompletion> group = new ArrayList<>(samplesPerPrompt);
            for (int g = 0; g < samplesPerPrompt; g++) {
                int s = p * samplesPerPrompt + g;
                group.add(
                        new SampledCompletion(
                                Arrays.copyOf(ids[s], lengths[s]),
                                Arrays.copyOf(logProbs[s], lengths[s]),
                                !done[s]));
            }
            out.add(group);
        }
        return out;
    }

    /**
     * Draws one token from {@code logits} (one row of V values) and writes its log-prob under the
     * temperature-scaled full distribution to {@code logProbOut[0]}.
     */
    private int draw(float[] logits, double[] work, RandomGenerator random, double[] logProbOut) {
        int vocab = logits.length;
        double invT = 1.0 / config.temperature();
        double max = Double.NEGATIVE_INFINITY;
        for (int v = 0; v < vocab; v++) {
            Checks.require(
                    !Float.isNaN(logits[v]), "the policy produced a NaN logit for token %d", v);
            work[v] = logits[v] * invT;
            max = Math.max(max, work[v]);
        }
        double sum = 0;
        for (int v = 0; v < vocab; v++) {
            sum += Math.exp(work[v] - max);
        }
        double logZ = max + Math.log(sum);
        // Probabilities of the full distribution; filtering zeroes some of them.
        double[] probs = new double[vocab];
        for (int v = 0; v < vocab; v++) {
            probs[v] = Math.exp(work[v] - logZ);
        }
        if ((config.topK() > 0 && config.topK() < vocab) || config.topP() < 1.0) {
            filter(probs);
        }
        double total = 0;
        for (double p : probs) {
            total += p;
        }
        double u = random.nextDouble() * total;
        int chosen = -1;
        double acc = 0;
        for (int v = 0; v < vocab; v++) {
            if (probs[v] <= 0) {
                continue;
            }
            chosen = v;
            acc += probs[v];
            if (u < acc) {
                break;
            }
        }
        logProbOut[0] = work[chosen] - logZ;
        return chosen;
    }

    /** Zeroes every probability outside the top-k and then outside the top-p nucleus. */
    private void filter(double[] probs) {
        int vocab = probs.length;
        Integer[] order = new Integer[vocab];
        for (int v = 0; v < vocab; v++) {
            order[v] = v;
        }
        // Stable sort: ties keep the lower token id first, so filtering is deterministic.
        Arrays.sort(order, (a, b) -> Double.compare(probs[b], probs[a]));
        int keep = config.topK() > 0 ? Math.min(config.topK(), vocab) : vocab;
        if (config.topP() < 1.0) {
            double kept = 0;
            for (int i = 0; i < keep; i++) {
                kept += probs[order[i]];
            }
            double cumulative = 0;
            int nucleus = 0;
            while (nucleus < keep) {
                cumulative += probs[order[nucleus]] / kept;
                nucleus++;
                if (cumulative >= config.topP()) {
                    break;
                }
            }
            keep = nucleus;
        }
        for (int i = keep; i < vocab; i++) {
            probs[order[i]] = 0;
        }
    }
}
