package dev.grpo4j.prefix.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import dev.grpo4j.core.policy.PlainLogProbComputer;
import dev.grpo4j.core.policy.SampledCompletion;
import dev.grpo4j.core.policy.Sampler;
import dev.grpo4j.core.policy.SamplingConfig;
import dev.grpo4j.core.rollout.Rollout;
import dev.grpo4j.core.rollout.RolloutBatch;
import dev.grpo4j.core.rollout.RolloutGroup;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The core {@link Sampler} driving the transformer's cached decoder. */
class SamplerOnTransformerTest {

    private static final int[][] PROMPTS = {{3, 1, 4, 1, 5}, {9, 2}, {6, 5, 3, 5}};
    private static final int SAMPLES = 3;
    private static final double TEMPERATURE = 0.8;

    private static Sampler sampler() {
        return new Sampler(
                SamplingConfig.builder()
                        .optTemperature(TEMPERATURE)
                        .optTopK(10)
                        .optTopP(0.95)
                        .optMaxNewTokens(6)
                        .optStopTokens(0)
                        .build());
    }

    @Test
    void seededRunsDrawTheSameCompletions() {
        try (NDManager m = NDManager.newBaseManager()) {
            CausalTransformer model =
                    CausalTransformer.create(m, TinyTransformers.grouped(), DataType.FLOAT32, 41);
            ParameterStore store = new ParameterStore(m, false);
            var first =
                    sampler().sample(model, store, m, PROMPTS, SAMPLES, new SplittableRandom(7));
            var second =
                    sampler().sample(model, store, m, PROMPTS, SAMPLES, new SplittableRandom(7));
            var other =
                    sampler().sample(model, store, m, PROMPTS, SAMPLES, new SplittableRandom(8));
            boolean anyDifferent = false;
            for (int p = 0; p < PROMPTS.length; p++) {
                for (int g = 0; g < SAMPLES; g++) {
                    SampledCompletion a = first.get(p).get(g);
                    assertThat(a.tokenIds()).isEqualTo(second.get(p).get(g).tokenIds());
                    assertThat(a.logProbs()).isEqualTo(second.get(p).get(g).logProbs());
                    anyDifferent |= !Arrays.equals(a.tokenIds(), other.get(p).get(g).tokenIds());
                }
            }
            assertThat(anyDifferent).as("another seed draws other completions").isTrue();
        }
    }

    @Test
    void recordedLogProbsEqualThePlainLogProbComputer() {
        try (NDManager m = NDManager.newBaseManager()) {
            CausalTransformer model =
                    CausalTransformer.create(m, TinyTransformers.grouped(), DataType.FLOAT32, 42);
            ParameterStore store = new ParameterStore(m, false);
            var sampled =
                    sampler().sample(model, store, m, PROMPTS, SAMPLES, new SplittableRandom(3));
            List<RolloutGroup> groups = new ArrayList<>();
            int tokens = 0;
            for (int p = 0; p < PROMPTS.length; p++) {
                List<Rollout> rollouts = new ArrayList<>();
                for (SampledCompletion completion : sampled.get(p)) {
                    tokens += completion.length();
                    rollouts.add(
                            Rollout.builder()
                                    .setPromptIds(PROMPTS[p])
                                    .setCompletionIds(completion.tokenIds())
                                    .optSamplingLogProbs(completion.logProbs())
                                    .optTruncated(completion.truncated())
                                    .build());
                }
                groups.add(RolloutGroup.of(rollouts));
            }
            assertThat(tokens).isGreaterThan(PROMPTS.length * SAMPLES);
            try (RolloutBatch batch = RolloutBatch.of(m, groups)) {
                float[] recomputed =
                        new PlainLogProbComputer()
                                .compute(model, store, batch, TEMPERATURE, false)
                                .logProbs()
                                .toFloatArray();
                float[] recorded = batch.samplingLogProbs().toFloatArray();
                for (int i = 0; i < recorded.length; i++) {
                    assertThat(recomputed[i])
                            .as("token %d", i)
                            .isCloseTo(recorded[i], within(1e-5f));
                }
            }
        }
    }
}
