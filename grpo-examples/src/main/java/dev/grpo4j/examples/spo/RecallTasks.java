package dev.grpo4j.examples.spo;

import dev.grpo4j.core.reward.Completion;
import dev.grpo4j.core.reward.RewardFunction;
import dev.grpo4j.core.rollout.Prompt;
import dev.grpo4j.core.util.Checks;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * A family of recall tasks whose difficulty is set by a level: a prompt shows a six-digit key and a
 * level {@code d}, and the answer is a {@code d}-digit code. The reward is 1 when the completion
 * starts with exactly that code, else 0.
 *
 * <pre>
 *   prompt:  L3 7 1 4 0 9 2 =        (level 3, key 714092)
 *   answer:  5 0 8                   (LOOKUP: the first three digits of the key's secret code)
 *            7 1 4                   (COPY: the first three digits of the key)
 * </pre>
 *
 * <p>Why this family. Exactly one of the {@code 10^d} digit strings of length {@code d} is right,
 * so a policy that gets each code digit right with probability q solves a level-{@code d} prompt
 * with probability about {@code q^d}: the levels spread a fixed pool from easy to hopeless. A
 * policy trained from scratch starts near {@code q = 0.1}, so level 1 is within reach at once,
 * level 2 (1 in 100) only by luck, and levels 3 and 4 (1 in 1,000 and 1 in 10,000) not at all. This
 * is the setting of SPO (ALGORITHMS.md section 4): many prompts are solved always or never, where a
 * GRPO group of G samples is all right or all wrong and teaches nothing.
 *
 * <p>Two {@link Rule}s say what the code is. Under {@link Rule#LOOKUP} (the default of the example)
 * every key has a fixed pseudo-random code that can only be memorised by trial and error, prompt by
 * prompt, so nothing learned on one key helps another: each prompt's difficulty is its own, which
 * is what SPO's per-prompt tracker models. Under {@link Rule#COPY} the code is the key's first
 * {@code d} digits, a rule that carries over between keys and levels.
 *
 * <p>Vocabulary: digits {@code 0..9} are tokens {@code 0..9}, the level markers {@code L1..Lk} are
 * tokens {@code 10..9+k}, and {@code =} is token {@code 10+k}. Every completion is {@link
 * #completionLength()} tokens long (no stop token); tokens after the first {@code d} are ignored by
 * the reward. Immutable and thread-safe.
 */
public final class RecallTasks {

    /** What a key's code is. */
    public enum Rule {
        /** A fixed pseudo-random code per key: a lookup table to memorise. */
        LOOKUP {
            @Override
            int codeDigit(int[] key, int position) {
                long k = 0;
                for (int digit : key) {
                    k = k * DIGITS + digit;
                }
                // SplitMix64's finaliser: every (key, position) pair gets an independent-looking
                // digit, and the same pair always gets the same one.
                long z = k * 0x9E3779B97F4A7C15L + (position + 1) * 0xBF58476D1CE4E5B9L;
                z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
                z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
                z ^= z >>> 31;
                return (int) Math.floorMod(z, (long) DIGITS);
            }
        },
        /** The key's own digits: a rule that carries over between keys. */
        COPY {
            @Override
            int codeDigit(int[] key, int position) {
                return key[position];
            }
        };

        /** Digit {@code position} of the key's code. */
        abstract int codeDigit(int[] key, int position);

        /**
         * The rule for a name, {@code lookup} or {@code copy} (any case).
         *
         * @param name the name
         * @return the rule
         * @throws IllegalArgumentException naming the unknown value
         */
        public static Rule fromName(String name) {
            for (Rule r : values()) {
                if (r.name().equalsIgnoreCase(name.trim())) {
                    return r;
                }
            }
            throw new IllegalArgumentException(
                    "unknown task rule '" + name + "'; use lookup or copy");
        }
    }

    /** Digit tokens are {@code 0..9}. */
    public static final int DIGITS = 10;

    private static final String LEVEL = "level";
    private static final String ANSWER = "answer";

    private final int length;
    private final int maxLevel;
    private final Rule rule;

    /**
     * Creates a task family.
     *
     * @param length how many digits a key has, {@code >= maxLevel} (the example uses 6)
     * @param maxLevel the hardest level, {@code >= 1}
     * @param rule what the codes are
     * @throws IllegalArgumentException if a size is out of range
     */
    public RecallTasks(int length, int maxLevel, Rule rule) {
        Checks.require(maxLevel >= 1, "the hardest level must be >= 1 but was %d", maxLevel);
        Checks.require(
                length >= maxLevel,
                "a key must have at least maxLevel = %d digits but length was %d",
                maxLevel,
                length);
        this.length = length;
        this.maxLevel = maxLevel;
        this.rule = Objects.requireNonNull(rule, "rule");
    }

    /**
     * The number of tokens the policy's vocabulary needs.
     *
     * @return {@code 11 + maxLevel}
     */
    public int vocabSize() {
        return DIGITS + maxLevel + 1;
    }

    /**
     * The token of level {@code d}'s marker.
     *
     * @param level the level, {@code 1..maxLevel}
     * @return the token
     */
    public int levelToken(int level) {
        checkLevel(level);
        return DIGITS + level - 1;
    }

    /**
     * The token {@code =} that ends every prompt.
     *
     * @return the token
     */
    public int equalsToken() {
        return DIGITS + maxLevel;
    }

    /**
     * The prompt length in tokens: the level marker, the key's digits and {@code =}.
     *
     * @return {@code length + 2}
     */
    public int promptLength() {
        return length + 2;
    }

    /**
     * The completion length in tokens: the longest answer.
     *
     * @return {@code maxLevel}
     */
    public int completionLength() {
        return maxLevel;
    }

    /**
     * The hardest level.
     *
     * @return {@code maxLevel}
     */
    public int maxLevel() {
        return maxLevel;
    }

    /**
     * What the codes are.
     *
     * @return the rule
     */
    public Rule rule() {
        return rule;
    }

    /**
     * The answer to a level-{@code d} prompt: the first {@code d} digits of the key's code.
     *
     * @param digits the key's digits, each in {@code 0..9}
     * @param level the level {@code d}
     * @return {@code d} digit tokens
     * @throws IllegalArgumentException for a key of the wrong length, a non-digit or a bad level
     */
    public int[] answer(int[] digits, int level) {
        checkLevel(level);
        Checks.require(
                digits.length == length, "a key has %d digits but got %d", length, digits.length);
        for (int i = 0; i < digits.length; i++) {
            Checks.require(
                    digits[i] >= 0 && digits[i] < DIGITS,
                    "key digit %d is %d, not in 0..9",
                    i,
                    digits[i]);
        }
        int[] out = new int[level];
        for (int t = 0; t < level; t++) {
            out[t] = rule.codeDigit(digits, t);
        }
        return out;
    }

    /**
     * Makes the prompt of a task, with its level and answer as metadata for the reward.
     *
     * @param digits the key's digits
     * @param level the level
     * @return the prompt; its key reads like {@code L3:714092}
     */
    public Prompt prompt(int[] digits, int level) {
        int[] answer = answer(digits, level);
        int[] ids = new int[promptLength()];
        ids[0] = levelToken(level);
        StringBuilder shown = new StringBuilder();
        for (int i = 0; i < length; i++) {
            ids[i + 1] = digits[i];
            shown.append(digits[i]);
        }
        ids[length + 1] = equalsToken();
        String key = "L" + level + ":" + shown;
        // An immutable list, not the array, so that equal prompts are equal.
        List<Integer> code = Arrays.stream(answer).boxed().toList();
        return new Prompt(key, ids, text(ids), Map.of(LEVEL, level, ANSWER, code));
    }

    /**
     * A task of a given level with a random key.
     *
     * @param level the level
     * @param random where the key's digits come from
     * @return the prompt
     */
    public Prompt random(int level, RandomGenerator random) {
        int[] digits = new int[length];
        for (int i = 0; i < length; i++) {
            digits[i] = random.nextInt(DIGITS);
        }
        return prompt(digits, level);
    }

    /**
     * A pool of distinct prompts with a given number of prompts per level, in level order.
     *
     * @param perLevel {@code perLevel[d - 1]} prompts of level d; its length must be maxLevel
     * @param random where the keys' digits come from
     * @return the prompts
     * @throws IllegalArgumentException if a count is negative or there are too few keys for that
     *     many distinct prompts
     */
    public List<Prompt> pool(int[] perLevel, RandomGenerator random) {
        Checks.require(
                perLevel.length == maxLevel,
                "give one count per level (%d) but got %d",
                maxLevel,
                perLevel.length);
        Map<String, Prompt> distinct = new LinkedHashMap<>();
        for (int d = 1; d <= maxLevel; d++) {
            int want = perLevel[d - 1];
            Checks.require(want >= 0, "the count of level %d must be >= 0 but was %d", d, want);
            Checks.require(
                    want <= Math.pow(DIGITS, length) / 2,
                    "%d distinct prompts of level %d is too many for %d digits",
                    want,
                    d,
                    length);
            int added = 0;
            while (added < want) {
                Prompt p = random(d, random);
                if (distinct.putIfAbsent(p.key(), p) == null) {
                    added++;
                }
            }
        }
        return new ArrayList<>(distinct.values());
    }

    /**
     * The level of a prompt made by this family.
     *
     * @param prompt the prompt
     * @return its level
     */
    public static int level(Prompt prompt) {
        return (Integer) prompt.get(LEVEL);
    }

    /**
     * The answer of a prompt made by this family.
     *
     * @param prompt the prompt
     * @return its answer tokens
     */
    public static int[] answer(Prompt prompt) {
        List<?> code = (List<?>) prompt.get(ANSWER);
        int[] out = new int[code.size()];
        for (int t = 0; t < out.length; t++) {
            out[t] = (Integer) code.get(t);
        }
        return out;
    }

    /**
     * Whether a completion solves its prompt: its first {@code d} tokens are the answer.
     *
     * @param prompt the prompt
     * @param completion the completion's token ids
     * @return true if solved
     */
    public static boolean solves(Prompt prompt, int[] completion) {
        List<?> code = (List<?>) prompt.get(ANSWER);
        if (completion.length < code.size()) {
            return false;
        }
        for (int t = 0; t < code.size(); t++) {
            if (completion[t] != (Integer) code.get(t)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The 0/1 reward {@code recall}: 1 when the completion solves its prompt.
     *
     * @return the reward function
     */
    public static RewardFunction reward() {
        return RewardFunction.named(
                "recall", (Completion c) -> solves(c.prompt(), c.ids()) ? 1.0 : 0.0);
    }

    /**
     * Readable text of token ids, e.g. {@code L3 7 1 4 0 9 2 =}.
     *
     * @param ids the tokens
     * @return the text
     */
    public String text(int[] ids) {
        StringBuilder sb = new StringBuilder();
        for (int t : ids) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            if (t >= 0 && t < DIGITS) {
                sb.append(t);
            } else if (t >= DIGITS && t < DIGITS + maxLevel) {
                sb.append('L').append(t - DIGITS + 1);
            } else if (t == equalsToken()) {
                sb.append('=');
            } else {
                sb.append('<').append(t).append('>');
            }
        }
        return sb.toString();
    }

    private void checkLevel(int level) {
        Checks.require(
                level >= 1 && level <= maxLevel,
                "level must lie in 1..%d but was %d",
                maxLevel,
                level);
    }
}
