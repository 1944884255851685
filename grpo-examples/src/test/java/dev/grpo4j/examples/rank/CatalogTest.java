package dev.grpo4j.examples.rank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CatalogTest {

    @Test
    void specialTokensFollowTheItems() {
        Catalog c = Catalog.create(3, 4, 1);
        assertThat(c.itemCount()).isEqualTo(12);
        assertThat(c.separator()).isEqualTo(12);
        assertThat(c.eos()).isEqualTo(13);
        assertThat(c.historyStart()).isEqualTo(14);
        assertThat(c.request()).isEqualTo(15);
        assertThat(c.vocabSize()).isEqualTo(16);
        assertThat(c.isItem(0)).isTrue();
        assertThat(c.isItem(11)).isTrue();
        assertThat(c.isItem(12)).isFalse();
        assertThat(c.isItem(-1)).isFalse();
    }

    @Test
    void clustersPartitionTheItems() {
        Catalog c = Catalog.create(4, 5, 7);
        Set<Integer> seen = new HashSet<>();
        for (int k = 0; k < c.clusterCount(); k++) {
            int[] items = c.items(k);
            assertThat(items).hasSize(5);
            for (int item : items) {
                assertThat(seen.add(item)).as("item %d in two clusters", item).isTrue();
                assertThat(c.clusterOf(item)).isEqualTo(k);
            }
        }
        assertThat(seen).hasSize(20);
    }

    @Test
    void theSeedDecidesTheClusters() {
        assertThat(Catalog.create(4, 5, 7).items(0)).isEqualTo(Catalog.create(4, 5, 7).items(0));
        boolean differs = false;
        for (int k = 0; k < 4; k++) {
            differs |=
                    !java.util.Arrays.equals(
                            Catalog.create(4, 5, 7).items(k), Catalog.create(4, 5, 8).items(k));
        }
        assertThat(differs).isTrue();
    }

    @Test
    void tokensReadAsText() {
        Catalog c = Catalog.create(2, 2, 0);
        assertThat(
                        c.text(
                                new int[] {
                                    c.historyStart(), 3, c.request(), 1, c.separator(), 0, c.eos()
                                }))
                .isEqualTo("^ i3 ? i1 | i0 $");
    }

    @Test
    void rejectsTooSmallSizesNamingThem() {
        assertThatThrownBy(() -> Catalog.create(1, 4, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got 1");
        assertThatThrownBy(() -> Catalog.create(3, 1, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got 1");
        assertThatThrownBy(() -> Catalog.create(3, 3, 0).clusterOf(9))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("token 9");
    }
}
