package dev.grpo4j.core.reward;

import static dev.grpo4j.core.reward.Fixtures.answering;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ExactMatchRewardTest {

    private static final Pattern ANSWER_TAG =
            Pattern.compile("<answer>(.*?)</answer>", Pattern.DOTALL);

    @Test
    void matchesTrimmedTextAgainstMetadata() {
        ExactMatchReward r = ExactMatchReward.of("answer");
        assertThat(r.score(answering("42", "  42\n"))).isEqualTo(1.0);
        assertThat(r.score(answering("42", "43"))).isEqualTo(0.0);
        assertThat(r.name()).isEqualTo("exact_match");
    }

    @Test
    void comparesNonStringMetadataByItsText() {
        assertThat(ExactMatchReward.of("answer").score(answering(42, "42"))).isEqualTo(1.0);
    }

    @Test
    void caseMattersUnlessNormalized() {
        ExactMatchReward strict = ExactMatchReward.of("answer");
        ExactMatchReward lenient =
                ExactMatchReward.builder()
                        .setAnswerKey("answer")
                        .optNormalizer(ExactMatchReward.Normalization.IGNORE_CASE)
                        .build();
        assertThat(strict.score(answering("Paris", "paris"))).isEqualTo(0.0);
        assertThat(lenient.score(answering("Paris", "paris"))).isEqualTo(1.0);
    }

    @Test
    void whitespaceNormalizationCollapsesRuns() {
        ExactMatchReward r =
                ExactMatchReward.builder()
                        .setAnswerKey("answer")
                        .optNormalizer(ExactMatchReward.Normalization.IGNORE_CASE_AND_SPACE)
                        .build();
        assertThat(r.score(answering("New York", " new \t york "))).isEqualTo(1.0);
        assertThat(r.score(answering("New York", "newyork"))).isEqualTo(0.0);
    }

    @Test
    void extractsTheLastMatchOfTheAnswerPattern() {
        ExactMatchReward r =
                ExactMatchReward.builder().setAnswerKey("answer").optExtract(ANSWER_TAG, 1).build();
        String text = "<think>maybe <answer>41</answer></think> so <answer> 42 </answer>";
        assertThat(r.score(answering("42", text))).isEqualTo(1.0);
        assertThat(r.score(answering("41", text))).isEqualTo(0.0);
    }

    @Test
    void missingAnswerPatternScoresZero() {
        ExactMatchReward r =
                ExactMatchReward.builder().setAnswerKey("answer").optExtract(ANSWER_TAG, 1).build();
        assertThat(r.score(answering("42", "42"))).isEqualTo(0.0);
    }

    @Test
    void missingMetadataKeyFailsNamingIt() {
        ExactMatchReward r = ExactMatchReward.of("solution");
        assertThatThrownBy(() -> r.score(answering("42", "42")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'solution'");
    }

    @Test
    void rejectsGroupMissingFromPattern() {
        assertThatThrownBy(
                        () ->
                                ExactMatchReward.builder()
                                        .setAnswerKey("answer")
                                        .optExtract(ANSWER_TAG, 2)
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("extract group 2 does not exist")
                .hasMessageContaining("1 groups");
    }

    @Test
    void rejectsMissingAnswerKey() {
        assertThatThrownBy(() -> ExactMatchReward.builder().build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'null'");
    }

    @Test
    void optNameRenames() {
        assertThat(ExactMatchReward.builder().setAnswerKey("answer").optName("acc").build().name())
                .isEqualTo("acc");
    }
}
