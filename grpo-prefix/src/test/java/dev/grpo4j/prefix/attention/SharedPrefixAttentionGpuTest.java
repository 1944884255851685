package dev.grpo4j.prefix.attention;

import static dev.grpo4j.prefix.attention.SharedPrefixAttentionTest.assertAllClose;
import static dev.grpo4j.prefix.attention.SharedPrefixAttentionTest.assertRelativelyClose;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.grpo4j.prefix.attention.AttentionFixture.Result;
import dev.grpo4j.prefix.layout.PrefixLayoutArrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The shared-prefix op on CUDA agrees with the naive reference computed on the CPU. Tagged {@code
 * gpu} (excluded by default; {@code -Dgroups=gpu} runs it) and skipped when no GPU is visible.
 */
@Tag("gpu")
class SharedPrefixAttentionGpuTest {

    @BeforeEach
    void requireGpu() {
        assumeTrue(Engine.getInstance().getGpuCount() > 0, "no GPU visible to DJL");
    }

    @ParameterizedTest
    @EnumSource(
            value = DataType.class,
            names = {"FLOAT32", "FLOAT64"})
    void outputsAndGradientsOnTheGpuMatchTheCpuReference(DataType type) {
        double forwardTol = type == DataType.FLOAT32 ? 1e-5 : 1e-10;
        double gradientTol = type == DataType.FLOAT32 ? 1e-4 : 1e-9;
        for (int kvHeads : new int[] {4, 2, 1}) {
            AttentionFixture f =
                    new AttentionFixture(
                            SharedPrefixAttentionTest.ragged(), 4, kvHeads, 8, type, 29);
            Result expected;
            try (NDManager cpu = NDManager.newBaseManager(Device.cpu())) {
                expected = f.run(cpu, f::naive);
            }
            try (NDManager gpu = NDManager.newBaseManager(Device.gpu());
                    PrefixLayoutArrays arrays = f.layout.toArrays(gpu)) {
                SharedPrefixAttention op = new SharedPrefixAttention(arrays);
                Result shared = f.run(gpu, x -> op.attend(x.get(0), x.get(1), x.get(2)));
                MaskedAttention reference = new MaskedAttention(f.layout.visibilityMask(gpu));
                Result masked = f.run(gpu, x -> reference.attend(x.get(0), x.get(1), x.get(2)));
                for (Result actual : new Result[] {shared, masked}) {
                    assertAllClose(actual.out(), expected.out(), forwardTol);
                    assertRelativelyClose("dq", actual.dq(), expected.dq(), gradientTol);
                    assertRelativelyClose("dk", actual.dk(), expected.dk(), gradientTol);
                    assertRelativelyClose("dv", actual.dv(), expected.dv(), gradientTol);
                }
            }
        }
    }
}
