package dev.grpo4j.prefix.layout;

import dev.grpo4j.core.util.Checks;
import java.util.Objects;

/**
 * Builds a {@link PrefixLayout}; {@code setX} values are required, {@code optX} values optional.
 *
 * <p>The inputs mirror Prefix Grouper's: B prompts, the group sizes {@code G_j}, and the N
 * completions of all groups, group by group (group 0's completions first). {@link #build()}
 * rejects, with a message naming the offending value: an empty prompt or completion, group sizes
 * that do not match the prompts or the completions (including a group of size 0), token ids outside
 * {@code [0, vocabSize)}, and any prompt plus completion whose positions would reach the model's
 * maximum length.
 */
public final class PrefixLayoutBuilder {

    private int[][] prompts;
    private int[] groupSizes;
    private int[][] completions;
    private int maxLength = Integer.MAX_VALUE;
    private int vocabSize = Integer.MAX_VALUE;

    PrefixLayoutBuilder() {}

    /**
     * Sets the B prompts (required, each non-empty).
     *
     * @param prompts one token-id array per group
     * @return this builder
     */
    public PrefixLayoutBuilder setPrompts(int[]... prompts) {
        this.prompts = Objects.requireNonNull(prompts, "prompts");
        return this;
    }

    /**
     * Sets the number of completions of each group (required, one entry per prompt, each {@code >=
     * 1}).
     *
     * @param groupSizes G_j for each group j
     * @return this builder
     */
    public PrefixLayoutBuilder setGroupSizes(int... groupSizes) {
        this.groupSizes = Objects.requireNonNull(groupSizes, "groupSizes");
        return this;
    }

    /**
     * Sets the N completions, group by group (required, each non-empty).
     *
     * @param completions one token-id array per completion
     * @return this builder
     */
    public PrefixLayoutBuilder setCompletions(int[]... completions) {
        this.completions = Objects.requireNonNull(completions, "completions");
        return this;
    }

    /**
     * Sets the model's maximum sequence length: every {@code Lp_j + Ls_i} must be at most this, so
     * that every position id is below it. Unlimited by default.
     *
     * @param maxLength the maximum length in tokens, {@code > 0}
     * @return this builder
     */
    public PrefixLayoutBuilder optMaxLength(int maxLength) {
        this.maxLength = Checks.positive("maxLength", maxLength);
        return this;
    }

    /**
     * Sets the vocabulary size V: every token id must lie in {@code [0, V)}. Unlimited by default
     * (ids must still be non-negative).
     *
     * @param vocabSize V, {@code > 0}
     * @return this builder
     */
    public PrefixLayoutBuilder optVocabSize(int vocabSize) {
        this.vocabSize = Checks.positive("vocabSize", vocabSize);
        return this;
    }

    /**
     * Validates and builds.
     *
     * @return the layout
     * @throws IllegalArgumentException naming the offending value if anything is invalid
     */
    public PrefixLayout build() {
        Checks.require(prompts != null, "prompts are required");
        Checks.require(groupSizes != null, "group sizes are required");
        Checks.require(completions != null, "completions are required");
        Checks.require(prompts.length > 0, "a prefix layout needs at least one prompt");
        Checks.require(
                groupSizes.length == prompts.length,
                "%d group sizes were given for %d prompts",
                groupSizes.length,
                prompts.length);
        long total = 0;
        for (int j = 0; j < groupSizes.length; j++) {
            Checks.require(
                    groupSizes[j] >= 1,
                    "group %d declares %d completions; every prompt needs at least one",
                    j,
                    groupSizes[j]);
            total += groupSizes[j];
        }
        Checks.require(
                total == completions.length,
                "the group sizes sum to %d but %d completions were given",
                total,
                completions.length);
        int i = 0;
        for (int j = 0; j < prompts.length; j++) {
            int[] prompt = Objects.requireNonNull(prompts[j], "prompt " + j + " is null");
            Checks.require(prompt.length > 0, "prompt %d is empty", j);
            Checks.require(
                    prompt.length <= maxLength,
                    "prompt %d has %d tokens, more than the maximum length %d",
                    j,
                    prompt.length,
                    maxLength);
            checkVocabulary(prompt, "prompt " + j);
            for (int g = 0; g < groupSizes[j]; g++, i++) {
                int[] completion =
                        Objects.requireNonNull(completions[i], "completion " + i + " is null");
                Checks.require(
                        completion.length > 0,
                        "completion %d (group %d) is empty; every completion needs at least one"
                                + " token",
                        i,
                        j);
                Checks.require(
                        (long) prompt.length + completion.length <= maxLength,
                        "prompt %d (%d tokens) plus completion %d (%d tokens) reaches position %d,"
                                + " but the maximum length is %d",
                        j,
                        prompt.length,
                        i,
                        completion.length,
                        prompt.length + completion.length - 1,
                        maxLength);
                checkVocabulary(completion, "completion " + i);
            }
        }
        return new PrefixLayout(prompts, groupSizes, completions);
    }

    private void checkVocabulary(int[] ids, String what) {
        for (int t = 0; t < ids.length; t++) {
            if (ids[t] < 0 || ids[t] >= vocabSize) {
                throw new IllegalArgumentException(
                        vocabSize == Integer.MAX_VALUE
                                ? String.format("%s token %d has negative id %d", what, t, ids[t])
                                : String.format(
                                        "%s token %d has id %d, outside the vocabulary [0, %d)",
                                        what, t, ids[t], vocabSize));
            }
        }
    }
}
