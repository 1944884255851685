package dev.grpo4j.core.loss;

import ai.djl.ndarray.NDArray;
import dev.grpo4j.core.util.Scalars;
import java.util.Arrays;
import java.util.Locale;

/**
 * Per-token estimators of {@code KL(pi || pi_ref)} from the sampled token's log-probabilities, used
 * as the penalty {@code beta * kl} added to each token's loss (Schulman's k1/k2/k3 notation, as in
 * TRL and verl's {@code kl_penalty}).
 *
 * <p>With {@code x = lp - lp_ref}:
 *
 * <ul>
 *   <li>{@link #K1}: {@code x} (unbiased, high variance, can be negative);
 *   <li>{@link #ABS}: {@code |x|};
 *   <li>{@link #K2}: {@code x^2 / 2} (verl's "mse");
 *   <li>{@link #K3}: {@code exp(-x) + x - 1} (TRL's estimator; unbiased and never negative);
 *   <li>{@link #LOW_VAR_KL}: k3 with {@code -x} clamped to {@code [-20, 20]} and the result to
 *       {@code [-10, 10]} (verl's default; verl also spells it "k3");
 *   <li>{@link #K3_PLUS}: the value of k3 with the gradient of k2 (verl's straight-through "k3+").
 * </ul>
 *
 * <p>Worked example: {@code lp = -1.0, lp_ref = -1.2} gives k3 = 0.0187308; {@code lp = -2.0,
 * lp_ref = -1.0} gives 0.7182818; equal log-probs give 0.
 */
public enum KlEstimator {
    /** {@code lp - lp_ref}. */
    K1("k1", "kl") {
        @Override
        NDArray fromLogRatio(NDArray x) {
            return x;
        }
    },
    /** {@code |lp - lp_ref|}. */
    ABS("abs") {
        @Override
        NDArray fromLogRatio(NDArray x) {
            return x.abs();
        }
    },
    /** {@code (lp - lp_ref)^2 / 2}. */
    K2("k2", "mse") {
        @Override
        NDArray fromLogRatio(NDArray x) {
            return Scalars.mul(x.square(), 0.5);
        }
    },
    /** {@code exp(d) - d - 1} with {@code d = lp_ref - lp}. */
    K3("k3") {
        @Override
        NDArray fromLogRatio(NDArray x) {
            return k3(x);
        }
    },
    /** verl's clamped k3: {@code d} in {@code [-20, 20]}, result in {@code [-10, 10]}. */
    LOW_VAR_KL("low_var_kl") {
        @Override
        NDArray fromLogRatio(NDArray x) {
            return k3(x.clip(-20, 20)).clip(-10, 10);
        }
    },
    /** k3's value with k2's gradient: {@code k2 + stopGradient(k3 - k2)}. */
    K3_PLUS("k3+") {
        @Override
        NDArray fromLogRatio(NDArray x) {
            NDArray k2 = K2.fromLogRatio(x);
            return k2.add(k3(x).sub(k2).stopGradient());
        }
    };

    private final String[] spellings;

    KlEstimator(String... spellings) {
        this.spellings = spellings;
    }

    /**
     * The estimator's name as TRL and verl write it.
     *
     * @return e.g. {@code "low_var_kl"}
     */
    public String spelling() {
        return spellings[0];
    }

    /**
     * The per-token estimate.
     *
     * @param logProbs {@code [B, T]} current log-probs (differentiable)
     * @param refLogProbs {@code [B, T]} reference log-probs, same type
     * @return {@code [B, T]} in the manager of {@code logProbs}
     */
    public NDArray estimate(NDArray logProbs, NDArray refLogProbs) {
        return fromLogRatio(logProbs.sub(refLogProbs));
    }

    /**
     * The estimate from {@code x = lp - lp_ref}; the result lives where {@code x} does.
     *
     * @param x the log-ratio against the reference
     * @return the per-element estimate
     */
    abstract NDArray fromLogRatio(NDArray x);

    /**
     * Parses a name case-insensitively: {@code k1} (or {@code kl}), {@code abs}, {@code k2} (or
     * {@code mse}), {@code k3}, {@code low_var_kl}, {@code k3+}, or a constant's name.
     *
     * <p>Note that verl reads "k3" as its clamped {@code low_var_kl}; here "k3" is TRL's unclamped
     * k3.
     *
     * @param name the name
     * @return the estimator
     * @throws IllegalArgumentException naming the unknown value and the accepted ones
     */
    public static KlEstimator fromName(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (KlEstimator e : values()) {
            if (e.name().toLowerCase(Locale.ROOT).equals(n)
                    || Arrays.asList(e.spellings).contains(n)) {
                return e;
            }
        }
        throw new IllegalArgumentException(
                "unknown KL estimator '"
                        + name
                        + "'; expected one of "
                        + Arrays.stream(values()).map(e -> String.join("/", e.spellings)).toList());
    }

    private static NDArray k3(NDArray x) {
        // d = lp_ref - lp = -x; exp(d) - d - 1
        return x.neg().exp().add(x).sub(1);
    }
}
