package dev.grpo4j.prefix;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.grpo4j.core.loss.KlEstimator;
import dev.grpo4j.core.loss.LossInput;
import dev.grpo4j.core.loss.LossType;
import dev.grpo4j.core.loss.PolicyGradientLoss;
import dev.grpo4j.core.policy.LogProbComputer;
import dev.grpo4j.core.policy.PlainLogProbComputer;
import dev.grpo4j.core.policy.TokenLogProbs;
import dev.grpo4j.core.rollout.RolloutBatch;
import dev.grpo4j.core.rollout.RolloutGroup;
import dev.grpo4j.core.testing.FreedMemory;
import dev.grpo4j.prefix.model.CausalTransformer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A garbage collection between forward and backward must not change a single gradient bit.
 *
 * <p>DJL's PyTorch engine backs arrays made from Java data by Java direct buffers; an array of that
 * kind that autograd saved for backward but that was closed before it (DJL's own {@code
 * x.mul(number)} does that) is read from freed memory once a GC has run. This test runs the whole
 * training forward (transformer with RMSNorm, rotary positions and grouped-query attention,
 * temperature, log-probs, a loss with KL and entropy bonus) twice from the same weights: once
 * straight through, once with garbage collections and NaN-filled direct buffers between forward and
 * backward, and requires identical gradients.
 */
class GarbageCollectionDuringBackwardTest {

    private static List<double[]> gradients(LogProbComputer computer, boolean collectGarbage)
            throws InterruptedException {
        List<RolloutGroup> groups = SharedPrefixLogProbComputerTest.raggedGroups();
        try (NDManager m = NDManager.newBaseManager()) {
            CausalTransformer model =
                    CausalTransformer.create(
                            m, SharedPrefixLogProbComputerTest.config(), DataType.FLOAT32, 42);
            CausalTransformer reference = model.frozenCopy(m);
            ParameterStore store = new ParameterStore(m, false);
            PolicyGradientLoss loss =
                    PolicyGradientLoss.builder()
                            .optLossType(LossType.DAPO)
                            .optBeta(0.05)
                            .optKlEstimator(KlEstimator.K2)
                            .optEntropyCoeff(0.01)
                            .optDelta(1.5)
                            .build();
            try (RolloutBatch batch = RolloutBatch.of(m, groups, DataType.FLOAT32)) {
                NDArray ref =
                        computer.compute(reference, store, batch, 0.7, false)
                                .logProbs()
                                .stopGradient();
                float[] adv = new float[batch.size()];
                for (int i = 0; i < adv.length; i++) {
                    adv[i] = i % 2 == 0 ? 1f : -0.5f;
                }
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    TokenLogProbs current = computer.compute(model, store, batch, 0.7, true, true);
                    NDArray value =
                            loss.compute(
                                            LossInput.builder()
                                                    .setLogProbs(current.logProbs())
                                                    .setAdvantages(batch.manager().create(adv))
                                                    .setMask(batch.completionMask())
                                                    .optRefLogProbs(ref)
                                                    .optEntropies(current.entropies())
                                                    .build())
                                    .loss();
                    if (collectGarbage) {
                        FreedMemory.collectAndRefillWithNaN();
                    }
                    gc.backward(value);
                }
            }
            List<double[]> out = new ArrayList<>();
            for (Pair<String, Parameter> p : model.getParameters()) {
                out.add(
                        p.getValue()
                                .getArray()
                                .getGradient()
                                .toType(DataType.FLOAT64, false)
                                .toDoubleArray());
            }
            return out;
        }
    }

    @ParameterizedTest(name = "shared prefix: {0}")
    @ValueSource(booleans = {true, false})
    void gradientsAreIdenticalWithAndWithoutAGcBeforeBackward(boolean sharedPrefix)
            throws InterruptedException {
        LogProbComputer computer =
                sharedPrefix ? new SharedPrefixLogProbComputer() : new PlainLogProbComputer();
        List<double[]> straight = gradients(computer, false);
        List<double[]> collected = gradients(computer, true);
        assertThat(collected).hasSameSizeAs(straight);
        for (int p = 0; p < straight.size(); p++) {
            assertThat(collected.get(p)).as("parameter %d", p).containsExactly(straight.get(p));
        }
    }
}
