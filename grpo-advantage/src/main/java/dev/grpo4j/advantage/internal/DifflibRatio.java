package dev.grpo4j.advantage.internal;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * The similarity ratio of Python's {@code difflib.SequenceMatcher(None, a, b).ratio()}, reproduced
 * exactly: {@code 2 * M / (len(a) + len(b))}, where M is the total size of the matching blocks that
 * difflib's recursive longest-match search finds (1.0 when both strings are empty).
 *
 * <p>Exact parity needs difflib's details, all kept here: strings are sequences of Unicode code
 * points (not UTF-16 units); the longest match prefers the earliest start in {@code a}, then in
 * {@code b}; and the auto-junk rule: when {@code b} has at least 200 elements, every element that
 * occurs more than {@code len(b) / 100 + 1} times in {@code b} is "popular" and cannot start or
 * extend a match in the search, though a found match may still grow over equal popular elements at
 * its ends. Because of that rule the ratio is not symmetric in a and b.
 *
 * <p>An instance holds the preprocessed {@code b} side and scratch space, so comparing many strings
 * against one representative is cheap; it is not thread-safe.
 */
public final class DifflibRatio {

    private static final int[] NONE = new int[0];

    private final int[] b;
    private final Map<Integer, int[]> b2j;
    private final String bText;
    private int[] prevLen;
    private int[] prevStamp;
    private int[] curLen;
    private int[] curStamp;
    private int stamp;

    /**
     * Prepares the {@code b} side.
     *
     * @param b the second sequence of {@code SequenceMatcher(None, a, b)}
     */
    public DifflibRatio(String b) {
        this.bText = b;
        this.b = b.codePoints().toArray();
        this.b2j = indexOf(this.b);
        this.prevLen = new int[this.b.length + 1];
        this.prevStamp = new int[this.b.length + 1];
        this.curLen = new int[this.b.length + 1];
        this.curStamp = new int[this.b.length + 1];
    }

    /**
     * {@code difflib.SequenceMatcher(None, a, b).ratio()}.
     *
     * @param a the first sequence
     * @param b the second sequence
     * @return the ratio in [0, 1]
     */
    public static double ratio(String a, String b) {
        return new DifflibRatio(b).ratio(a);
    }

    /**
     * An upper bound of the ratio from the lengths alone ({@code real_quick_ratio}): {@code 2 *
     * min(la, lb) / (la + lb)}.
     *
     * @param a the first sequence
     * @return the bound
     */
    public double upperBound(String a) {
        int la = a.codePointCount(0, a.length());
        int total = la + b.length;
        return total == 0 ? 1.0 : 2.0 * Math.min(la, b.length) / total;
    }

    /**
     * The ratio of {@code a} against this instance's {@code b}.
     *
     * @param a the first sequence
     * @return {@code SequenceMatcher(None, a, b).ratio()}
     */
    public double ratio(String a) {
        if (a.equals(bText)) {
            // The search walks the main diagonal of identical sequences, popular elements or not.
            return 1.0;
        }
        int[] x = a.codePoints().toArray();
        int total = x.length + b.length;
        if (total == 0) {
            return 1.0;
        }
        return 2.0 * matches(x) / total;
    }

    /** Sum of the sizes of difflib's matching blocks. */
    private int matches(int[] a) {
        int matched = 0;
        Deque<int[]> queue = new ArrayDeque<>();
        queue.push(new int[] {0, a.length, 0, b.length});
        int[] best = new int[3];
        while (!queue.isEmpty()) {
            int[] q = queue.pop();
            int alo = q[0];
            int ahi = q[1];
            int blo = q[2];
            int bhi = q[3];
            longestMatch(a, alo, ahi, blo, bhi, best);
            int i = best[0];
            int j = best[1];
            int k = best[2];
            if (k > 0) {
                matched += k;
                if (alo < i && blo < j) {
                    queue.push(new int[] {alo, i, blo, j});
                }
                if (i + k < ahi && j + k < bhi) {
                    queue.push(new int[] {i + k, ahi, j + k, bhi});
                }
            }
        }
        return matched;
    }

    /** difflib's find_longest_match with no junk function: writes (i, j, size) into {@code out}. */
    private void longestMatch(int[] a, int alo, int ahi, int blo, int bhi, int[] out) {
        int besti = alo;
        int bestj = blo;
        int bestSize = 0;
        // j2len of the previous a position: valid where prevStamp[j] == prevId.
        int prevId = nextStamp();
        for (int i = alo; i < ahi; i++) {
            int curId = nextStamp();
            for (int j : b2j.getOrDefault(a[i], NONE)) {
                if (j < blo) {
                    continue;
                }
                if (j >= bhi) {
                    break;
                }
                int k = (j > 0 && prevStamp[j - 1] == prevId ? prevLen[j - 1] : 0) + 1;
                curLen[j] = k;
                curStamp[j] = curId;
                if (k > bestSize) {
                    besti = i - k + 1;
                    bestj = j - k + 1;
                    bestSize = k;
                }
            }
            int[] t = prevLen;
            prevLen = curLen;
            curLen = t;
            t = prevStamp;
            prevStamp = curStamp;
            curStamp = t;
            prevId = curId;
        }
        // Grow the match over equal elements at both ends (popular ones included; none is junk).
        while (besti > alo && bestj > blo && a[besti - 1] == b[bestj - 1]) {
            besti--;
            bestj--;
            bestSize++;
        }
        while (besti + bestSize < ahi
                && bestj + bestSize < bhi
                && a[besti + bestSize] == b[bestj + bestSize]) {
            bestSize++;
        }
        out[0] = besti;
        out[1] = bestj;
        out[2] = bestSize;
    }

    private int nextStamp() {
        if (stamp == Integer.MAX_VALUE) {
            Arrays.fill(prevStamp, 0);
            Arrays.fill(curStamp, 0);
            stamp = 0;
        }
        return ++stamp;
    }

    /** Positions of each element of b, ascending, without the popular elements (auto-junk). */
    private static Map<Integer, int[]> indexOf(int[] b) {
        Map<Integer, Integer> counts = new HashMap<>();
        for (int e : b) {
            counts.merge(e, 1, Integer::sum);
        }
        int n = b.length;
        int popularAbove = n >= 200 ? n / 100 + 1 : Integer.MAX_VALUE;
        Map<Integer, int[]> index = new HashMap<>();
        Map<Integer, Integer> fill = new HashMap<>();
        for (Map.Entry<Integer, Integer> e : counts.entrySet()) {
            if (e.getValue() <= popularAbove) {
                index.put(e.getKey(), new int[e.getValue()]);
                fill.put(e.getKey(), 0);
            }
        }
        for (int j = 0; j < n; j++) {
            int[] positions = index.get(b[j]);
            if (positions != null) {
                int f = fill.get(b[j]);
                positions[f] = j;
                fill.put(b[j], f + 1);
            }
        }
        return index;
    }
}
