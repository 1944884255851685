package dev.grpo4j.prefix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.grpo4j.core.policy.LogProbComputer;
import dev.grpo4j.core.policy.PlainLogProbComputer;
import dev.grpo4j.core.policy.TokenLogProbs;
import dev.grpo4j.core.rollout.Rollout;
import dev.grpo4j.core.rollout.RolloutBatch;
import dev.grpo4j.core.rollout.RolloutGroup;
import dev.grpo4j.core.testing.TinyCausalPolicy;
import dev.grpo4j.prefix.model.CausalTransformer;
import dev.grpo4j.prefix.model.TransformerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shared-prefix computer gives the plain computer's log-probs, entropies and parameter
 * gradients on a {@link CausalTransformer}.
 */
class SharedPrefixLogProbComputerTest {

    private static final int VOCAB = 13;
    private static final double TEMPERATURE = 0.8;

    static TransformerConfig config() {
        return TransformerConfig.builder()
                .setVocabSize(VOCAB)
                .setWidth(16)
                .setLayers(2)
                .setHeads(4)
                .optKvHeads(2)
                .optMlpWidth(24)
                .setMaxSequenceLength(12)
                .build();
    }

    private static Rollout rollout(int[] prompt, int... completion) {
        return Rollout.builder().setPromptIds(prompt).setCompletionIds(completion).build();
    }

    /** Prompts of 3, 5 and 1 tokens; G = 3, 1, 2; completions of 1 to 4 tokens. */
    static List<RolloutGroup> raggedGroups() {
        int[] a = {1, 2, 3};
        int[] b = {5, 6, 7, 8, 9};
        int[] c = {2};
        return List.of(
                RolloutGroup.of(List.of(rollout(a, 4, 5), rollout(a, 6), rollout(a, 7, 8, 9))),
                RolloutGroup.of(List.of(rollout(b, 10))),
                RolloutGroup.of(List.of(rollout(c, 3, 4, 5, 6), rollout(c, 7, 8))));
    }

