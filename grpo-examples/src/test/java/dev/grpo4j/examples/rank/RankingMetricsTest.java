package dev.grpo4j.examples.rank;

import static dev.grpo4j.examples.rank.RankedList.NOT_AN_ITEM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class RankingMetricsTest {

    @Test
    void eachRelevantItemIsMatchedOnce() {
        double[] hits = RankingMetrics.hits(new int[] {4, 4, 2, 4}, List.of(2, 4, 8), 4);
        assertThat(hits).containsExactly(1, 0, 1, 0);
    }

    @Test
    void nonItemsAndIrrelevantItemsScoreZero() {
        double[] hits = RankingMetrics.hits(new int[] {NOT_AN_ITEM, 5, 8}, List.of(8), 3);
        assertThat(hits).containsExactly(0, 0, 1);
    }

    @Test
    void ranksPastTheListAndPastKScoreZeroOrAreCut() {
        assertThat(RankingMetrics.hits(new int[] {1}, List.of(1, 2), 3)).containsExactly(1, 0, 0);
        assertThat(RankingMetrics.hits(new int[] {3, 1, 2}, List.of(1, 2), 2))
                .containsExactly(0, 1);
    }

    @Test
    void ndcgOfHitsAtRanksOneAndThreeWithSixRelevant() {
        // DCG = 1 + 1/log2(4) = 1.5; IDCG = sum over ranks 1..6 = 3.3046663.
        assertThat(RankingMetrics.ndcg(new double[] {1, 0, 1, 0, 0, 0}, 6))
                .isCloseTo(0.4539036, within(1e-6));
    }

    @Test
    void ndcgIdealIsCutAtTheRelevantCount() {
        // DCG = 1/log2(3) + 1/log2(4) = 1.1309298; IDCG = 1 + 1/log2(3) = 1.6309298.
        assertThat(RankingMetrics.ndcg(new double[] {0, 1, 1, 0}, 2))
                .isCloseTo(0.6934264, within(1e-6));
        assertThat(RankingMetrics.ndcg(new double[] {1, 1, 0, 0}, 2)).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void recallIsTheShareOfRelevantItemsFound() {
        assertThat(RankingMetrics.recall(new double[] {1, 0, 1, 0, 0, 0}, 6))
                .isCloseTo(1.0 / 3, within(1e-12));
        assertThat(RankingMetrics.recall(new double[] {0, 1, 1, 0}, 2)).isEqualTo(1.0);
    }

    @Test
    void discountOfRankOneIsOne() {
        assertThat(RankingMetrics.discount(1)).isEqualTo(1.0);
        assertThat(RankingMetrics.discount(3)).isCloseTo(0.5, within(1e-12));
    }
}
