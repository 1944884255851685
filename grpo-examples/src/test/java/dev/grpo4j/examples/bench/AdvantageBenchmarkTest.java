package dev.grpo4j.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Smoke test of the advantage benchmark at tiny sizes; timing itself is not checked. */
class AdvantageBenchmarkTest {

    @Test
    void baselinesAgreeWithTheLibraryAtSeveralSizes() {
        for (int size : new int[] {32, 160, 1000}) {
            AdvantageBenchmark.Args args =
                    AdvantageBenchmark.Args.parse("--sizes", String.valueOf(size), "--seed", "7");
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            // Throws if an implementation differs from the first one of its estimator by 1e-9.
            AdvantageBenchmark.crossCheck(
                    AdvantageBenchmark.cases(),
                    size,
                    args,
                    new PrintStream(buffer, true, StandardCharsets.UTF_8));
            assertThat(buffer.toString(StandardCharsets.UTF_8))
                    .contains("- GRPO plain Java:", "- GiGPO plain Java:");
        }
    }

    @Test
    void mainPrintsTheTableAndTheBreakdown() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            AdvantageBenchmark.main(
                    new String[] {
                        "--sizes", "64,128", "--warmup", "0", "--reps", "1", "--segment-ops", "true"
                    });
        } finally {
            System.setOut(original);
        }
        String out = buffer.toString(StandardCharsets.UTF_8);
        assertThat(out)
                .contains("| Estimator | Implementation | Rollouts |")
                .contains("| GRPO | ND4J | 128 |")
                .contains("| GiGPO | plain Java | 128 | 1,280 |")
                .contains("| copy in + group statistics (ND4J) |")
                .contains("| segment_sum (sorted ids) |");
    }

    @Test
    void unknownOptionIsRejected() {
        assertThatThrownBy(() -> AdvantageBenchmark.Args.parse("--size", "10"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown option --size");
    }
}
