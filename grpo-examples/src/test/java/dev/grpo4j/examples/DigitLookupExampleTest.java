package dev.grpo4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpo4j.core.reward.Completion;
import dev.grpo4j.core.rollout.Prompt;
import dev.grpo4j.examples.support.ExampleOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DigitLookupExampleTest {

    @Test
    void promptsMarkTwoDigitsAndAskForOne() {
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 200; i++) {
            Prompt p = DigitLookupExample.makePrompt(random, 20);
            int[] ids = p.ids();
            assertThat(ids).hasSize(22);
            assertThat(ids[0]).isEqualTo(DigitLookupExample.START);
            int bracketed = -1;
            int parenthesised = -1;
            for (int t = 1; t <= 20; t++) {
                if (ids[t] >= DigitLookupExample.BRACKETED
                        && ids[t] < DigitLookupExample.PARENTHESISED) {
                    bracketed = ids[t] - DigitLookupExample.BRACKETED;
                } else if (ids[t] >= DigitLookupExample.PARENTHESISED
                        && ids[t] < DigitLookupExample.START) {
                    parenthesised = ids[t] - DigitLookupExample.PARENTHESISED;
                } else {
                    assertThat(ids[t]).isBetween(0, 9);
                }
            }
            boolean asksBrackets = ids[21] == DigitLookupExample.ASK_BRACKETED;
            assertThat(p.get("answer")).isEqualTo(asksBrackets ? bracketed : parenthesised);
            assertThat(p.get("other")).isEqualTo(asksBrackets ? parenthesised : bracketed);
        }
    }

    @Test
    void rewardPaysTheAskedDigitAndPartlyTheOtherMark() {
        Prompt p = DigitLookupExample.makePrompt(new SplittableRandom(1), 16);
        int answer = (Integer) p.get("answer");
        int other = (Integer) p.get("other");
        int wrong = 0;
        while (wrong == answer || wrong == other) {
            wrong++;
        }
        assertThat(DigitLookupExample.answer(new Completion(p, new int[] {answer}, "", false, 0)))
                .isEqualTo(1.0);
        if (other != answer) {
            assertThat(
                            DigitLookupExample.answer(
                                    new Completion(p, new int[] {other}, "", false, 0)))
                    .isEqualTo(0.25);
        }
        assertThat(DigitLookupExample.answer(new Completion(p, new int[] {wrong}, "", false, 0)))
                .isEqualTo(0.0);
        assertThat(
                        DigitLookupExample.answer(
                                new Completion(
                                        p, new int[] {DigitLookupExample.START}, "", false, 0)))
                .isEqualTo(0.0);
    }

    /** The CI run of the flagship: --quick must show learning (the example's own assertion). */
    @Test
    void quickRunImprovesTheRewardAndWritesItsFiles(@TempDir Path out) {
        ExampleOptions options =
                ExampleOptions.parse(
                        new String[] {"--quick", "--out", out.toString()},
                        "DigitLookupExample",
                        out,
                        DigitLookupExample.FULL_STEPS,
                        DigitLookupExample.QUICK_STEPS,
                        java.util.Set.of());
        DigitLookupExample.Result result = DigitLookupExample.run(options, false);
        assertThat(result.steps()).isEqualTo(DigitLookupExample.QUICK_STEPS);
        assertThat(DigitLookupExample.improved(result))
                .as("quick run: %s", result.finalLine())
                .isTrue();
        assertThat(result.finalLine())
                .matches(
                        "FINAL reward=[0-9.]+ initial_reward=[0-9.]+ max_reward=[0-9.]+ steps=400"
                                + " seconds=[0-9.]+");
        assertThat(Files.exists(out.resolve("metrics.jsonl"))).isTrue();
        assertThat(Files.exists(out.resolve("reward.png"))).isTrue();
        assertThat(Files.exists(out.resolve("checkpoints/latest"))).isTrue();
    }
}
