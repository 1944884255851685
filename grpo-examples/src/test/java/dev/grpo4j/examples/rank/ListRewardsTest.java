package dev.grpo4j.examples.rank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.grpo4j.core.reward.Completion;
import dev.grpo4j.core.rollout.Prompt;
import org.junit.jupiter.api.Test;

class ListRewardsTest {

    private final Catalog c = Catalog.create(2, 5, 0);
    private final Prompt prompt =
            new User(new int[] {0}, new int[] {1, 2}, new int[] {3, 4, 6}).toPrompt(c);

    private Completion completion(int... ids) {
        return new Completion(prompt, ids, c.text(ids), false, 0);
    }

    @Test
    void hitsScoreEachRankRepeatsAndSeenItemsZero() {
        int sep = c.separator();
        // 4 hit, 4 repeat, 1 seen in the history, "3 3" not one item, 6 hit.
        Completion list = completion(4, sep, 4, sep, 1, sep, 3, 3, sep, 6, c.eos());
        assertThat(ListRewards.hits(c, 5).score(list)).containsExactly(1, 0, 0, 0, 1);
        assertThat(ListRewards.hits(c, 5).name()).isEqualTo("hits");
    }

    @Test
    void sequenceRewardsAreNdcgAndRecallOfTheHits() {
        int sep = c.separator();
        Completion list = completion(3, sep, 9, sep, 6, c.eos());
        // hits [1, 0, 1]: DCG 1.5, IDCG (3 relevant) = 1 + 0.6309298 + 0.5.
        assertThat(ListRewards.ndcg(c, 3).score(list)).isCloseTo(1.5 / 2.1309298, within(1e-6));
        assertThat(ListRewards.recall(c, 3).score(list)).isCloseTo(2.0 / 3, within(1e-12));
    }

    @Test
    void aPromptWithoutRelevantItemsIsReported() {
        Completion bare = new Completion(Prompt.of("bare", 1), new int[] {3}, "", false, 0);
        assertThatThrownBy(() -> ListRewards.ndcg(c, 3).score(bare))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("relevant");
    }
}
