package dev.grpo4j.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonParser;
import dev.grpo4j.examples.spo.CurveRecorder;
import dev.grpo4j.examples.support.ExampleOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Smoke test: the whole comparison at tiny sizes, its FINAL line and the files it writes. */
class SpoExampleTest {

    @TempDir Path out;

    private static SpoExample.Settings settings(String... argv) {
        return SpoExample.Settings.of(
                ExampleOptions.parse(
                        argv,
                        "SpoExample",
                        Path.of("unused"),
                        SpoExample.FULL_STEPS,
                        SpoExample.QUICK_STEPS,
                        SpoExample.EXTRA_OPTIONS));
    }

    @Test
    void tinyComparisonWritesCurvesMetricsAndTheFinalLine() throws IOException {
        SpoExample.Settings s =
                settings(
                        "--steps",
                        "10",
                        "--seed",
                        "3",
                        "--pool",
                        "4",
                        "--batch",
                        "16",
                        "--group",
                        "4",
                        "--offline-samples",
                        "2",
                        "--eval-every",
                        "4");
        assertThat(s.spoSteps()).isEqualTo(8);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        SpoExample.Result result =
                SpoExample.run(s, out, new PrintStream(log, true, StandardCharsets.UTF_8));

        String line = result.finalLine(s.steps());
        assertThat(line)
                .matches(
                        "FINAL method=\\d\\.\\d{4} baseline=\\d\\.\\d{4} metric=accuracy steps=10"
                                + " seconds=\\d+\\.\\d");
        assertThat(line)
                .contains(
                        String.format(
                                java.util.Locale.ROOT, "method=%.4f", result.spoFinalAccuracy()));

        for (String stem :
                List.of(
                        "accuracy",
                        "accuracy_by_level",
                        "heldout_accuracy",
                        "zero_advantage",
                        "samples_per_second")) {
            assertThat(out.resolve(stem + ".csv")).isRegularFile();
            assertThat(out.resolve(stem + ".png")).isRegularFile();
        }
        List<String> csv = Files.readAllLines(out.resolve("accuracy.csv"));
        assertThat(csv.get(0)).isEqualTo("series,x,accuracy");
        // SPO: initial point, the point after its 2 * 16 offline samples, evaluations at steps 4,
        // 8; GRPO: initial point and steps 4, 8, 10. Both end at the same sample count.
        assertThat(csv.stream().filter(l -> l.startsWith("spo,"))).hasSize(4);
        assertThat(csv.stream().filter(l -> l.startsWith("grpo,"))).hasSize(4);
        assertThat(result.spo().points().get(1).samples()).isEqualTo(32);
        assertThat(result.spo().points().get(3).samples()).isEqualTo(160);
        assertThat(result.grpo().points().get(3).samples()).isEqualTo(160);

        List<String> spoMetrics = Files.readAllLines(out.resolve("spo").resolve("metrics.jsonl"));
        List<String> grpoMetrics = Files.readAllLines(out.resolve("grpo").resolve("metrics.jsonl"));
        assertThat(spoMetrics).hasSize(8);
        assertThat(grpoMetrics).hasSize(10);
        assertThat(spoMetrics.get(7))
                .contains(
                        "\"eval/accuracy\"",
                        "\"adv/zero_share\"",
                        "\"spo/drift_mean\"",
                        "\"samples\":160.0");
        assertThat(grpoMetrics.get(9)).contains("\"eval/accuracy\"", "\"frac_reward_zero_std\"");

        for (CurveRecorder.Point p : result.spo().points().subList(2, 4)) {
            assertThat(p.zeroShare()).isBetween(0.0, 1.0);
            assertThat(p.trackerError()).isBetween(0.0, 1.0);
        }
        assertThat(result.spo().points().get(0).zeroShare()).isNaN();
        // GRPO's zero share is the share of samples in flat groups: with equal group sizes the
        // trainer's frac_reward_zero_std, averaged over the steps since the previous point.
        double flat = 0;
        for (int i = 0; i < 4; i++) {
            flat +=
                    JsonParser.parseString(grpoMetrics.get(i))
                            .getAsJsonObject()
                            .get("frac_reward_zero_std")
                            .getAsDouble();
        }
        assertThat(result.grpo().points().get(1).zeroShare()).isCloseTo(flat / 4, within(1e-12));
        for (CurveRecorder.Point p : result.grpo().points().subList(1, 4)) {
            assertThat(p.trackerError()).isNaN();
        }
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("spo  step", "grpo step");
    }

    /** The CI run: --quick must show SPO learning (the example's own assertion). */
    @Test
    void quickRunRaisesSpoAccuracyOverTheInitialPolicy() {
        SpoExample.Settings s = settings("--quick");
        SpoExample.Result result =
                SpoExample.run(
                        s,
                        out,
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

        assertThat(result.spoFinalAccuracy())
                .as("quick run: %s", result.finalLine(s.steps()))
                .isGreaterThanOrEqualTo(result.spoInitialAccuracy() + SpoExample.QUICK_MIN_GAIN);
        assertThat(result.finalLine(s.steps())).contains("steps=" + SpoExample.QUICK_STEPS + " ");
    }

    @Test
    void sharedBudgetLeavesSpoFewerStepsAndMustLeaveItSome() {
        SpoExample.Settings s = settings("--steps", "100", "--pool", "8", "--offline-samples", "4");
        // 32 prompts x 4 offline samples = 128 samples = 2 steps of 64.
        assertThat(s.offlineSampleCount()).isEqualTo(128);
        assertThat(s.spoSteps()).isEqualTo(98);
        assertThatThrownBy(() -> settings("--steps", "2", "--pool", "8", "--offline-samples", "4"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--steps 2 leaves SPO no training steps");
        assertThatThrownBy(() -> settings("--batch", "60", "--group", "8"))
                .hasMessageContaining("the batch a multiple of the group, but were 128, 60 and 8");
        assertThatThrownBy(() -> settings("--task", "sum"))
                .hasMessageContaining("unknown task rule 'sum'");
    }
}
