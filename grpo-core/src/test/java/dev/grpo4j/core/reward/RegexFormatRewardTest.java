package dev.grpo4j.core.reward;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grpo4j.core.reward.RegexFormatReward.MatchMode;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class RegexFormatRewardTest {

    private static final Pattern TAGS = Pattern.compile("<think>.*?</think><answer>.*?</answer>");

    private static double score(RewardFunction f, String text) {
        return f.score(Fixtures.completion(0, 1, text));
    }

    @Test
    void fullModeNeedsTheWholeText() {
        RegexFormatReward r = RegexFormatReward.of(TAGS, MatchMode.FULL);
        assertThat(score(r, "<think>a</think><answer>b</answer>")).isEqualTo(1.0);
        assertThat(score(r, "<think>a</think><answer>b</answer> trailing")).isEqualTo(0.0);
    }

    @Test
    void prefixModeAllowsTrailingText() {
        RegexFormatReward r = RegexFormatReward.of(TAGS, MatchMode.PREFIX);
        assertThat(score(r, "<think>a</think><answer>b</answer> trailing")).isEqualTo(1.0);
        assertThat(score(r, "lead <think>a</think><answer>b</answer>")).isEqualTo(0.0);
    }

    @Test
    void findModeMatchesAnywhere() {
        RegexFormatReward r = RegexFormatReward.of(TAGS, MatchMode.FIND);
        assertThat(score(r, "lead <think>a</think><answer>b</answer> trailing")).isEqualTo(1.0);
        assertThat(score(r, "<answer>b</answer>")).isEqualTo(0.0);
    }

    @Test
    void stringFormSpansLineBreaks() {
        RegexFormatReward r = RegexFormatReward.of("<think>.*</think>");
        assertThat(score(r, "<think>line one\nline two</think>")).isEqualTo(1.0);
        assertThat(r.name()).isEqualTo("regex_format");
        assertThat(r.withName("format").name()).isEqualTo("format");
    }
}
