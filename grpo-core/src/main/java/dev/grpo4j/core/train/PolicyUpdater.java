package dev.grpo4j.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import dev.grpo4j.core.advantage.Advantages;
import dev.grpo4j.core.advantage.DriftAwareEstimator;
import dev.grpo4j.core.loss.LossInput;
import dev.grpo4j.core.loss.LossOutput;
import dev.grpo4j.core.loss.PolicyGradientLoss;
import dev.grpo4j.core.policy.CausalLmPolicy;
import dev.grpo4j.core.policy.LogProbComputer;
import dev.grpo4j.core.policy.TokenLogProbs;
import dev.grpo4j.core.rollout.Rollout;
import dev.grpo4j.core.rollout.RolloutBatch;
import dev.grpo4j.core.rollout.RolloutGroup;
import dev.grpo4j.core.train.optim.GradientClipping;
import dev.grpo4j.core.util.Checks;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The optimisation half of a step: {@code num_iterations} updates of the policy on one generation
 * batch (old log-probs computed once when mu &gt; 1, reference log-probs from the frozen copy when
 * beta &gt; 0, the loss, gradient clipping, an optimizer step through DJL's {@link Trainer}), and
 * SPO's drift measurement after the update.
 */
final class PolicyUpdater {

    private final GrpoConfig config;
    private final PolicyGradientLoss loss;
    private final LogProbComputer logProbs;
    private final CausalLmPolicy policy;
    private final ParameterStore store;
    private final CausalLmPolicy reference;
    private final ParameterStore referenceStore;
    private final Trainer trainer;
    private final List<Parameter> trainable;
    private final LongSupplier currentStep;
    private boolean optimizerStepped;

    PolicyUpdater(
            GrpoConfig config,
            PolicyGradientLoss loss,
            CausalLmPolicy policy,
            ParameterStore store,
            CausalLmPolicy reference,
            ParameterStore referenceStore,
            Trainer trainer,
            List<Parameter> trainable,
            LongSupplier currentStep) {
        this.config = config;
        this.loss = loss;
        this.logProbs = config.logProbComputer();
        this.policy = policy;
        this.store = store;
        this.reference = reference;
        this.referenceStore = referenceStore;
        this.trainer = trainer;
        this.trainable = trainable;
        this.currentStep = currentStep;
    }

    boolean optimizerStepped() {
        return optimizerStepped;
    }

    void restoreOptimizerStepped(boolean stepped) {
        this.optimizerStepped = stepped;
    }

    /** The num_iterations policy updates on one generation batch. */
    void update(
            List<RolloutGroup> groups,
            Advantages advantages,
            NDManager stepManager,
            Map<String, Double> metrics) {
        Checks.require(
                advantages.rowCount() == groups.stream().mapToInt(RolloutGroup::size).sum(),
                "the estimator returned %d advantages for %d rows",
                advantages.rowCount(),
                groups.stream().mapToInt(RolloutGroup::size).sum());
        try (RolloutBatch batch = RolloutBatch.of(stepManager, groups, config.dataType())) {
            LossTensors tensors = LossTensors.of(batch, advantages);
            NDArray old = null;
            if (config.numIterations() > 1) {
                old =
                        logProbs.compute(policy, store, batch, config.temperature(), false)
                                .logProbs()
                                .stopGradient();
            }
            NDArray ref = null;
            if (reference != null) {
                ref =
                        logProbs.compute(
                                        reference,
                                        referenceStore,
                                        batch,
                                        config.temperature(),
                                        false)
                                .logProbs()
                                .stopGradient();
            }
            Map<String, Double> sums = new LinkedHashMap<>();
            for (int it = 0; it < config.numIterations(); it++) {
                LossOutput out;
                try (GradientCollector collector = trainer.newGradientCollector()) {
                    TokenLogProbs current =
                            logProbs.compute(
                                    policy,
                                    store,
                                    batch,
                                    config.temperature(),
                                    true,
                                    config.entropyCoeff() > 0);
                    LossInput.Builder input =
                            LossInput.builder()
                                    .setLogProbs(current.logProbs())
                                    .setAdvantages(tensors.advantages())
                                    .setMask(tensors.mask())
                                    .optEntropies(current.entropies())
                                    .optTruncated(batch.truncatedMask());
                    if (old != null) {
                        input.optOldLogProbs(old);
                    }
                    if (ref != null) {
                        input.optRefLogProbs(ref);
                    }
                    if (tensors.itemBins() != null) {
                        input.optItemBins(tensors.itemBins());
                    }
                    out = loss.compute(input.build());
                    double value = out.loss().toType(DataType.FLOAT64, false).getDouble();
                    if (!Double.isFinite(value)) {
                        throw new IllegalStateException(
                                String.format(
                                        "the loss is %s at step %d, iteration %d; parameters are unchanged",
                                        value, currentStep.getAsLong(), it));
                    }
                    sums.merge("loss", value, Double::sum);
                    collector.backward(out.loss());
                }
                double norm = GradientClipping.clip(trainable, config.maxGradNorm());
                if (!Double.isFinite(norm)) {
                    throw new IllegalStateException(
                            String.format(
                                    "the gradient norm is %s at step %d, iteration %d; parameters are"
                                            + " unchanged",
                                    norm, currentStep.getAsLong(), it));
                }
                sums.merge("grad_norm", norm, Double::sum);
                for (Map.Entry<String, Double> e : out.metrics().entrySet()) {
                    sums.merge(e.getKey(), e.getValue(), Double::sum);
                }
                applyUpdate(norm);
            }
            for (Map.Entry<String, Double> e : sums.entrySet()) {
                metrics.put(e.getKey(), e.getValue() / config.numIterations());
            }
            double lr = currentLearningRate();
            metrics.put("learning_rate", lr);
            metrics.put("lr", lr);
        }
    }

    /**
     * DJL's {@code Trainer.step()} refuses an all-zero gradient on its very first call (it checks
     * that backward ran); such a first update changes nothing anyway, so it is skipped.
     */
    private void applyUpdate(double gradNorm) {
        if (!optimizerStepped && gradNorm == 0.0) {
            for (Parameter p : trainable) {
                NDArray g = p.getArray().getGradient();
                g.subi(g);
            }
            return;
        }
        trainer.step();
        optimizerStepped = true;
    }

    double currentLearningRate() {
        return config.lrScheduler()
                .rate(
                        config.learningRate(),
                        currentStep.getAsLong(),
                        config.warmupSteps(),
                        config.maxSteps());
    }

    /** SPO: after the update, measure each prompt's drift and feed the tracker, in batch order. */
    void observeDrift(
            List<RolloutGroup> groups,
            DriftTracker drift,
            DriftAwareEstimator tracker,
            double[] weights,
            NDManager stepManager,
            Map<String, Double> metrics) {
        List<String> keys = new ArrayList<>();
        List<Rollout> rows = new ArrayList<>();
        for (RolloutGroup g : groups) {
            for (Rollout r : g.rollouts()) {
                keys.add(g.promptKey());
                rows.add(r);
            }
        }
        double[] d =
                drift.measureAndStore(
                        keys, rows, batchRows -> currentLogProbs(batchRows, stepManager));
        double sum = 0;
        for (int i = 0; i < rows.size(); i++) {
            double[] x = rows.get(i).rewards();
            double r = 0;
            for (int k = 0; k < x.length; k++) {
                r += weights[k] * x[k];
            }
            tracker.observe(keys.get(i), r, d[i]);
            sum += d[i];
        }
        metrics.put("spo/drift_mean", sum / rows.size());
    }

    private float[][] currentLogProbs(List<Rollout> rows, NDManager stepManager) {
        List<RolloutGroup> single = new ArrayList<>(rows.size());
        for (Rollout r : rows) {
            single.add(RolloutGroup.of(List.of(r)));
        }
        try (RolloutBatch batch = RolloutBatch.of(stepManager, single, DataType.FLOAT32)) {
            float[] flat =
                    logProbs.compute(policy, store, batch, config.temperature(), false)
                            .logProbs()
                            .toType(DataType.FLOAT32, false)
                            .toFloatArray();
            int width = batch.width();
            float[][] out = new float[rows.size()][];
            for (int r = 0; r < out.length; r++) {
                out[r] =
                        Arrays.copyOfRange(
                                flat, r * width, r * width + rows.get(r).completionLength());
            }
            return out;
        }
    }
}
