package dev.grpo4j.core.reward;

import dev.grpo4j.core.util.Checks;
import java.util.Locale;
import java.util.Objects;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Exact-match accuracy against a reference answer stored in the prompt's metadata.
 *
 * <p>Formula: {@code R = 1.0 if norm(answer(text)) equals norm(reference) else 0.0}, where
 *
 * <ul>
 *   <li>{@code reference} is {@code prompt.get(answerKey).toString()}; a prompt without that key
 *       makes the call fail (an {@link IllegalArgumentException} that the evaluator reports as a
 *       {@link RewardException}), since a missing reference is a data bug, not an "inapplicable"
 *       reward;
 *   <li>{@code answer(text)} is the whole completion text, or, with {@link
 *       Builder#optExtract(Pattern, int)}, the given group of the <em>last</em> match of the
 *       pattern in the text (final answers come last; earlier matches are usually reasoning). If
 *       the pattern does not occur, R = 0.0;
 *   <li>{@code norm} trims surrounding whitespace and then applies the normalizer ({@link
 *       Normalization#NONE} by default).
 * </ul>
 *
 * <pre>{@code
 * RewardFunction accuracy = ExactMatchReward.builder()
 *         .setAnswerKey("answer")
 *         .optExtract(Pattern.compile("<answer>(.*?)</answer>", Pattern.DOTALL), 1)
 *         .optNormalizer(ExactMatchReward.Normalization.IGNORE_CASE_AND_SPACE)
 *         .build();
 * }</pre>
 */
public final class ExactMatchReward implements RewardFunction {

    /** Ready-made normalizers; any {@code UnaryOperator<String>} may be used instead. */
    public enum Normalization implements UnaryOperator<String> {
        /** Compare the trimmed strings as they are. */
        NONE {
            @Override
            public String apply(String s) {
                return s;
            }
        },
        /** Compare case-insensitively (lower-cased in the root locale). */
        IGNORE_CASE {
            @Override
            public String apply(String s) {
                return s.toLowerCase(Locale.ROOT);
            }
        },
        /** Compare case-insensitively with every run of whitespace collapsed to one space. */
        IGNORE_CASE_AND_SPACE {
            @Override
            public String apply(String s) {
                return WHITESPACE.matcher(s.toLowerCase(Locale.ROOT)).replaceAll(" ");
            }
        };

        private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    }

    private final String name;
    private final String answerKey;
    private final Pattern extract;
    private final int group;
    private final UnaryOperator<String> normalizer;

    private ExactMatchReward(Builder b) {
        this.name = b.name;
        this.answerKey = b.answerKey;
        this.extract = b.extract;
        this.group = b.group;
        this.normalizer = b.normalizer;
    }

    /**
     * Starts a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Exact match of the whole trimmed text against {@code prompt.get(answerKey)}.
     *
     * @param answerKey the metadata key of the reference answer
     * @return the reward
     */
    public static ExactMatchReward of(String answerKey) {
        return builder().setAnswerKey(answerKey).build();
    }

    @Override
    public double score(Completion completion) {
        String reference = normalize(completion.prompt().get(answerKey).toString());
        String answer = completion.text();
        if (extract != null) {
            answer = lastMatch(answer);
            if (answer == null) {
                return 0.0;
            }
        }
        return normalize(answer).equals(reference) ? 1.0 : 0.0;
    }

    private String lastMatch(String text) {
        Matcher m = extract.matcher(text);
        String last = null;
        while (m.find()) {
            String g = m.group(group);
            // A group that did not take part in the match reads as the empty answer.
            last = g == null ? "" : g;
        }
        return last;
    }

    private String normalize(String s) {
        return Objects.requireNonNull(normalizer.apply(s.strip()), "normalizer returned null");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return "ExactMatchReward{" + name + ", key=" + answerKey + '}';
    }

    /** Builds an {@link ExactMatchReward}; only the answer key is required. */
    public static final class Builder {
        private String name = "exact_match";
        private String answerKey;
        private Pattern extract;
        private int group;
        private UnaryOperator<String> normalizer = Normalization.NONE;

        private Builder() {}

        /**
         * Sets the prompt metadata key that holds the reference answer (required).
         *
         * @param answerKey the key, e.g. {@code "answer"}
         * @return this builder
         */
        public Builder setAnswerKey(String answerKey) {
            this.answerKey = Objects.requireNonNull(answerKey, "answerKey");
            return this;
        }

        /**
         * Compares only the answer extracted from the text: group {@code group} of the last match
         * of {@code pattern}.
         *
         * @param pattern the pattern to find
         * @param group the capturing group holding the answer (0 = the whole match)
         * @return this builder
         */
        public Builder optExtract(Pattern pattern, int group) {
            this.extract = Objects.requireNonNull(pattern, "pattern");
            this.group = group;
            return this;
        }

        /**
         * Sets how both strings are normalized after trimming (default {@link Normalization#NONE}).
         *
         * @param normalizer the normalizer, e.g. {@link Normalization#IGNORE_CASE}
         * @return this builder
         */
        public Builder optNormalizer(UnaryOperator<String> normalizer) {
            this.normalizer = Objects.requireNonNull(normalizer, "normalizer");
            return this;
        }

        /**
         * Sets the name used in metrics (default {@code exact_match}).
         *
         * @param name the name, not blank
         * @return this builder
         */
        public Builder optName(String name) {
            this.name = RewardNames.check(name);
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the reward
         * @throws IllegalArgumentException if the key is missing or blank, or the group does not
         *     exist in the pattern
         */
        public ExactMatchReward build() {
            Checks.require(
                    answerKey != null && !answerKey.isBlank(),
                    "exact match needs the metadata key of the reference answer but it was '%s'",
                    answerKey);
            if (extract != null) {
                int groups = extract.matcher("").groupCount();
                Checks.require(
                        group >= 0 && group <= groups,
                        "extract group %d does not exist: pattern '%s' has %d groups",
                        group,
                        extract.pattern(),
                        groups);
            }
            return new ExactMatchReward(this);
        }
    }
}