    /** Every group has a single completion (G = 1). */
    static List<RolloutGroup> singletonGroups() {
        return List.of(
                RolloutGroup.of(List.of(rollout(new int[] {4, 4, 1, 0}, 12, 3, 3))),
                RolloutGroup.of(List.of(rollout(new int[] {7, 2}, 5, 11, 6, 1, 9))));
    }

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (DataType type : new DataType[] {DataType.FLOAT32, DataType.FLOAT64}) {
            cases.add(Arguments.of("ragged", raggedGroups(), type));
            cases.add(Arguments.of("G=1", singletonGroups(), type));
        }
        return cases.stream();
    }

    /** Log-probs, entropies and every parameter gradient of {@code sum(logProbs * weights)}. */
    record Outcome(double[] logProbs, double[] entropies, List<Pair<String, double[]>> grads) {}

    static Outcome run(
            LogProbComputer computer, List<RolloutGroup> groups, DataType type, NDManager m) {
        return run(computer, groups, type, m, false);
    }

    /**
     * As {@link #run(LogProbComputer, List, DataType, NDManager)}; with {@code entropyTerm} the
     * entropies are differentiable and {@code sum(entropies * weights)} joins the backward sum.
     */
    static Outcome run(
            LogProbComputer computer,
            List<RolloutGroup> groups,
            DataType type,
            NDManager m,
            boolean entropyTerm) {
        CausalTransformer model = CausalTransformer.create(m, config(), type, 42);
        ParameterStore store = new ParameterStore(m, false);
        try (RolloutBatch batch = RolloutBatch.of(m, groups, type)) {
            SplittableRandom random = new SplittableRandom(5);
            double[] w = new double[batch.size() * batch.width()];
            for (int e = 0; e < w.length; e++) {
                w[e] = random.nextDouble(-1, 1);
            }
            NDArray weights =
                    batch.manager()
                            .create(w, batch.completionMask().getShape())
                            .toType(type, false);
            TokenLogProbs out;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                out = computer.compute(model, store, batch, TEMPERATURE, true, entropyTerm);
                NDArray objective = out.logProbs().mul(weights).sum();
                if (entropyTerm) {
                    objective = objective.add(out.entropies().mul(weights.flip(0)).sum());
                }
                gc.backward(objective);
            }
            List<Pair<String, double[]>> grads = new ArrayList<>();
            for (Pair<String, Parameter> p : model.getParameters()) {
                NDArray grad = p.getValue().getArray().getGradient();
                grads.add(
                        new Pair<>(
                                p.getKey(), grad.toType(DataType.FLOAT64, false).toDoubleArray()));
            }
            return new Outcome(
                    out.logProbs().toType(DataType.FLOAT64, false).toDoubleArray(),
                    out.entropies().toType(DataType.FLOAT64, false).toDoubleArray(),
                    grads);
        }
    }

    @ParameterizedTest(name = "{0}, {2}")
    @MethodSource("cases")
    void logProbsAndEntropiesMatchThePlainComputer(
            String name, List<RolloutGroup> groups, DataType type) {
        double tol = type == DataType.FLOAT32 ? 1e-5 : 1e-10;
        try (NDManager m = NDManager.newBaseManager()) {
            Outcome plain = run(new PlainLogProbComputer(), groups, type, m);
            Outcome packed = run(new SharedPrefixLogProbComputer(), groups, type, m);
            assertThat(packed.logProbs()).hasSameSizeAs(plain.logProbs());
            for (int e = 0; e < plain.logProbs().length; e++) {
                assertThat(packed.logProbs()[e])
                        .as("log-prob %d", e)
                        .isCloseTo(plain.logProbs()[e], within(tol));
                assertThat(packed.entropies()[e])
                        .as("entropy %d", e)
                        .isCloseTo(plain.entropies()[e], within(tol));
            }
        }
    }

    @ParameterizedTest(name = "{0}, {2}")
    @MethodSource("cases")
    void everyParameterGradientMatchesThePlainComputer(
            String name, List<RolloutGroup> groups, DataType type) {
        assertGradientsMatch(groups, type, false);
    }

    /** The entropy bonus needs differentiable entropies: their gradients must agree as well. */
    @ParameterizedTest(name = "{0}, {2}")
    @MethodSource("cases")
    void entropyGradientsMatchThePlainComputer(
            String name, List<RolloutGroup> groups, DataType type) {
        assertGradientsMatch(groups, type, true);
    }

    private static void assertGradientsMatch(
            List<RolloutGroup> groups, DataType type, boolean entropyTerm) {
        double tol = type == DataType.FLOAT32 ? 1e-4 : 1e-9;
        try (NDManager m = NDManager.newBaseManager()) {
            Outcome plain = run(new PlainLogProbComputer(), groups, type, m, entropyTerm);
            Outcome packed = run(new SharedPrefixLogProbComputer(), groups, type, m, entropyTerm);
            assertThat(packed.grads()).hasSameSizeAs(plain.grads());
            for (int p = 0; p < plain.grads().size(); p++) {
                String param = plain.grads().get(p).getKey();
                double[] expected = plain.grads().get(p).getValue();
                double[] actual = packed.grads().get(p).getValue();
                double scale = 0;
                for (double x : expected) {
                    scale = Math.max(scale, Math.abs(x));
                }
                // A vanishing gradient would make the comparison vacuous.
                assertThat(scale).as("largest gradient of %s", param).isGreaterThan(1e-6);
                for (int e = 0; e < expected.length; e++) {
                    assertThat(actual[e])
                            .as("%s element %d", param, e)
                            .isCloseTo(expected[e], within(tol * scale));
                }
            }
        }
    }

    @Test
    void rejectsAnEmptyCompletion() {
        int[] prompt = {1, 2};
        List<RolloutGroup> groups =
                List.of(RolloutGroup.of(List.of(rollout(prompt, 3), rollout(prompt))));
        try (NDManager m = NDManager.newBaseManager();
                RolloutBatch batch = RolloutBatch.of(m, groups)) {
            CausalTransformer model = CausalTransformer.create(m, config(), DataType.FLOAT32, 1);
            ParameterStore store = new ParameterStore(m, false);
            assertThatThrownBy(
                            () ->
                                    new SharedPrefixLogProbComputer()
                                            .compute(model, store, batch, 1.0, false))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("completion 1 (group 0) is empty");
        }
    }

    @Test
    void rejectsACompletionBeyondTheMaximumLength() {
        int[] prompt = {1, 2, 3, 4, 5, 6, 7, 8};
        List<RolloutGroup> groups =
                List.of(
                        RolloutGroup.of(
                                List.of(rollout(prompt, 3), rollout(prompt, 1, 2, 3, 4, 5))));
        try (NDManager m = NDManager.newBaseManager();
                RolloutBatch batch = RolloutBatch.of(m, groups)) {
            CausalTransformer model = CausalTransformer.create(m, config(), DataType.FLOAT32, 1);
            ParameterStore store = new ParameterStore(m, false);
            assertThatThrownBy(
                            () ->
                                    new SharedPrefixLogProbComputer()
                                            .compute(model, store, batch, 1.0, false))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("prompt 0 (8 tokens) plus completion 1 (5 tokens)")
                    .hasMessageContaining("maximum length is 12");
        }
    }

    @Test
    void rejectsATokenOutsideTheVocabulary() {
        List<RolloutGroup> groups =
                List.of(RolloutGroup.of(List.of(rollout(new int[] {1}, 2, VOCAB))));
        try (NDManager m = NDManager.newBaseManager();
                RolloutBatch batch = RolloutBatch.of(m, groups)) {
            CausalTransformer model = CausalTransformer.create(m, config(), DataType.FLOAT32, 1);
            ParameterStore store = new ParameterStore(m, false);
            assertThatThrownBy(
                            () ->
                                    new SharedPrefixLogProbComputer()
                                            .compute(model, store, batch, 1.0, false))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(
                            "completion 0 token 1 has id 13, outside the vocabulary [0, 13)");
        }
    }

    @Test
    void rejectsAPolicyWhoseAttentionCannotBeReplaced() {
        List<RolloutGroup> groups = List.of(RolloutGroup.of(List.of(rollout(new int[] {1}, 2))));
        try (NDManager m = NDManager.newBaseManager();
                RolloutBatch batch = RolloutBatch.of(m, groups)) {
            TinyCausalPolicy policy = TinyCausalPolicy.create(m, VOCAB, 4, 8, DataType.FLOAT32);
            ParameterStore store = new ParameterStore(m, false);
            assertThatThrownBy(
                            () ->
                                    new SharedPrefixLogProbComputer()
                                            .compute(policy, store, batch, 1.0, false))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("need a CausalTransformer")
                    .hasMessageContaining("TinyCausalPolicy");
        }
    }

    @Test
    void resultsLiveInTheBatchManager() {
        try (NDManager m = NDManager.newBaseManager()) {
            CausalTransformer model = CausalTransformer.create(m, config(), DataType.FLOAT32, 3);
            ParameterStore store = new ParameterStore(m, false);
            int before = m.getManagedArrays().size();
            try (RolloutBatch batch = RolloutBatch.of(m, raggedGroups())) {
                TokenLogProbs out =
                        new SharedPrefixLogProbComputer().compute(model, store, batch, 1.0, false);
                assertThat(out.logProbs().getManager()).isSameAs(batch.manager());
                assertThat(out.entropies().getManager()).isSameAs(batch.manager());
            }
            assertThat(m.getManagedArrays()).hasSize(before);
        }
    }
}
