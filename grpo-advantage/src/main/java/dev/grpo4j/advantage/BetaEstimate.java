package dev.grpo4j.advantage;

/**
 * SPO's belief about one prompt's success rate: a Beta distribution with parameters {@code alpha}
 * (discounted successes plus prior) and {@code beta} (discounted failures plus prior).
 *
 * @param alpha the success parameter, finite and {@code > 0}
 * @param beta the failure parameter, finite and {@code > 0}
 */
public record BetaEstimate(double alpha, double beta) {

    /**
     * The uninformed prior {@code alpha = beta = 0.5} (Jeffreys), for prompts with no offline data.
     */
    public static final BetaEstimate UNINFORMED = new BetaEstimate(0.5, 0.5);

    /**
     * Validates.
     *
     * @param alpha the success parameter
     * @param beta the failure parameter
     */
    public BetaEstimate {
        if (!(alpha > 0) || !Double.isFinite(alpha) || !(beta > 0) || !Double.isFinite(beta)) {
            throw new IllegalArgumentException(
                    "Beta parameters must be finite and > 0 but were alpha="
                            + alpha
                            + ", beta="
                            + beta);
        }
    }

    /**
     * SPO's offline prior from {@code successes} of {@code samples} binarised evaluations of the
     * initial policy: with {@code n = min(samples, cap)}, {@code alpha0 = total (s + 0.5) / (n +
     * 1)} and {@code beta0 = total (n - s + 0.5) / (n + 1)}, so {@code alpha0 + beta0 = total}.
     * More than {@code cap} samples are scaled down to {@code cap} ({@code s = successes * cap /
     * samples}: the expectation of the recipe's random subsample of {@code cap} scores). No samples
     * give {@link #UNINFORMED}.
     *
     * @param successes how many samples succeeded, {@code 0 <= successes <= samples}
     * @param samples how many samples were evaluated, {@code >= 0}
     * @param cap the recipe's {@code n0} (8), {@code > 0}
     * @param total the prior's effective count {@code N0 = 1 / (1 - rho_min)} (8), {@code > 0}
     * @return the prior
     */
    public static BetaEstimate offlinePrior(int successes, int samples, int cap, double total) {
        if (samples < 0 || successes < 0 || successes > samples) {
            throw new IllegalArgumentException(
                    "successes must lie in [0, samples] and samples must be >= 0 but were "
                            + successes
                            + " of "
                            + samples);
        }
        if (cap <= 0 || !(total > 0) || !Double.isFinite(total)) {
            throw new IllegalArgumentException(
                    "cap and total must be > 0 but were " + cap + " and " + total);
        }
        if (samples == 0) {
            return UNINFORMED;
        }
        double n = Math.min(samples, cap);
        double s = samples > cap ? successes * n / samples : successes;
        return new BetaEstimate(total * (s + 0.5) / (n + 1), total * (n - s + 0.5) / (n + 1));
    }

    /**
     * The estimated success probability {@code p = alpha / (alpha + beta)}, SPO's baseline.
     *
     * @return p in (0, 1)
     */
    public double mean() {
        return alpha / (alpha + beta);
    }

    /**
     * The effective number of observations {@code alpha + beta}; under forgetting factor rho it
     * tends to {@code 1 / (1 - rho)}.
     *
     * @return the effective count
     */
    public double effectiveCount() {
        return alpha + beta;
    }

    /**
     * The estimate after one more observation: {@code alpha' = rho * alpha + r}, {@code beta' = rho
     * * beta + (1 - r)}. For a fractional reward this is the running-mean form of the Beta update.
     *
     * @param reward the observation, in [0, 1]
     * @param rho the forgetting factor, in (0, 1]
     * @return the updated estimate
     */
    public BetaEstimate observe(double reward, double rho) {
        return new BetaEstimate(rho * alpha + reward, rho * beta + (1.0 - reward));
    }
}
