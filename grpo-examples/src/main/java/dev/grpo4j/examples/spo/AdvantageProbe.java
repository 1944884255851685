package dev.grpo4j.examples.spo;

import dev.grpo4j.core.advantage.AdvantageEstimator;
import dev.grpo4j.core.advantage.AdvantageInput;
import dev.grpo4j.core.advantage.Advantages;
import dev.grpo4j.core.advantage.DriftAwareEstimator;
import dev.grpo4j.core.advantage.StatefulEstimator;
import java.util.Objects;

/**
 * Wraps an advantage estimator and records, for each batch it scores, the share of rows whose
 * advantage is zero: the samples that carry no learning signal. For GRPO these are the samples of
 * groups whose rewards are all equal; for SPO a zero needs a batch in which every centred reward is
 * the same, which the per-prompt baseline makes rare. Measuring the advantages the trainer actually
 * uses treats both estimators alike.
 *
 * <p>{@link #of} keeps the wrapped estimator's roles: a drift-aware, stateful estimator (SPO) is
 * wrapped in a probe that forwards {@link DriftAwareEstimator#observe} and the state methods, so
 * the trainer still measures drift and updates the tracker through it.
 */
public class AdvantageProbe implements AdvantageEstimator {

    /** Advantages of at most this magnitude count as zero (they are exact zeros in practice). */
    public static final double ZERO = 1e-9;

    private final AdvantageEstimator delegate;
    private int rows;
    private int zeros;

    AdvantageProbe(AdvantageEstimator delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /**
     * Wraps an estimator.
     *
     * @param estimator a single-value-per-rollout estimator; if drift-aware it must also be
     *     stateful (as SPO is)
     * @return the probe, drift-aware and stateful exactly when the estimator is
     * @throws IllegalArgumentException for a drift-aware estimator that is not stateful
     */
    public static AdvantageProbe of(AdvantageEstimator estimator) {
        if (estimator instanceof DriftAwareEstimator) {
            if (!(estimator instanceof StatefulEstimator)) {
                throw new IllegalArgumentException(
                        "the drift-aware estimator "
                                + estimator.name()
                                + " is not stateful; the probe only wraps drift-aware estimators"
                                + " that are also stateful, as SPO is");
            }
            return new Tracking(estimator);
        }
        return new AdvantageProbe(estimator);
    }

    @Override
    public Advantages estimate(AdvantageInput input) {
        Advantages a = delegate.estimate(input);
        if (a.level() != Advantages.Level.ROLLOUT) {
            throw new IllegalArgumentException(
                    "the probe counts one advantage per rollout but "
                            + delegate.name()
                            + " returned "
                            + a.level()
                            + " advantages");
        }
        double[] values = a.values();
        int zero = 0;
        for (double v : values) {
            zero += Math.abs(v) <= ZERO ? 1 : 0;
        }
        synchronized (this) {
            rows += values.length;
            zeros += zero;
        }
        return a;
    }

    /**
     * The share of zero advantages among the rows scored since the last call, and starts a new
     * count.
     *
     * @return a value in [0, 1], NaN if nothing was scored
     */
    public synchronized double takeZeroShare() {
        double share = rows == 0 ? Double.NaN : (double) zeros / rows;
        rows = 0;
        zeros = 0;
        return share;
    }

    @Override
    public boolean supports(AdvantageInput.Kind kind) {
        return delegate.supports(kind);
    }

    @Override
    public String name() {
        return delegate.name();
    }

    /**
     * The wrapped estimator.
     *
     * @return the estimator
     */
    public AdvantageEstimator delegate() {
        return delegate;
    }

    /** The probe of a drift-aware, stateful estimator: forwards the trainer's tracker calls. */
    private static final class Tracking extends AdvantageProbe
            implements DriftAwareEstimator, StatefulEstimator {

        private final DriftAwareEstimator drift;
        private final StatefulEstimator state;

        Tracking(AdvantageEstimator delegate) {
            super(delegate);
            this.drift = (DriftAwareEstimator) delegate;
            this.state = (StatefulEstimator) delegate;
        }

        @Override
        public void observe(String promptKey, double reward, double measuredDrift) {
            drift.observe(promptKey, reward, measuredDrift);
        }

        @Override
        public String stateToJson() {
            return state.stateToJson();
        }

        @Override
        public void restoreState(String json) {
            state.restoreState(json);
        }
    }
}
