package dev.grpo4j.prefix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.grpo4j.core.policy.PlainLogProbComputer;
import dev.grpo4j.prefix.SharedPrefixLogProbComputerTest.Outcome;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * On CUDA, packed log-probs and parameter gradients equal the plain ones. Tagged {@code gpu}
 * (excluded by default) and skipped when no GPU is visible.
 */
@Tag("gpu")
class SharedPrefixLogProbComputerGpuTest {

    @BeforeEach
    void requireGpu() {
        assumeTrue(Engine.getInstance().getGpuCount() > 0, "no GPU visible to DJL");
    }

    @ParameterizedTest
    @EnumSource(
            value = DataType.class,
            names = {"FLOAT32", "FLOAT64"})
    void packedMatchesPlainOnTheGpu(DataType type) {
        double tol = type == DataType.FLOAT32 ? 1e-5 : 1e-10;
        double gradientTol = type == DataType.FLOAT32 ? 1e-4 : 1e-9;
        // Both on the GPU: the same seed gives the same parameters only on the same device.
        Outcome plain;
        Outcome packed;
        try (NDManager gpu = NDManager.newBaseManager(Device.gpu())) {
            plain =
                    SharedPrefixLogProbComputerTest.run(
                            new PlainLogProbComputer(),
                            SharedPrefixLogProbComputerTest.raggedGroups(),
                            type,
                            gpu);
            packed =
                    SharedPrefixLogProbComputerTest.run(
                            new SharedPrefixLogProbComputer(),
                            SharedPrefixLogProbComputerTest.raggedGroups(),
                            type,
                            gpu);
        }
        for (int e = 0; e < plain.logProbs().length; e++) {
            assertThat(packed.logProbs()[e]).isCloseTo(plain.logProbs()[e], within(tol));
            assertThat(packed.entropies()[e]).isCloseTo(plain.entropies()[e], within(tol));
        }
        for (int p = 0; p < plain.grads().size(); p++) {
            double[] expected = plain.grads().get(p).getValue();
            double[] actual = packed.grads().get(p).getValue();
            double scale = 0;
            for (double x : expected) {
                scale = Math.max(scale, Math.abs(x));
            }
            for (int e = 0; e < expected.length; e++) {
                assertThat(actual[e])
                        .as("%s element %d", plain.grads().get(p).getKey(), e)
                        .isCloseTo(expected[e], within(gradientTol * scale));
            }
        }
    }
}
