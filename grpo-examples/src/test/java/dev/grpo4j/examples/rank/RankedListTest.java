package dev.grpo4j.examples.rank;

import static dev.grpo4j.examples.rank.RankedList.NOT_AN_ITEM;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RankedListTest {

    private final Catalog c = Catalog.create(2, 5, 0);
    private final int sep = c.separator();
    private final int eos = c.eos();

    @Test
    void splitsAtSeparatorsAndStopsAtEos() {
        assertThat(RankedList.entries(c, new int[] {3, sep, 7, sep, 7, eos, 1, sep, 2}))
                .containsExactly(3, 7, 7);
    }

    @Test
    void entriesThatAreNotOneItemTokenAreNotItems() {
        int[] ids = {3, 4, sep, sep, c.request(), sep, 9, sep, eos};
        assertThat(RankedList.entries(c, ids))
                .containsExactly(NOT_AN_ITEM, NOT_AN_ITEM, NOT_AN_ITEM, 9);
    }

    @Test
    void aTrailingSeparatorOpensNoEntry() {
        assertThat(RankedList.entries(c, new int[] {3, sep, 5, sep})).containsExactly(3, 5);
        assertThat(RankedList.entries(c, new int[] {sep, eos})).containsExactly(NOT_AN_ITEM);
    }

    @Test
    void emptyListsHaveNoEntries() {
        assertThat(RankedList.entries(c, new int[] {eos})).isEmpty();
        assertThat(RankedList.entries(c, new int[0])).isEmpty();
    }

    @Test
    void aTruncatedListKeepsItsLastEntry() {
        assertThat(RankedList.entries(c, new int[] {3, sep, 5})).containsExactly(3, 5);
    }
}
