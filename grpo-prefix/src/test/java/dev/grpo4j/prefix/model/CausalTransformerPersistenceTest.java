package dev.grpo4j.prefix.model;

import static dev.grpo4j.prefix.model.TinyTransformers.ids;
import static dev.grpo4j.prefix.model.TinyTransformers.maxAbsDiff;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CausalTransformerPersistenceTest {

    private static final int[] SEQUENCE = {12, 0, 5, 5, 8, 3};

    private static byte[] save(CausalTransformer model) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            model.saveParameters(out);
        }
        return bytes.toByteArray();
    }

    @Test
    void savedAndLoadedParametersGiveIdenticalLogits() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            CausalTransformer model =
                    CausalTransformer.create(m, TinyTransformers.grouped(), DataType.FLOAT64, 21);
            byte[] saved = save(model);
            CausalTransformer loaded = new CausalTransformer(TinyTransformers.grouped());
            loaded.loadParameters(m, new DataInputStream(new ByteArrayInputStream(saved)));
            NDArray expected =
                    model.logits(new ParameterStore(m, false), ids(m, SEQUENCE), null, false);
            NDArray actual =
                    loaded.logits(new ParameterStore(m, false), ids(m, SEQUENCE), null, false);
            assertThat(loaded.dataType()).isEqualTo(DataType.FLOAT64);
            assertThat(maxAbsDiff(expected, actual)).isZero();
        }
    }

    @Test
    void djlModelSaveAndLoadGiveIdenticalLogits(@TempDir Path dir) throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            CausalTransformer model =
                    CausalTransformer.create(m, TinyTransformers.grouped(), DataType.FLOAT32, 22);
            NDArray expected =
                    model.logits(new ParameterStore(m, false), ids(m, SEQUENCE), null, false);
            try (Model djl = Model.newInstance("tiny")) {
                djl.setBlock(model);
                djl.save(dir, "tiny");
            }
            try (Model djl = Model.newInstance("tiny")) {
                CausalTransformer loaded = new CausalTransformer(TinyTransformers.grouped());
                djl.setBlock(loaded);
                djl.load(dir, "tiny");
                NDArray actual =
                        loaded.logits(
                                new ParameterStore(djl.getNDManager(), false),
                                ids(m, SEQUENCE),
                                null,
                                false);
                assertThat(maxAbsDiff(expected, actual)).isZero();
            }
        }
    }

    @Test
    void loadingParametersOfOtherSizesFailsNamingBothConfigs() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            CausalTransformer model =
                    CausalTransformer.create(m, TinyTransformers.grouped(), DataType.FLOAT32, 23);
            byte[] saved = save(model);
            CausalTransformer other = new CausalTransformer(TinyTransformers.micro());
            assertThatThrownBy(
                            () ->
                                    other.loadParameters(
                                            m,
                                            new DataInputStream(new ByteArrayInputStream(saved))))
                    .isInstanceOf(MalformedModelException.class)
                    .hasMessageContaining("width=16")
                    .hasMessageContaining("width=8");
        }
    }

    @Test
    void frozenCopyGivesTheSameLogitsAndNeedsNoGradients() {
        try (NDManager m = NDManager.newBaseManager();
                NDManager copyManager = m.newSubManager()) {
            CausalTransformer model =
                    CausalTransformer.create(m, TinyTransformers.grouped(), DataType.FLOAT64, 24);
            CausalTransformer copy = model.frozenCopy(copyManager);
            assertThat(copy.config()).isEqualTo(model.config());
            assertThat(copy.dataType()).isEqualTo(DataType.FLOAT64);
            for (var pair : copy.getParameters()) {
                Parameter parameter = pair.getValue();
                assertThat(parameter.requiresGradient()).as(pair.getKey()).isFalse();
                assertThat(parameter.getArray().hasGradient()).as(pair.getKey()).isFalse();
                assertThat(parameter.getArray().getManager()).isSameAs(copyManager);
            }
            NDArray expected =
                    model.logits(new ParameterStore(m, false), ids(m, SEQUENCE), null, false);
            NDArray actual =
                    copy.logits(new ParameterStore(m, false), ids(m, SEQUENCE), null, false);
            assertThat(maxAbsDiff(expected, actual)).isZero();
        }
    }

    @Test
    void changingTheOriginalLeavesTheFrozenCopyUnchanged() {
        try (NDManager m = NDManager.newBaseManager()) {
            CausalTransformer model =
                    CausalTransformer.create(m, TinyTransformers.grouped(), DataType.FLOAT32, 25);
            CausalTransformer copy = model.frozenCopy(m);
            NDArray before =
                    copy.logits(new ParameterStore(m, false), ids(m, SEQUENCE), null, false);
            for (var pair : model.getParameters()) {
                NDArray array = pair.getValue().getArray();
                array.muli(1.5f).addi(0.25f);
            }
            NDArray after =
                    copy.logits(new ParameterStore(m, false), ids(m, SEQUENCE), null, false);
            NDArray changed =
                    model.logits(new ParameterStore(m, false), ids(m, SEQUENCE), null, false);
            assertThat(maxAbsDiff(before, after)).isZero();
            assertThat(maxAbsDiff(before, changed)).isGreaterThan(1e-2);
        }
    }
}
