package dev.grpo4j.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrefixBenchmarkTest {

    @Test
    void defaultsToTheTargetPointOnTheCpu() {
        PrefixBenchmark.Args args = PrefixBenchmark.Args.parse();
        assertThat(args.points()).hasSize(1);
        assertThat(args.points().get(0)).containsExactly(1024, 64, 16);
        assertThat(args.device()).isEqualTo(Device.cpu());
    }

    @Test
    void gridCoversPrefix256To2048Suffix16To256AndGroup2To16() {
        List<int[]> points = PrefixBenchmark.Args.parse("--grid").points();
        assertThat(points).hasSize(4 * 3 * 4);
        assertThat(points.get(0)).containsExactly(256, 16, 2);
        assertThat(points.get(points.size() - 1)).containsExactly(2048, 256, 16);
    }

    @Test
    void rejectsAnUnknownOption() {
        assertThatThrownBy(() -> PrefixBenchmark.Args.parse("--prefx", "3"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown option --prefx");
    }

    @Test
    void rejectsARunWithoutWarmUp() {
        assertThatThrownBy(() -> PrefixBenchmark.Args.parse("--warmup", "0"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--warmup must be >= 1 but was 0");
    }

    @Test
    void rejectsAnUnknownDevice() {
        assertThatThrownBy(() -> PrefixBenchmark.Args.parse("--device", "tpu"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tpu");
    }

    @Test
    void namesDevicesSoThatTheMemoryProbeCanParseThemBack() {
        for (Device device : new Device[] {Device.cpu(), Device.gpu(), Device.gpu(3)}) {
            String name = PrefixBenchmark.Args.deviceName(device);
            assertThat(PrefixBenchmark.Args.parseDevice(name)).isEqualTo(device);
        }
    }

    @Test
    void tinyRunEndsTheConfigurationWithOneResultLine() throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            PrefixBenchmark.main(
                    new String[] {
                        "--prefix",
                        "12",
                        "--suffix",
                        "3",
                        "--group",
                        "2",
                        "--repeats",
                        "1",
                        "--warmup",
                        "1",
                        "--no-memory",
                        "--no-sampling"
                    });
        } finally {
            System.setOut(original);
        }
        List<String> lines = Arrays.asList(buffer.toString(StandardCharsets.UTF_8).split("\\R"));
        List<String> results = lines.stream().filter(l -> l.startsWith("RESULT")).toList();
        assertThat(results).hasSize(1);
        assertThat(results.get(0))
                .matches(
                        "RESULT prefix=12 suffix=3 group=2 plain_ms=\\d+\\.\\d packed_ms=\\d+\\.\\d"
                                + " speedup=\\d+\\.\\d\\d theory=\\d+\\.\\d\\d"
                                + " max_abs_diff=\\d\\.\\d\\de[-+]\\d\\d");
        // The packed layout computes the same log-probs.
        double diff = Double.parseDouble(results.get(0).replaceAll(".*max_abs_diff=", ""));
        assertThat(diff).isLessThan(1e-4);
    }
}
