package dev.grpo4j.examples.rank;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads a generated completion as a ranked list: the tokens before the first EOS, split at the
 * separators. An entry is an item only when it is exactly one item token; anything else (an empty
 * entry, two tokens, a special token) is {@link #NOT_AN_ITEM}. A separator right before EOS (or at
 * the end of a truncated completion) opens no entry, as in Rank-GRPO's token-to-rank mapping.
 *
 * <pre>
 *   i3 | i7 | i7 $     -> [3, 7, 7]
 *   i3 i4 | | i9 | $   -> [NOT_AN_ITEM, NOT_AN_ITEM, 9]
 * </pre>
 */
public final class RankedList {

    /** The entry value of something that is not a single item token. */
    public static final int NOT_AN_ITEM = -1;

    private RankedList() {}

    /**
     * Parses a completion.
     *
     * @param catalog the catalog that defines the item, separator and EOS tokens
     * @param ids the completion's token ids
     * @return the entries, top rank first: an item id or {@link #NOT_AN_ITEM}
     */
    public static int[] entries(Catalog catalog, int[] ids) {
        List<Integer> entries = new ArrayList<>();
        int start = 0;
        int end = ids.length;
        for (int t = 0; t < ids.length; t++) {
            if (ids[t] == catalog.eos()) {
                end = t;
                break;
            }
        }
        for (int t = 0; t <= end; t++) {
            boolean boundary = t == end || ids[t] == catalog.separator();
            if (!boundary) {
                continue;
            }
            if (t == end && start == end) {
                break; // an empty list, or a trailing separator, which opens no entry
            }
            boolean single = t - start == 1 && catalog.isItem(ids[start]);
            entries.add(single ? ids[start] : NOT_AN_ITEM);
            start = t + 1;
        }
        return entries.stream().mapToInt(Integer::intValue).toArray();
    }
}
