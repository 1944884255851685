package dev.grpo4j.core.train.listener;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpo4j.core.train.StepMetrics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ListenersTest {

    private static StepMetrics step(long s, double reward) {
        return new StepMetrics(s, Map.of("reward", reward, "kl", reward / 100), 0.5);
    }

    @Test
    void jsonlWritesOneObjectPerStepAndDropsStepsAfterAResumePoint(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("metrics.jsonl");
        JsonlMetricsWriter writer = new JsonlMetricsWriter(file);
        writer.onTrainingStart(0, 4);
        for (int s = 1; s <= 4; s++) {
            writer.onStepEnd(step(s, s / 10.0));
        }
        writer.close();
        assertThat(Files.readAllLines(file)).hasSize(4);
        assertThat(Files.readAllLines(file).get(1))
                .contains("\"step\":2")
                .contains("\"reward\":0.2");

        JsonlMetricsWriter resumed = new JsonlMetricsWriter(file);
        resumed.onTrainingStart(2, 4);
        resumed.onStepEnd(step(3, 0.9));
        resumed.close();
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(2)).contains("\"step\":3").contains("\"reward\":0.9");
    }

    @Test
    void progressBarShowsCountEtaAndReward() {
        long[] now = {0};
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBar bar =
                new ProgressBar(
                        new PrintStream(bytes, true, StandardCharsets.UTF_8),
                        false,
                        5,
                        () -> now[0]);
        bar.onTrainingStart(0, 10);
        now[0] = 5_000_000_000L;
        bar.onStepEnd(step(5, 0.25));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out)
                .contains("[############............] 5/10 00:05<00:05 reward=0.250 kl=0.0025");
        bar.onStepEnd(step(6, 0.3));
        assertThat(bytes.toString(StandardCharsets.UTF_8).lines().count()).isEqualTo(1);
    }

    @Test
    void chartWriterProducesAPng(@TempDir Path dir) throws Exception {
        List<StepMetrics> history = new ArrayList<>();
        for (int s = 1; s <= 30; s++) {
            history.add(step(s, Math.min(1.0, s / 20.0)));
        }
        Path png = dir.resolve("charts/reward.png");
        new ChartWriter(png, "test run").onTrainingEnd(history);
        byte[] head = Files.readAllBytes(png);
        assertThat(head.length).isGreaterThan(1000);
        assertThat(new String(head, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
    }

    @Test
    void movingAverageUsesThePartialWindowAtTheStart() {
        assertThat(ChartWriter.movingAverage(List.of(1.0, 3.0, 5.0, 7.0), 2))
                .containsExactly(1.0, 2.0, 4.0, 6.0);
    }
}
