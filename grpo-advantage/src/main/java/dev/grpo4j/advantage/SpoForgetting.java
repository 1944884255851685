package dev.grpo4j.advantage;

/**
 * How SPO discounts a prompt's past observations before adding a new one (ALGORITHMS.md section 4,
 * step 5): the factor {@code rho} multiplies {@code alpha} and {@code beta}, so the tracker
 * remembers about {@code 1 / (1 - rho)} observations.
 */
public enum SpoForgetting {
    /**
     * The recipe's default ({@code rho.type = kl}): {@code rho = clamp(2^(-D / D_half), rho_min,
     * rho_max)}, so a prompt whose responses the policy now scores very differently (large drift D)
     * forgets faster. A first visit has D = 0 and gets {@code rho_max}.
     */
    KL_ADAPTIVE {
        @Override
        double rho(double drift, SpoAdvantage spo) {
            double raw = Math.pow(2.0, -drift / spo.driftHalfLife());
            return Math.min(spo.rhoMax(), Math.max(spo.rhoMin(), raw));
        }
    },
    /**
     * The recipe's {@code rho.type = constant}: one fixed factor (default 0.875), drift ignored.
     */
    CONSTANT {
        @Override
        double rho(double drift, SpoAdvantage spo) {
            return spo.constantRho();
        }
    };

    /**
     * The forgetting factor for a measured drift.
     *
     * @param drift the drift D, {@code >= 0}
     * @param spo the estimator whose settings apply
     * @return rho in (0, 1)
     */
    abstract double rho(double drift, SpoAdvantage spo);
}
