package dev.grpo4j.core.testing;

import ai.djl.training.ParameterStore;
import dev.grpo4j.core.policy.CausalLmPolicy;
import dev.grpo4j.core.policy.LogProbComputer;
import dev.grpo4j.core.policy.PlainLogProbComputer;
import dev.grpo4j.core.policy.TokenLogProbs;
import dev.grpo4j.core.rollout.RolloutBatch;
import dev.grpo4j.core.rollout.RolloutGroup;
import java.util.ArrayList;
import java.util.List;

/**
 * Delegates to {@link PlainLogProbComputer} and records every call: which policy, mode and values.
 */
public final class RecordingLogProbComputer implements LogProbComputer {

    /** One recorded call. */
    public record Call(
            CausalLmPolicy policy,
            boolean training,
            float[] logProbs,
            float[] mask,
            List<RolloutGroup> groups) {}

    private final PlainLogProbComputer delegate = new PlainLogProbComputer();
    private final List<Call> calls = new ArrayList<>();

    @Override
    public TokenLogProbs compute(
            CausalLmPolicy policy,
            ParameterStore store,
            RolloutBatch batch,
            double temperature,
            boolean training) {
        TokenLogProbs out = delegate.compute(policy, store, batch, temperature, training);
        calls.add(
                new Call(
                        policy,
                        training,
                        out.logProbs()
                                .stopGradient()
                                .toType(ai.djl.ndarray.types.DataType.FLOAT32, false)
                                .toFloatArray(),
                        batch.completionMask()
                                .toType(ai.djl.ndarray.types.DataType.FLOAT32, false)
                                .toFloatArray(),
                        groupsOf(batch)));
        return out;
    }

    private static List<RolloutGroup> groupsOf(RolloutBatch batch) {
        List<RolloutGroup> groups = new ArrayList<>();
        for (int g = 0; g < batch.groupCount(); g++) {
            groups.add(
                    RolloutGroup.of(
                            batch.groupKey(g),
                            batch.rows().subList(batch.groupStart(g), batch.groupStart(g + 1))));
        }
        return groups;
    }

    /**
     * The calls so far.
     *
     * @return a copy
     */
    public List<Call> calls() {
        return List.copyOf(calls);
    }

    /** Forgets the calls so far. */
    public void clear() {
        calls.clear();
    }
}
