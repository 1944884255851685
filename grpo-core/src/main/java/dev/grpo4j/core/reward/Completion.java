package dev.grpo4j.core.reward;

import dev.grpo4j.core.rollout.Prompt;
import dev.grpo4j.core.rollout.Rollout;
import dev.grpo4j.core.util.Checks;
import java.util.Arrays;
import java.util.Objects;

/**
 * What a {@link RewardFunction} scores: one sampled completion together with the prompt it answers.
 *
 * <p>The text is decoded by the caller (grpo4j does not own a tokenizer) and may be empty, for
 * example when a function only looks at token counts. Reward functions read reference data such as
 * the expected answer from {@link Prompt#metadata()}.
 *
 * <p>Truncated completions (cut off by the length limit, ALGORITHMS.md section 2) are scored like
 * any other and still enter the group statistics, even when the loss later masks them out; the
 * {@link #truncated()} flag lets a function treat them specially if it wants to.
 *
 * <p>Instances are immutable: the token ids are copied on the way in and on the way out.
 *
 * @param prompt the prompt this completion answers
 * @param ids the generated token ids (may be empty), including a final stop token if one was
 *     sampled
 * @param text the completion decoded to text, or the empty string
 * @param truncated true if generation stopped at the length limit rather than at a stop token
 * @param index this completion's row in the batch; errors name it
 */
public record Completion(Prompt prompt, int[] ids, String text, boolean truncated, int index) {

    /**
     * Validates and copies.
     *
     * @param prompt the prompt
     * @param ids the completion token ids
     * @param text the decoded text; null is read as the empty string
     * @param truncated the truncated flag
     * @param index the batch row
     * @throws IllegalArgumentException naming the value if an id or the index is negative
     */
    public Completion {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(ids, "ids");
        Checks.require(index >= 0, "completion index must be >= 0 but was %d", index);
        for (int t = 0; t < ids.length; t++) {
            Checks.require(
                    ids[t] >= 0, "completion %d token %d has negative id %d", index, t, ids[t]);
        }
        ids = ids.clone();
        text = text == null ? "" : text;
    }

    /**
     * Pairs a sampled rollout with its prompt and decoded text.
     *
     * @param prompt the prompt the rollout answers
     * @param rollout the rollout; its prompt ids must equal the prompt's
     * @param text the rollout's completion decoded to text (may be empty)
     * @param index the rollout's row in the batch
     * @return the completion, carrying the rollout's ids and truncated flag
     * @throws IllegalArgumentException if the rollout's prompt ids differ from the prompt's
     */
    public static Completion of(Prompt prompt, Rollout rollout, String text, int index) {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(rollout, "rollout");
        Checks.require(
                Arrays.equals(prompt.ids(), rollout.promptIds()),
                "rollout %d was sampled from other prompt ids than prompt '%s'",
                index,
                prompt.key());
        return new Completion(prompt, rollout.completionIds(), text, rollout.truncated(), index);
    }

    /**
     * The generated token ids.
     *
     * @return a copy of the ids
     */
    @Override
    public int[] ids() {
        return ids.clone();
    }

    /**
     * The number of completion tokens, |y| in the length-based rewards.
     *
     * @return the token count
     */
    public int length() {
        return ids.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Completion c
                && truncated == c.truncated
                && index == c.index
                && prompt.equals(c.prompt)
                && Arrays.equals(ids, c.ids)
                && text.equals(c.text);
    }

    @Override
    public int hashCode() {
        return Objects.hash(prompt, Arrays.hashCode(ids), text, truncated, index);
    }

    @Override
    public String toString() {
        return "Completion{index="
                + index
                + ", prompt="
                + prompt.key()
                + ", "
                + ids.length
                + " tokens"
                + (truncated ? ", truncated" : "")
                + '}';
    }
}
