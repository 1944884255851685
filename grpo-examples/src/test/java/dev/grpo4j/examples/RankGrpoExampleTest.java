package dev.grpo4j.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grpo4j.examples.support.ExampleOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RankGrpoExampleTest {

    private static ExampleOptions options(String... argv) {
        return ExampleOptions.parse(
                argv,
                "RankGrpoExample",
                Path.of("unused"),
                RankGrpoExample.FULL_STEPS,
                RankGrpoExample.QUICK_STEPS,
                RankGrpoExample.Settings.OPTIONS);
    }

    @Test
    void tinyRunEndsWithTheFinalLineAndWritesCurvesAndMetrics(@TempDir Path out) throws Exception {
        RankGrpoExample.Result result =
                RankGrpoExample.run(
                        options(
                                "--steps",
                                "3",
                                "--seed",
                                "5",
                                "--out",
                                out.toString(),
                                "--k",
                                "3",
                                "--clusters",
                                "3",
                                "--cluster-size",
                                "4",
                                "--preferred",
                                "1",
                                "--seen",
                                "2",
                                "--group",
                                "2",
                                "--prompts",
                                "2",
                                "--eval-users",
                                "4",
                                "--eval-every",
                                "1"));

        assertThat(result.finalLine())
                .matches(
                        "FINAL method=\\d+\\.\\d{4} baseline=\\d+\\.\\d{4} metric=ndcg@3 steps=3"
                                + " seconds=\\d+\\.\\d");
        assertThat(result.method()).isBetween(0.0, 1.0);
        assertThat(result.baseline()).isBetween(0.0, 1.0);
        for (String metric : List.of("ndcg", "recall")) {
            List<String> csv = Files.readAllLines(out.resolve(metric + ".csv"));
            // Header, then steps 0..3 of each of the two runs.
            assertThat(csv).hasSize(9).first().isEqualTo("series,x," + metric + "@3");
            assertThat(csv).anyMatch(l -> l.startsWith("rank-grpo,0.0,"));
            assertThat(csv).anyMatch(l -> l.startsWith("grpo,3.0,"));
            assertThat(Files.size(out.resolve(metric + ".png"))).isGreaterThan(1000);
        }
        for (String run : List.of("rank-grpo", "grpo")) {
            List<String> lines = Files.readAllLines(out.resolve(run).resolve("metrics.jsonl"));
            assertThat(lines).hasSize(3);
            assertThat(lines.get(2)).contains("\"step\":3").contains("rewards/ndcg/mean");
        }
    }

    /** The CI run: --quick must show Rank-GRPO learning (the example's own assertion). */
    @Test
    void quickRunRaisesNdcgOverTheInitialPolicy(@TempDir Path out) {
        RankGrpoExample.Result result =
                RankGrpoExample.run(options("--quick", "--out", out.toString()));

        assertThat(result.method())
                .as("quick run: %s", result.finalLine())
                .isGreaterThanOrEqualTo(result.initial() + RankGrpoExample.QUICK_MIN_GAIN);
        assertThat(result.finalLine()).contains("steps=" + RankGrpoExample.QUICK_STEPS + " ");
    }

    @Test
    void rejectsBadOptionValuesNamingThem() {
        assertThatThrownBy(() -> RankGrpoExample.Settings.of(options("--rank-reward", "dcg")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'dcg'");
        assertThatThrownBy(() -> RankGrpoExample.Settings.of(options("--k", "0")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--k");
        assertThatThrownBy(() -> RankGrpoExample.Settings.of(options("--group", "2.5")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2.5");
    }
}
