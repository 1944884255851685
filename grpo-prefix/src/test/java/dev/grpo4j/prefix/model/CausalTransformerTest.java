package dev.grpo4j.prefix.model;

import static dev.grpo4j.prefix.model.TinyTransformers.ids;
import static dev.grpo4j.prefix.model.TinyTransformers.maxAbsDiff;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.grpo4j.prefix.attention.CausalAttention;
import java.nio.DoubleBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CausalTransformerTest {

    private static final int[] SEQUENCE = {3, 1, 4, 1, 5, 9, 2, 6};

    @Test
    void logitsScoreTheWholeVocabularyAtEveryPosition() {
        try (NDManager m = NDManager.newBaseManager()) {
            CausalTransformer model =
                    CausalTransformer.create(m, TinyTransformers.grouped(), DataType.FLOAT32, 1);
            NDArray logits =
                    model.logits(
                            new ParameterStore(m, false), ids(m, SEQUENCE, SEQUENCE), null, false);
            assertThat(logits.getShape()).isEqualTo(new Shape(2, SEQUENCE.length, 13));
            assertThat(logits.getDataType()).isEqualTo(DataType.FLOAT32);
        }
    }

    @Test
    void djlBlockForwardGivesThePlainLogits() {
        try (NDManager m = NDManager.newBaseManager()) {
            CausalTransformer model =
                    CausalTransformer.create(m, TinyTransformers.grouped(), DataType.FLOAT64, 14);
            ParameterStore store = new ParameterStore(m, false);
            NDArray tokens = ids(m, SEQUENCE);
            NDArray positions = ids(m, new int[] {4, 5, 6, 7, 8, 9, 10, 11});
            NDArray viaBlock =
                    model.forward(store, new NDList(tokens, positions), false).singletonOrThrow();
            assertThat(model.getOutputShapes(new Shape[] {tokens.getShape()})[0])
                    .isEqualTo(viaBlock.getShape());
            assertThat(maxAbsDiff(viaBlock, model.logits(store, tokens, positions, false)))
                    .isZero();
        }
    }

    @Test
    void laterTokensDoNotChangeEarlierLogits() {
        try (NDManager m = NDManager.newBaseManager()) {
            CausalTransformer model =
                    CausalTransformer.create(m, TinyTransformers.grouped(), DataType.FLOAT64, 2);
            ParameterStore store = new ParameterStore(m, false);
            int[] changed = SEQUENCE.clone();
            changed[5] = 0;
            NDArray a = model.logits(store, ids(m, SEQUENCE), null, false);
            NDArray b = model.logits(store, ids(m, changed), null, false);
            assertThat(maxAbsDiff(a.get(":, :5"), b.get(":, :5"))).isLessThan(1e-12);
            assertThat(maxAbsDiff(a.get(":, 5:"), b.get(":, 5:"))).isGreaterThan(1e-3);
        }
    }

    @Test
    void defaultPositionsAreZeroToLengthMinusOne() {
        try (NDManager m = NDManager.newBaseManager()) {
            CausalTransformer model =
                    CausalTransformer.create(m, TinyTransformers.grouped(), DataType.FLOAT64, 3);
            ParameterStore store = new ParameterStore(m, false);
            NDArray positions = m.arange(0, SEQUENCE.length, 1, DataType.INT32).reshape(1, -1);
            NDArray implicit = model.logits(store, ids(m, SEQUENCE), null, false);
            NDArray explicit = model.logits(store, ids(m, SEQUENCE), positions, false);
            assertThat(maxAbsDiff(implicit, explicit)).isZero();
        }
    }

    @Test
    void rotaryPositionsAreRelativeShiftsCancelAndGapsDoNot() {
        try (NDManager m = NDManager.newBaseManager()) {
            CausalTransformer model =
                    CausalTransformer.create(m, TinyTransformers.grouped(), DataType.FLOAT64, 4);
            ParameterStore store = new ParameterStore(m, false);
            NDArray tokens = ids(m, new int[] {7, 2, 11, 5});
            NDArray base = model.logits(store, tokens, ids(m, new int[] {0, 1, 2, 3}), false);
            NDArray shifted = model.logits(store, tokens, ids(m, new int[] {9, 10, 11, 12}), false);
            NDArray gapped = model.logits(store, tokens, ids(m, new int[] {0, 1, 5, 6}), false);
            assertThat(maxAbsDiff(base, shifted)).isLessThan(1e-10);
            assertThat(maxAbsDiff(base.get(":, 2:"), gapped.get(":, 2:"))).isGreaterThan(1e-3);
        }
    }

    @Test
    void suppliedAttentionRunsInEveryLayerAndHiddenThenHeadEqualsLogits() {
        try (NDManager m = NDManager.newBaseManager()) {
            CausalTransformer model =
                    CausalTransformer.create(m, TinyTransformers.grouped(), DataType.FLOAT64, 5);
            ParameterStore store = new ParameterStore(m, false);
            AtomicInteger calls = new AtomicInteger();
            NDArray hidden =
                    model.hidden(
                            store,
                            ids(m, SEQUENCE),
                            null,
                            (q, k, v) -> {
                                calls.incrementAndGet();
                                return CausalAttention.causal(q, k, v);
                            },
                            false);
            assertThat(calls.get()).isEqualTo(2);
            assertThat(hidden.getShape()).isEqualTo(new Shape(1, SEQUENCE.length, 16));
            NDArray plain = model.logits(store, ids(m, SEQUENCE), null, false);
            assertThat(maxAbsDiff(model.lmHead(store, hidden, false), plain)).isZero();
        }
    }

    @Test
    void theSameSeedGivesTheSameParameters() {
        try (NDManager m = NDManager.newBaseManager()) {
            CausalTransformer a =
                    CausalTransformer.create(m, TinyTransformers.grouped(), DataType.FLOAT32, 6);
            CausalTransformer b =
                    CausalTransformer.create(m, TinyTransformers.grouped(), DataType.FLOAT32, 6);
            CausalTransformer c =
                    CausalTransformer.create(m, TinyTransformers.grouped(), DataType.FLOAT32, 7);
            var pa = a.getParameters();
            var pb = b.getParameters();
            for (int i = 0; i < pa.size(); i++) {
                assertThat(pa.get(i).getValue().getArray().toFloatArray())
                        .as(pa.get(i).getKey())
                        .isEqualTo(pb.get(i).getValue().getArray().toFloatArray());
            }
            assertThat(c.getParameters().get(0).getValue().getArray().toFloatArray())
                    .isNotEqualTo(pa.get(0).getValue().getArray().toFloatArray());
        }
    }

    @Test
    void gradientsMatchCentralFiniteDifferencesInFloat64() {
        try (NDManager m = NDManager.newBaseManager()) {
            CausalTransformer model =
                    CausalTransformer.create(m, TinyTransformers.micro(), DataType.FLOAT64, 8);
            ParameterStore store = new ParameterStore(m, false);
            NDArray tokens = ids(m, new int[] {1, 6, 2, 2, 5}, new int[] {0, 3, 4, 1, 6});
            Engine.getInstance().setRandomSeed(9);
            NDArray weights = m.randomNormal(0, 1, new Shape(2, 5, 7), DataType.FLOAT64);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(model.logits(store, tokens, null, true).mul(weights).sum());
            }
            TransformerLayer first = model.layers().get(0);
            TransformerLayer second = model.layers().get(1);
            List<Parameter> checked =
                    List.of(
                            model.getParameters().get("token_embedding"),
                            model.getParameters().get("final_norm"),
                            first.getParameters().get("query"),
                            first.getParameters().get("key"),
                            first.getParameters().get("attention_norm"),
                            second.getParameters().get("value"),
                            second.getParameters().get("output"),
                            second.getParameters().get("gate"),
                            second.getParameters().get("down"));
            double eps = 1e-6;
            for (Parameter parameter : checked) {
                NDArray array = parameter.getArray();
                double[] grad = array.getGradient().toDoubleArray();
                double[] values = array.toDoubleArray();
                double largest = 0;
                for (int index : new int[] {0, values.length / 2, values.length - 1}) {
                    double original = values[index];
                    values[index] = original + eps;
                    array.set(DoubleBuffer.wrap(values));
                    double plus = objective(model, store, tokens, weights);
                    values[index] = original - eps;
                    array.set(DoubleBuffer.wrap(values));
                    double minus = objective(model, store, tokens, weights);
                    values[index] = original;
                    array.set(DoubleBuffer.wrap(values));
                    double numeric = (plus - minus) / (2 * eps);
                    assertThat(grad[index])
                            .as("%s[%d]", parameter.getName(), index)
                            .isCloseTo(numeric, within(1e-6 * Math.max(1, Math.abs(numeric))));
                    largest = Math.max(largest, Math.abs(numeric));
                }
                // A vanishing gradient would make the comparison vacuous.
                assertThat(largest).as(parameter.getName()).isGreaterThan(1e-4);
            }
        }
    }

    private static double objective(
            CausalTransformer model, ParameterStore store, NDArray tokens, NDArray weights) {
        return model.logits(store, tokens, null, false).mul(weights).sum().getDouble();
    }

    @Test
    void forwardAndBackwardInASubManagerLeaveNothingInTheModelManager() {
        try (NDManager m = NDManager.newBaseManager()) {
            CausalTransformer model =
                    CausalTransformer.create(m, TinyTransformers.grouped(), DataType.FLOAT32, 10);
            ParameterStore store = new ParameterStore(m, false);
            int before = m.getManagedArrays().size();
            try (NDManager step = m.newSubManager()) {
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray logits = model.logits(store, ids(step, SEQUENCE), null, true);
                    collector.backward(logits.logSoftmax(-1).sum());
                }
                assertThat(step.getManagedArrays()).isNotEmpty();
            }
            assertThat(m.getManagedArrays()).hasSize(before);
        }
    }

    @Test
    void rejectsATokenOutsideTheVocabulary() {
        try (NDManager m = NDManager.newBaseManager()) {
            CausalTransformer model =
                    CausalTransformer.create(m, TinyTransformers.grouped(), DataType.FLOAT32, 11);
            NDArray tokens = ids(m, new int[] {1, 2, 13, 4});
            assertThatThrownBy(
                            () -> model.logits(new ParameterStore(m, false), tokens, null, false))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("token id 13")
                    .hasMessageContaining("[0, 13)");
        }
    }

    @Test
    void rejectsASequenceLongerThanTheMaximumLength() {
        try (NDManager m = NDManager.newBaseManager()) {
            CausalTransformer model =
                    CausalTransformer.create(m, TinyTransformers.grouped(), DataType.FLOAT32, 12);
            NDArray tokens = m.zeros(new Shape(1, 25), DataType.INT32);
            assertThatThrownBy(
                            () -> model.logits(new ParameterStore(m, false), tokens, null, false))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("sequence length 25")
                    .hasMessageContaining("maximum length 24");
        }
    }

    @Test
    void rejectsAPositionIdBeyondTheMaximumLength() {
        try (NDManager m = NDManager.newBaseManager()) {
            CausalTransformer model =
                    CausalTransformer.create(m, TinyTransformers.grouped(), DataType.FLOAT32, 13);
            NDArray tokens = ids(m, new int[] {1, 2, 3});
            NDArray positions = ids(m, new int[] {22, 23, 24});
            assertThatThrownBy(
                            () ->
                                    model.logits(
                                            new ParameterStore(m, false),
                                            tokens,
                                            positions,
                                            CausalTransformer.plainAttention(),
                                            false))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("position id 24");
        }
    }
}
