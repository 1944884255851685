package dev.grpo4j.advantage;

import dev.grpo4j.core.rollout.Prompt;
import dev.grpo4j.core.train.PromptSource;
import dev.grpo4j.core.util.Checks;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * SPO's prioritized prompt sampling (ALGORITHMS.md section 4, step 1): each step draws prompts from
 * a fixed candidate pool with probability proportional to {@link SpoAdvantage#samplingWeight}, so
 * prompts the policy solves about half the time are seen most.
 *
 * <ul>
 *   <li>Prompts without a tracker entry have weight 0, as in the recipe; if every weight is 0 the
 *       draw is uniform.
 *   <li>Without replacement while the pool has at least {@code count} prompts (successive sampling:
 *       each draw proportional to the weights of the prompts not yet drawn). If fewer prompts than
 *       {@code count} have a positive weight, the rest is filled uniformly from the zero-weight
 *       ones (the recipe's numpy call fails there instead).
 *   <li>With replacement only when the pool is smaller than {@code count}.
 * </ul>
 *
 * <p>Weights are read from the tracker at every call, so the sampler follows the tracker's updates.
 * Draws come only from the given generator, in a fixed order, so a seeded generator reproduces
 * them. Safe to call from several threads if each passes its own generator.
 */
public final class SpoPromptSampler implements PromptSource {

    private final SpoAdvantage spo;
    private final List<Prompt> pool;
    private final List<String> keys;

    private SpoPromptSampler(SpoAdvantage spo, List<Prompt> pool) {
        this.spo = spo;
        this.pool = pool;
        this.keys = pool.stream().map(Prompt::key).toList();
    }

    /**
     * Creates a sampler over a candidate pool.
     *
     * @param spo the estimator whose tracker supplies the weights
     * @param pool the candidate prompts, at least one
     * @return the sampler
     */
    public static SpoPromptSampler of(SpoAdvantage spo, List<Prompt> pool) {
        Objects.requireNonNull(spo, "spo");
        List<Prompt> copy = List.copyOf(pool);
        Checks.require(!copy.isEmpty(), "the SPO candidate pool is empty");
        return new SpoPromptSampler(spo, copy);
    }

    /**
     * The current sampling weight of each pool prompt, 0 for prompts without a tracker entry.
     *
     * @return {@code [pool size]} weights, in pool order
     */
    public double[] weights() {
        return spo.samplingWeightsOrZero(keys);
    }

    /**
     * The probability of each pool prompt on a single draw: the weights normalised, or uniform if
     * every weight is 0.
     *
     * @return {@code [pool size]} probabilities summing to 1, in pool order
     */
    public double[] probabilities() {
        double[] w = effectiveWeights(weights());
        double total = Arrays.stream(w).sum();
        for (int i = 0; i < w.length; i++) {
            w[i] /= total;
        }
        return w;
    }

    /**
     * Draws the prompts of a step. The draw depends only on the tracker's state (which the trainer
     * checkpoints) and on {@code random}, so it needs no position of its own and {@code step} is
     * not used.
     *
     * @param step the 0-based training step (unused)
     * @param count how many prompts, {@code > 0}
     * @param random the trainer's generator for this step
     * @return {@code count} prompts, in draw order
     */
    @Override
    public List<Prompt> next(long step, int count, RandomGenerator random) {
        Checks.positive("prompt count", count);
        Objects.requireNonNull(random, "random");
        double[] w = effectiveWeights(weights());
        int[] picked =
                count <= pool.size()
                        ? withoutReplacement(w, count, random)
                        : withReplacement(w, count, random);
        List<Prompt> out = new ArrayList<>(count);
        for (int i : picked) {
            out.add(pool.get(i));
        }
        return out;
    }

    /** Uniform fallback: all-zero weights become all ones. */
    private static double[] effectiveWeights(double[] w) {
        for (double v : w) {
            if (v > 0) {
                return w;
            }
        }
        double[] ones = new double[w.length];
        Arrays.fill(ones, 1.0);
        return ones;
    }

    /**
     * Efraimidis-Spirakis: the k largest keys {@code log(u) / w} (u uniform in (0, 1]) form a
     * weighted sample without replacement with the same law as k successive proportional draws, and
     * sorting the keys gives the draw order. Zero-weight prompts rank after all others, in random
     * order.
     */
    static int[] withoutReplacement(double[] w, int count, RandomGenerator random) {
        int n = w.length;
        double[] key = new double[n];
        double[] tieBreak = new double[n];
        for (int i = 0; i < n; i++) {
            double u = 1.0 - random.nextDouble();
            key[i] = w[i] > 0 ? Math.log(u) / w[i] : Double.NEGATIVE_INFINITY;
            tieBreak[i] = u;
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Comparator<Integer> byKey = Comparator.comparingDouble(i -> key[i]);
        Arrays.sort(order, byKey.thenComparingDouble(i -> tieBreak[i]).reversed());
        int[] picked = new int[count];
        for (int j = 0; j < count; j++) {
            picked[j] = order[j];
        }
        return picked;
    }

    /** Independent draws from the categorical distribution by inverse CDF. */
    static int[] withReplacement(double[] w, int count, RandomGenerator random) {
        int n = w.length;
        double[] cumulative = new double[n];
        double total = 0;
        for (int i = 0; i < n; i++) {
            total += w[i];
            cumulative[i] = total;
        }
        int[] picked = new int[count];
        for (int j = 0; j < count; j++) {
            double u = random.nextDouble() * total;
            int i = Arrays.binarySearch(cumulative, u);
            i = i >= 0 ? i + 1 : -i - 1;
            // Skip zero-weight entries whose cumulative value equals u, and guard the upper end.
            while (i < n - 1 && w[i] <= 0) {
                i++;
            }
            picked[j] = Math.min(i, n - 1);
        }
        return picked;
    }
}
