package dev.grpo4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpo4j.core.train.StepMetrics;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs the README's snippet, so it keeps compiling and learning. */
class QuickstartTest {

    @Test
    void theReadmeSnippetTrains() {
        List<StepMetrics> history = Quickstart.train(60);
        assertThat(history).hasSize(60);
        double first =
                history.subList(0, 5).stream()
                        .mapToDouble(m -> m.getOrDefault("reward", 0))
                        .average()
                        .orElseThrow();
        double last =
                history.subList(50, 60).stream()
                        .mapToDouble(m -> m.getOrDefault("reward", 0))
                        .average()
                        .orElseThrow();
        assertThat(last).as("reward of the last 10 steps vs the first 5").isGreaterThan(first);
    }
}
