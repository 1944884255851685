package dev.grpo4j.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.grpo4j.core.rollout.Rollout;
import dev.grpo4j.core.rollout.RolloutBatch;
import dev.grpo4j.core.rollout.RolloutGroup;
import dev.grpo4j.core.testing.TinyCausalPolicy;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PlainLogProbComputerTest {

    private static final int VOCAB = 7;

    @Test
    void matchesPerRowLogSoftmaxOfTheFullSequence() {
        Engine.getInstance().setRandomSeed(3);
        try (NDManager m = NDManager.newBaseManager()) {
            TinyCausalPolicy policy = TinyCausalPolicy.create(m, VOCAB, 8, 32, DataType.FLOAT64);
            ParameterStore store = new ParameterStore(m, false);
            Rollout a = Rollout.builder().setPromptIds(1, 2, 3).setCompletionIds(4, 5).build();
            Rollout b = Rollout.builder().setPromptIds(1, 2, 3).setCompletionIds(6).build();
            Rollout c = Rollout.builder().setPromptIds(2).setCompletionIds(0, 1, 2).build();
            double temperature = 0.7;
            try (RolloutBatch batch =
                    RolloutBatch.of(
                            m,
                            List.of(RolloutGroup.of(List.of(a, b)), RolloutGroup.of(List.of(c))),
                            DataType.FLOAT64)) {
                TokenLogProbs out =
                        new PlainLogProbComputer()
                                .compute(policy, store, batch, temperature, false);
                double[] lp = out.logProbs().toDoubleArray();
                double[] ent = out.entropies().toDoubleArray();
                List<Rollout> rows = List.of(a, b, c);
                for (int r = 0; r < 3; r++) {
                    Rollout row = rows.get(r);
                    int[] p = row.promptIds();
                    int[] comp = row.completionIds();
                    int[] seq = new int[p.length + comp.length];
                    System.arraycopy(p, 0, seq, 0, p.length);
                    System.arraycopy(comp, 0, seq, p.length, comp.length);
                    NDArray logits =
                            policy.logits(
                                    store, m.create(seq, new Shape(1, seq.length)), null, false);
                    double[] flat = logits.toDoubleArray();
                    for (int t = 0; t < 3; t++) {
                        if (t >= comp.length) {
                            assertThat(lp[r * 3 + t]).isZero();
                            continue;
                        }
                        int pos = p.length - 1 + t;
                        double max = Double.NEGATIVE_INFINITY;
                        for (int v = 0; v < VOCAB; v++) {
                            max = Math.max(max, flat[pos * VOCAB + v] / temperature);
                        }
                        double z = 0;
                        for (int v = 0; v < VOCAB; v++) {
                            z += Math.exp(flat[pos * VOCAB + v] / temperature - max);
                        }
                        double logZ = max + Math.log(z);
                        double expected = flat[pos * VOCAB + comp[t]] / temperature - logZ;
                        double entropy = 0;
                        for (int v = 0; v < VOCAB; v++) {
                            double l = flat[pos * VOCAB + v] / temperature - logZ;
                            entropy -= Math.exp(l) * l;
                        }
                        assertThat(lp[r * 3 + t]).isCloseTo(expected, within(1e-12));
                        assertThat(ent[r * 3 + t]).isCloseTo(entropy, within(1e-12));
                    }
                }
            }
        }
    }

    @Test
    void rejectsTokenOutsideVocabulary() {
        try (NDManager m = NDManager.newBaseManager()) {
            TinyCausalPolicy policy = TinyCausalPolicy.create(m, VOCAB, 4, 16, DataType.FLOAT32);
            Rollout a = Rollout.builder().setPromptIds(1).setCompletionIds(VOCAB).build();
            try (RolloutBatch batch = RolloutBatch.of(m, List.of(RolloutGroup.of(List.of(a))))) {
                assertThatThrownBy(
                                () ->
                                        new PlainLogProbComputer()
                                                .compute(
                                                        policy,
                                                        new ParameterStore(m, false),
                                                        batch,
                                                        1.0,
                                                        false))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("id 7");
            }
        }
    }

    @Test
    void samplerLogProbsEqualRecomputedLogProbs() {
        Engine.getInstance().setRandomSeed(5);
        try (NDManager m = NDManager.newBaseManager()) {
            TinyCausalPolicy policy = TinyCausalPolicy.create(m, VOCAB, 8, 32, DataType.FLOAT32);
            ParameterStore store = new ParameterStore(m, false);
            Sampler sampler =
                    new Sampler(
                            SamplingConfig.builder()
                                    .optTemperature(0.9)
                                    .optMaxNewTokens(5)
                                    .optStopTokens(0)
                                    .build());
            int[][] prompts = {{1, 2, 3}, {4}};
            var sampled = sampler.sample(policy, store, m, prompts, 3, new SplittableRandom(11));
            assertThat(sampled).hasSize(2);
            List<RolloutGroup> groups = new java.util.ArrayList<>();
            for (int p = 0; p < 2; p++) {
                List<Rollout> rollouts = new java.util.ArrayList<>();
                for (SampledCompletion s : sampled.get(p)) {
                    assertThat(s.length()).isBetween(1, 5);
                    assertThat(s.truncated()).isEqualTo(s.tokenIds()[s.length() - 1] != 0);
                    rollouts.add(
                            Rollout.builder()
                                    .setPromptIds(prompts[p])
                                    .setCompletionIds(s.tokenIds())
                                    .optSamplingLogProbs(s.logProbs())
                                    .build());
                }
                groups.add(RolloutGroup.of(rollouts));
            }
            try (RolloutBatch batch = RolloutBatch.of(m, groups)) {
                TokenLogProbs lp =
                        new PlainLogProbComputer().compute(policy, store, batch, 0.9, false);
                float[] recomputed = lp.logProbs().toFloatArray();
                float[] recorded = batch.samplingLogProbs().toFloatArray();
                for (int i = 0; i < recorded.length; i++) {
                    assertThat(recomputed[i]).isCloseTo(recorded[i], within(1e-5f));
                }
            }
        }
    }

    @Test
    void seededSamplingIsReproducibleAndTopKOneIsGreedy() {
        Engine.getInstance().setRandomSeed(5);
        try (NDManager m = NDManager.newBaseManager()) {
            TinyCausalPolicy policy = TinyCausalPolicy.create(m, VOCAB, 8, 32, DataType.FLOAT32);
            ParameterStore store = new ParameterStore(m, false);
            Sampler sampler = new Sampler(SamplingConfig.builder().optMaxNewTokens(6).build());
            int[][] prompts = {{1, 2}};
            var first = sampler.sample(policy, store, m, prompts, 4, new SplittableRandom(1));
            var second = sampler.sample(policy, store, m, prompts, 4, new SplittableRandom(1));
            for (int g = 0; g < 4; g++) {
                assertThat(first.get(0).get(g).tokenIds())
                        .isEqualTo(second.get(0).get(g).tokenIds());
            }
            Sampler greedy =
                    new Sampler(SamplingConfig.builder().optMaxNewTokens(1).optTopK(1).build());
            int token =
                    greedy.sample(policy, store, m, prompts, 1, new SplittableRandom(2))
                            .get(0)
                            .get(0)
                            .tokenIds()[0];
            float[] logits =
                    policy.logits(store, m.create(prompts[0], new Shape(1, 2)), null, false)
                            .get(0, 1)
                            .toFloatArray();
            int argmax = 0;
            for (int v = 1; v < VOCAB; v++) {
                if (logits[v] > logits[argmax]) {
                    argmax = v;
                }
            }
            assertThat(token).isEqualTo(argmax);
            assertThat(m.getManagedArrays().size()).isLessThan(40);
        }
    }
}
