package dev.grpo4j.core.reward;

import dev.grpo4j.core.rollout.Prompt;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Small completions for the reward tests. */
final class Fixtures {

    static final Prompt PROMPT = Prompt.of("p", 1, 2, 3);

    private Fixtures() {}

    /** A completion of {@code length} tokens (ids 5, 6, ...) with the given text. */
    static Completion completion(int index, int length, String text) {
        int[] ids = new int[length];
        for (int t = 0; t < length; t++) {
            ids[t] = 5 + t;
        }
        return new Completion(PROMPT, ids, text, false, index);
    }

    /** A completion of a given length with empty text. */
    static Completion ofLength(int length) {
        return completion(0, length, "");
    }

    /** A completion whose prompt carries {@code answer} under the key "answer". */
    static Completion answering(Object answer, String text) {
        Prompt p = new Prompt("q", new int[] {1}, "What is 6 * 7?", Map.of("answer", answer));
        return new Completion(p, new int[] {9}, text, false, 0);
    }

    /** {@code b} completions, completion i having i + 1 tokens and text "c<i>". */
    static List<Completion> batch(int b) {
        List<Completion> list = new ArrayList<>();
        for (int i = 0; i < b; i++) {
            list.add(completion(i, i + 1, "c" + i));
        }
        return list;
    }
}
