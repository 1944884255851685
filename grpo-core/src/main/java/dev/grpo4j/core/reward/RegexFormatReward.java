package dev.grpo4j.core.reward;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A format reward: {@code R = 1.0 if the completion text matches the pattern, else 0.0}.
 *
 * <p>How the pattern must match is the {@link MatchMode}: the whole text ({@link MatchMode#FULL},
 * the default), a prefix of it ({@link MatchMode#PREFIX}, Python's {@code re.match} as TRL's format
 * rewards use), or anywhere ({@link MatchMode#FIND}). Flags such as {@link Pattern#DOTALL} belong
 * to the pattern. The text is used as it is, without trimming.
 *
 * <pre>{@code
 * RewardFunction format = RegexFormatReward.of(
 *         Pattern.compile("<think>.*?</think>\\s*<answer>.*?</answer>", Pattern.DOTALL),
 *         RegexFormatReward.MatchMode.FULL);
 * }</pre>
 */
public final class RegexFormatReward implements RewardFunction {

    /** Which part of the text the pattern has to match. */
    public enum MatchMode {
        /** The whole text ({@link Matcher#matches()}). */
        FULL {
            @Override
            boolean test(Matcher m) {
                return m.matches();
            }
        },
        /** A prefix of the text ({@link Matcher#lookingAt()}, Python's {@code re.match}). */
        PREFIX {
            @Override
            boolean test(Matcher m) {
                return m.lookingAt();
            }
        },
        /** Anywhere in the text ({@link Matcher#find()}, Python's {@code re.search}). */
        FIND {
            @Override
            boolean test(Matcher m) {
                return m.find();
            }
        };

        abstract boolean test(Matcher m);
    }

    private final Pattern pattern;
    private final MatchMode mode;
    private final String name;

    private RegexFormatReward(Pattern pattern, MatchMode mode, String name) {
        this.pattern = Objects.requireNonNull(pattern, "pattern");
        this.mode = Objects.requireNonNull(mode, "mode");
        this.name = RewardNames.check(name);
    }

    /**
     * A format reward named {@code regex_format}.
     *
     * @param pattern the pattern, with its flags
     * @param mode how it must match
     * @return the reward
     */
    public static RegexFormatReward of(Pattern pattern, MatchMode mode) {
        return new RegexFormatReward(pattern, mode, "regex_format");
    }

    /**
     * A format reward whose whole text must match {@code regex} with {@link Pattern#DOTALL}, so
     * that {@code .} also spans line breaks, as a multi-line completion needs.
     *
     * @param regex the regular expression
     * @return the reward
     * @throws java.util.regex.PatternSyntaxException if the expression is invalid
     */
    public static RegexFormatReward of(String regex) {
        return of(Pattern.compile(regex, Pattern.DOTALL), MatchMode.FULL);
    }

    /**
     * The same reward under another name.
     *
     * @param newName the name used in metrics, not blank
     * @return the renamed reward
     */
    public RegexFormatReward withName(String newName) {
        return new RegexFormatReward(pattern, mode, newName);
    }

    @Override
    public double score(Completion completion) {
        return mode.test(pattern.matcher(completion.text())) ? 1.0 : 0.0;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return "RegexFormatReward{" + name + ", " + mode + " /" + pattern.pattern() + "/}";
    }
}
