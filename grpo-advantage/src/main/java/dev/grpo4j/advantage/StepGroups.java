package dev.grpo4j.advantage;

import dev.grpo4j.advantage.internal.AnchorKeys;
import dev.grpo4j.advantage.internal.DifflibRatio;
import dev.grpo4j.core.util.Checks;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * GiGPO's step groups: the rows of one task group that share an anchor state, numbered across the
 * batch in order of first appearance. Groups never span task groups.
 */
final class StepGroups {

    private StepGroups() {}

    /** Exact anchor identity within each group; ids in order of first appearance. */
    static int exact(TrajectoryBatch batch, int[] stepGroup) {
        int next = 0;
        int row = 0;
        for (int g = 0; g < batch.groups(); g++) {
            Map<Object, Integer> seen = new HashMap<>();
            for (int t = 0; t < batch.trajectoriesPerGroup()[g]; t++) {
                for (int s = 0; s < batch.lengthOf(g, t); s++, row++) {
                    Object key;
                    try {
                        key = AnchorKeys.canonical(batch.anchor(row));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException(where(g, t, s) + e.getMessage(), e);
                    }
                    Integer id = seen.putIfAbsent(key, next);
                    stepGroup[row] = id == null ? next++ : id;
                }
            }
        }
        return next;
    }

    /**
     * verl-agent's similarity clustering: in row order, a row joins the first cluster whose
     * representative (first member) has {@code ratio(row, representative) >= threshold}.
     */
    static int similar(TrajectoryBatch batch, double threshold, int[] stepGroup) {
        int next = 0;
        int row = 0;
        for (int g = 0; g < batch.groups(); g++) {
            List<DifflibRatio> representatives = new ArrayList<>();
            int first = next;
            for (int t = 0; t < batch.trajectoriesPerGroup()[g]; t++) {
                for (int s = 0; s < batch.lengthOf(g, t); s++, row++) {
                    Object anchor = batch.anchor(row);
                    Checks.require(
                            anchor != null,
                            "%sis null (every step needs an anchor state)",
                            where(g, t, s));
                    Checks.require(
                            anchor instanceof String,
                            "similarity grouping compares text, but the %sis a %s",
                            where(g, t, s),
                            anchor.getClass().getName());
                    String text = (String) anchor;
                    int id = -1;
                    for (int c = 0; c < representatives.size() && id < 0; c++) {
                        DifflibRatio rep = representatives.get(c);
                        if (rep.upperBound(text) >= threshold && rep.ratio(text) >= threshold) {
                            id = first + c;
                        }
                    }
                    if (id < 0) {
                        representatives.add(new DifflibRatio(text));
                        id = next++;
                    }
                    stepGroup[row] = id;
                }
            }
        }
        return next;
    }

    static String where(int g, int t, int s) {
        return "anchor state of group " + g + ", trajectory " + t + ", step " + s + " ";
    }
}
