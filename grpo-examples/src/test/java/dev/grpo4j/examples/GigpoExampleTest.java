package dev.grpo4j.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.grpo4j.advantage.GigpoMode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GigpoExampleTest {

    @Test
    void aTinyQuickRunTrainsBothMethodsAndWritesTheFinalLineAndFiles(@TempDir Path dir)
            throws Exception {
        GigpoExample.Settings s =
                GigpoExample.Settings.parse(
                        "--quick",
                        "--steps",
                        "3",
                        "--tasks",
                        "2",
                        "--group",
                        "4",
                        "--turns",
                        "6",
                        "--out",
                        dir.toString());
        assertThat(s.quick()).isTrue();
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        GigpoExample.Result r =
                GigpoExample.run(s, new PrintStream(console, true, StandardCharsets.UTF_8));

        assertThat(r.finalLine())
                .matches(
                        "FINAL method=[01]\\.\\d{4} baseline=[01]\\.\\d{4} metric=success_rate"
                                + " steps=3 seconds=\\d+\\.\\d");
        assertThat(r.gigpo()).isBetween(0.0, 1.0);
        assertThat(r.grpo()).isBetween(0.0, 1.0);
        assertThat(console.toString(StandardCharsets.UTF_8))
                .contains("gigpo step    1", "grpo  step    1");
        // 3 steps evaluate after every step: a header and 4 evaluations (0 to 3) of each method.
        assertThat(dir.resolve("success_rate.png")).isNotEmptyFile();
        assertThat(Files.readAllLines(dir.resolve("success_rate.csv"))).hasSize(9);
        for (String stem : new String[] {"train_success_rate", "wasted_turns"}) {
            assertThat(dir.resolve(stem + ".png")).isNotEmptyFile();
            // A header and 3 steps for each of the two methods.
            assertThat(Files.readAllLines(dir.resolve(stem + ".csv"))).hasSize(7);
        }
        // Both runs start from the same weights and meet the same held-out test.
        Matcher initial =
                Pattern.compile("(gigpo|grpo) +step +0  held-out success (\\S+)")
                        .matcher(console.toString(StandardCharsets.UTF_8));
        List<String> initialRates = new ArrayList<>();
        while (initial.find()) {
            initialRates.add(initial.group(2));
        }
        assertThat(initialRates).hasSize(2);
        assertThat(initialRates.get(1)).isEqualTo(initialRates.get(0));
        assertThat(Double.parseDouble(initialRates.get(0))).isCloseTo(r.initial(), within(5e-4));
        for (String run : new String[] {"gigpo", "grpo"}) {
            assertThat(Files.readAllLines(dir.resolve(run).resolve("metrics.jsonl")))
                    .hasSize(3)
                    .allSatisfy(
                            line ->
                                    assertThat(line)
                                            .contains("\"reward\"", "\"episode/mean_turns\""));
        }
    }

    /** The CI run: {@code --quick} exactly as a user types it (60 steps of each method). */
    @Test
    void theQuickRunImprovesOnTheInitialPolicy(@TempDir Path dir) {
        GigpoExample.Settings s = GigpoExample.Settings.parse("--quick", "--out", dir.toString());
        assertThat(s.steps()).isEqualTo(GigpoExample.QUICK_STEPS);
        GigpoExample.Result r =
                GigpoExample.run(
                        s,
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

        assertThat(r.improved())
                .as(
                        "GiGPO's held-out success %.3f against the initial %.3f",
                        r.gigpo(), r.initial())
                .isTrue();
        assertThat(r.finalLine()).startsWith("FINAL method=").contains(" steps=60 ");
    }

    @Test
    void theQuickCheckDemandsAGainOfATenthOverTheInitialPolicy() {
        assertThat(new GigpoExample.Result("", 0.35, 0.1, 0.2).improved()).isTrue();
        assertThat(new GigpoExample.Result("", 0.25, 0.9, 0.2).improved()).isFalse();
    }

    @Test
    void theDefaultsAndTheOptionsAreParsed() {
        GigpoExample.Settings d = GigpoExample.Settings.parse();
        assertThat(d.steps()).isEqualTo(GigpoExample.FULL_STEPS);
        assertThat(d.seed()).isEqualTo(42);
        assertThat(d.tasksPerStep()).isEqualTo(8);
        assertThat(d.group()).isEqualTo(8);
        assertThat(d.turnLimit()).isEqualTo(16);
        assertThat(d.learningRate()).isEqualTo(1e-3);
        assertThat(d.mode()).isEqualTo(GigpoMode.MEAN_NORM);
        assertThat(d.evalEvery()).isEqualTo(20);
        assertThat(GigpoExample.Settings.parse("--mode", "mean_std_norm").mode())
                .isEqualTo(GigpoMode.MEAN_STD_NORM);
        assertThatThrownBy(() -> GigpoExample.Settings.parse("--mode", "median"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'median'");
        assertThat(GigpoExample.Settings.parse("--quick").steps())
                .isEqualTo(GigpoExample.QUICK_STEPS);
        assertThatThrownBy(() -> GigpoExample.Settings.parse("--group", "2.5"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--group needs a positive integer but was 2.5");
    }

    @Test
    void theTrailingMeanAveragesUpToNPreviousValues() {
        double[] v = {1, 2, 3, 4};
        assertThat(GigpoExample.trailingMean(v, 0, 3)).isEqualTo(1.0);
        assertThat(GigpoExample.trailingMean(v, 1, 3)).isEqualTo(1.5);
        assertThat(GigpoExample.trailingMean(v, 3, 3)).isEqualTo(3.0);
    }

    @Test
    void onlyTheStepWeightSeparatesTheTwoEstimators() {
        assertThat(GigpoExample.Method.GIGPO.estimator(GigpoMode.MEAN_NORM).toString())
                .isEqualTo(
                        GigpoExample.Method.GRPO
                                .estimator(GigpoMode.MEAN_NORM)
                                .toString()
                                .replace("stepWeight=0.0", "stepWeight=1.0"));
    }
}
