package dev.grpo4j.examples.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SupportTest {

    @Test
    void parsesTheCommonOptionsAndDeclaredExtras() {
        ExampleOptions o =
                ExampleOptions.parse(
                        new String[] {"--steps", "7", "--seed", "3", "--out", "x", "--lr", "0.5"},
                        "Demo",
                        Path.of("runs"),
                        100,
                        10,
                        Set.of("lr"));
        assertThat(o.steps()).isEqualTo(7);
        assertThat(o.seed()).isEqualTo(3);
        assertThat(o.out()).isEqualTo(Path.of("x"));
        assertThat(o.quick()).isFalse();
        assertThat(o.number("lr", 1.0)).isEqualTo(0.5);
        assertThat(
                        ExampleOptions.parse(
                                        new String[] {"--quick"},
                                        "Demo",
                                        Path.of("r"),
                                        100,
                                        10,
                                        Set.of())
                                .steps())
                .isEqualTo(10);
    }

    @Test
    void rejectsUnknownOptionsWithTheUsage() {
        assertThatThrownBy(
                        () ->
                                ExampleOptions.parse(
                                        new String[] {"--stpes", "3"},
                                        "Demo",
                                        Path.of("r"),
                                        1,
                                        1,
                                        Set.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown option '--stpes'")
                .hasMessageContaining("usage: Demo");
    }

    @Test
    void finalLineAveragesTheLastWindowAndWritesCsvAndPng(@TempDir Path dir) throws Exception {
        ComparisonReport r = new ComparisonReport("success_rate", 2);
        for (int s = 1; s <= 4; s++) {
            r.add("gigpo", s, s / 4.0);
            r.add("grpo", s, s / 8.0);
        }
        assertThat(r.finalLine("gigpo", "grpo", 4, 12.34))
                .isEqualTo(
                        "FINAL method=0.8750 baseline=0.4375 metric=success_rate steps=4 seconds=12.3");
        r.write(dir, "curves", "demo", "step");
        assertThat(Files.readAllLines(dir.resolve("curves.csv")))
                .startsWith("series,x,success_rate", "gigpo,1.0,0.25")
                .hasSize(9);
        assertThat(Files.size(dir.resolve("curves.png"))).isGreaterThan(1000);
    }
}
