package dev.grpo4j.examples.spo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grpo4j.core.reward.Completion;
import dev.grpo4j.core.rollout.Prompt;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RecallTasksTest {

    private static final RecallTasks LOOKUP = new RecallTasks(6, 4, RecallTasks.Rule.LOOKUP);
    private static final RecallTasks COPY = new RecallTasks(6, 4, RecallTasks.Rule.COPY);
    private static final int[] KEY = {7, 1, 4, 0, 9, 2};

    @Test
    void vocabularyHasDigitsLevelMarkersAndEquals() {
        assertThat(LOOKUP.vocabSize()).isEqualTo(15);
        assertThat(LOOKUP.levelToken(1)).isEqualTo(10);
        assertThat(LOOKUP.levelToken(4)).isEqualTo(13);
        assertThat(LOOKUP.equalsToken()).isEqualTo(14);
        assertThat(LOOKUP.promptLength()).isEqualTo(8);
        assertThat(LOOKUP.completionLength()).isEqualTo(4);
    }

    @Test
    void promptIsLevelMarkerKeyAndEquals() {
        Prompt p = COPY.prompt(KEY, 3);
        assertThat(p.ids()).containsExactly(12, 7, 1, 4, 0, 9, 2, 14);
        assertThat(p.key()).isEqualTo("L3:714092");
        assertThat(p.text()).isEqualTo("L3 7 1 4 0 9 2 =");
        assertThat(RecallTasks.level(p)).isEqualTo(3);
    }

    @Test
    void copyCodeIsTheFirstDigitsOfTheKey() {
        assertThat(COPY.answer(KEY, 1)).containsExactly(7);
        assertThat(COPY.answer(KEY, 3)).containsExactly(7, 1, 4);
        assertThat(RecallTasks.answer(COPY.prompt(KEY, 4))).containsExactly(7, 1, 4, 0);
    }

    @Test
    void lookupCodeIsFixedPerKeyAndLevelsShareItsPrefix() {
        int[] four = LOOKUP.answer(KEY, 4);
        assertThat(new RecallTasks(6, 4, RecallTasks.Rule.LOOKUP).answer(KEY.clone(), 4))
                .containsExactly(four);
        for (int d = 1; d <= 4; d++) {
            int[] code = LOOKUP.answer(KEY, d);
            assertThat(code).hasSize(d);
            for (int t = 0; t < d; t++) {
                assertThat(code[t]).isEqualTo(four[t]).isBetween(0, 9);
            }
        }
    }

    @Test
    void lookupCodesLookUniformAndIndependentOfTheKeysDigits() {
        // 20,000 random keys: every code digit should appear about 10% of the time at every
        // position, and the first code digit should not follow the key's first digit.
        SplittableRandom random = new SplittableRandom(3);
        int n = 20_000;
        int[][] counts = new int[4][10];
        int sameAsKey = 0;
        for (int i = 0; i < n; i++) {
            int[] key = new int[6];
            for (int j = 0; j < 6; j++) {
                key[j] = random.nextInt(10);
            }
            int[] code = LOOKUP.answer(key, 4);
            for (int t = 0; t < 4; t++) {
                counts[t][code[t]]++;
            }
            sameAsKey += code[0] == key[0] ? 1 : 0;
        }
        for (int t = 0; t < 4; t++) {
            for (int digit = 0; digit < 10; digit++) {
                // Binomial(20000, 0.1): sd 42; 5 sd either side.
                assertThat(counts[t][digit])
                        .as("position %d digit %d", t, digit)
                        .isBetween(1790, 2210);
            }
        }
        assertThat(sameAsKey).isBetween(1790, 2210);
    }

    @Test
    void exactlyOneCodeOfEachLengthIsRewarded() {
        // The difficulty of level d: one of the 10^d digit strings of length d solves it, so a
        // uniform guesser over digits succeeds with probability 10^-d.
        for (RecallTasks tasks : List.of(LOOKUP, COPY)) {
            for (int d = 1; d <= 3; d++) {
                Prompt p = tasks.prompt(KEY, d);
                int solved = 0;
                int strings = (int) Math.pow(10, d);
                for (int s = 0; s < strings; s++) {
                    int[] completion = new int[4];
                    int v = s;
                    for (int t = d - 1; t >= 0; t--) {
                        completion[t] = v % 10;
                        v /= 10;
                    }
                    solved += RecallTasks.solves(p, completion) ? 1 : 0;
                }
                assertThat(solved).as("%s level %d", tasks.rule(), d).isEqualTo(1);
            }
        }
    }

    @Test
    void rewardReadsOnlyTheFirstLevelTokens() {
        Prompt p = COPY.prompt(KEY, 2);
        assertThat(score(p, 7, 1, 0, 0)).isEqualTo(1.0);
        assertThat(score(p, 7, 1, 14, 12)).isEqualTo(1.0);
        assertThat(score(p, 7, 2, 0, 0)).isEqualTo(0.0);
        assertThat(score(p, 1, 7, 0, 0)).isEqualTo(0.0);
        assertThat(score(p, 7)).isEqualTo(0.0);
        assertThat(RecallTasks.reward().name()).isEqualTo("recall");
    }

    private static double score(Prompt p, int... completion) {
        return RecallTasks.reward().score(new Completion(p, completion, "", false, 0));
    }

    @Test
    void poolHasTheRequestedDistinctPromptsPerLevelInLevelOrder() {
        List<Prompt> pool = LOOKUP.pool(new int[] {5, 0, 3, 2}, new SplittableRandom(1));
        assertThat(pool).hasSize(10);
        assertThat(pool.stream().map(RecallTasks::level).toList())
                .containsExactly(1, 1, 1, 1, 1, 3, 3, 3, 4, 4);
        Set<String> keys = new HashSet<>();
        pool.forEach(p -> keys.add(p.key()));
        assertThat(keys).hasSize(10);
        assertThat(LOOKUP.pool(new int[] {5, 0, 3, 2}, new SplittableRandom(1))).isEqualTo(pool);
    }

    @Test
    void textNamesEveryToken() {
        assertThat(LOOKUP.text(new int[] {13, 0, 9, 14, 15})).isEqualTo("L4 0 9 = <15>");
    }

    @Test
    void badArgumentsAreRejectedWithTheValue() {
        assertThatThrownBy(() -> LOOKUP.answer(KEY, 5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("level must lie in 1..4 but was 5");
        assertThatThrownBy(() -> LOOKUP.answer(new int[] {1, 2, 3}, 1))
                .hasMessageContaining("a key has 6 digits but got 3");
        assertThatThrownBy(() -> LOOKUP.answer(new int[] {1, 2, 3, 12, 0, 0}, 1))
                .hasMessageContaining("key digit 3 is 12");
        assertThatThrownBy(() -> new RecallTasks(3, 4, RecallTasks.Rule.COPY))
                .hasMessageContaining("at least maxLevel = 4 digits but length was 3");
        assertThatThrownBy(() -> LOOKUP.pool(new int[] {1, 1}, new SplittableRandom(1)))
                .hasMessageContaining("one count per level (4) but got 2");
        assertThatThrownBy(() -> RecallTasks.Rule.fromName("sum"))
                .hasMessageContaining("unknown task rule 'sum'");
        assertThat(RecallTasks.Rule.fromName(" Copy ")).isEqualTo(RecallTasks.Rule.COPY);
    }
}
