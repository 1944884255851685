package dev.grpo4j.core.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;
import java.util.Objects;

/**
 * {@link PolicyGradientLoss} as a DJL {@link Loss}, so it can sit in a {@code TrainingConfig} and
 * be used with DJL's own training utilities.
 *
 * <p>{@code predictions} is {@code [logProbs]} ({@code [B, T]}, with gradient). {@code labels} is
 * {@code [advantages, mask]}, optionally followed by {@code oldLogProbs} and then {@code
 * refLogProbs} (needed when beta &gt; 0); shapes as in {@link PolicyGradientLoss#compute}. The
 * metrics of the last evaluation are available from {@link #lastOutput()}.
 */
public final class GrpoLoss extends Loss {

    private final PolicyGradientLoss loss;
    private LossOutput last;

    /**
     * Wraps a policy-gradient loss.
     *
     * @param loss the loss
     */
    public GrpoLoss(PolicyGradientLoss loss) {
        super("grpo_loss");
        this.loss = Objects.requireNonNull(loss, "loss");
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        if (predictions.size() != 1) {
            throw new IllegalArgumentException(
                    "GrpoLoss expects one prediction (the log-probs) but got "
                            + predictions.size());
        }
        if (labels.size() < 2 || labels.size() > 4) {
            throw new IllegalArgumentException(
                    "GrpoLoss expects labels [advantages, mask, oldLogProbs?, refLogProbs?] but got "
                            + labels.size()
                            + " arrays");
        }
        NDArray old = labels.size() > 2 ? labels.get(2) : null;
        NDArray ref = labels.size() > 3 ? labels.get(3) : null;
        last = loss.compute(predictions.head(), old, ref, labels.get(0), labels.get(1));
        return last.loss();
    }

    /**
     * The wrapped loss.
     *
     * @return the policy-gradient loss
     */
    public PolicyGradientLoss policyGradientLoss() {
        return loss;
    }

    /**
     * The output of the most recent {@link #evaluate}, with its metrics, if any.
     *
     * @return the last output or null before the first evaluation
     */
    public LossOutput lastOutput() {
        return last;
    }
}
