package dev.grpo4j.core.reward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grpo4j.core.rollout.Prompt;
import dev.grpo4j.core.rollout.Rollout;
import org.junit.jupiter.api.Test;

class CompletionTest {

    @Test
    void copiesIdsInAndOut() {
        int[] ids = {7, 8};
        Completion c = new Completion(Fixtures.PROMPT, ids, "x", false, 0);
        ids[0] = 99;
        c.ids()[1] = 99;
        assertThat(c.ids()).containsExactly(7, 8);
        assertThat(c.length()).isEqualTo(2);
    }

    @Test
    void nullTextReadsAsEmpty() {
        assertThat(new Completion(Fixtures.PROMPT, new int[0], null, false, 0).text()).isEmpty();
    }

    @Test
    void rejectsNegativeTokenIdNamingIt() {
        assertThatThrownBy(() -> new Completion(Fixtures.PROMPT, new int[] {3, -4}, "", false, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("completion 2 token 1")
                .hasMessageContaining("-4");
    }

    @Test
    void rejectsNegativeIndex() {
        assertThatThrownBy(() -> new Completion(Fixtures.PROMPT, new int[0], "", false, -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
    }

    @Test
    void ofRolloutCarriesIdsAndTruncatedFlag() {
        Rollout r =
                Rollout.builder()
                        .setPromptIds(1, 2, 3)
                        .setCompletionIds(4, 5)
                        .optTruncated(true)
                        .build();
        Completion c = Completion.of(Fixtures.PROMPT, r, "text", 6);
        assertThat(c.ids()).containsExactly(4, 5);
        assertThat(c.truncated()).isTrue();
        assertThat(c.index()).isEqualTo(6);
        assertThat(c.text()).isEqualTo("text");
    }

    @Test
    void ofRolloutRejectsOtherPrompt() {
        Rollout r = Rollout.builder().setPromptIds(9).setCompletionIds(4).build();
        assertThatThrownBy(() -> Completion.of(Prompt.of("p7", 1), r, "", 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rollout 3")
                .hasMessageContaining("'p7'");
    }
}
