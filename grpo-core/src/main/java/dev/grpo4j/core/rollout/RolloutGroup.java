package dev.grpo4j.core.rollout;

import dev.grpo4j.core.util.Checks;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * One prompt and the G rollouts sampled from it: the unit over which GRPO centres and scales
 * rewards.
 *
 * <p>{@code promptKey} identifies the prompt across steps (SPO keeps per-prompt state under it,
 * logs name it); when none is given it is derived from the prompt's token ids. Every rollout must
 * carry the group's prompt ids. G may be 1 here: whether a singleton group is acceptable is the
 * estimator's decision (TRL rejects it, verl uses the raw score).
 */
public final class RolloutGroup {

    private final String promptKey;
    private final int[] promptIds;
    private final List<Rollout> rollouts;

    private RolloutGroup(String promptKey, int[] promptIds, List<Rollout> rollouts) {
        this.promptKey = promptKey;
        this.promptIds = promptIds;
        this.rollouts = rollouts;
    }

    /**
     * Creates a group keyed by its prompt's token ids.
     *
     * @param rollouts the G rollouts, all of the same prompt
     * @return the group
     * @throws IllegalArgumentException if the list is empty or the prompts differ
     */
    public static RolloutGroup of(List<Rollout> rollouts) {
        Checks.require(
                rollouts != null && !rollouts.isEmpty(), "a rollout group must not be empty");
        return of(keyOf(rollouts.get(0).promptIds()), rollouts);
    }

    /**
     * Creates a group with an explicit prompt key.
     *
     * @param promptKey a stable identifier of the prompt
     * @param rollouts the G rollouts, all of the same prompt
     * @return the group
     * @throws IllegalArgumentException if the list is empty or the prompts differ
     */
    public static RolloutGroup of(String promptKey, List<Rollout> rollouts) {
        Objects.requireNonNull(promptKey, "promptKey");
        Checks.require(
                rollouts != null && !rollouts.isEmpty(), "rollout group '%s' is empty", promptKey);
        List<Rollout> copy = List.copyOf(rollouts);
        int[] prompt = copy.get(0).promptIds();
        for (int i = 1; i < copy.size(); i++) {
            Checks.require(
                    Arrays.equals(prompt, copy.get(i).promptIds()),
                    "rollout %d of group '%s' has a different prompt than rollout 0",
                    i,
                    promptKey);
        }
        return new RolloutGroup(promptKey, prompt, copy);
    }

    /**
     * The default prompt key: the token ids joined by commas.
     *
     * @param promptIds the prompt's token ids
     * @return the key
     */
    public static String keyOf(int[] promptIds) {
        StringBuilder sb = new StringBuilder(promptIds.length * 3);
        for (int i = 0; i < promptIds.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(promptIds[i]);
        }
        return sb.toString();
    }

    /**
     * The prompt's stable identifier.
     *
     * @return the key
     */
    public String promptKey() {
        return promptKey;
    }

    /**
     * The shared prompt's token ids.
     *
     * @return a copy of the ids
     */
    public int[] promptIds() {
        return promptIds.clone();
    }

    /**
     * The number of prompt tokens.
     *
     * @return the prompt length
     */
    public int promptLength() {
        return promptIds.length;
    }

    /**
     * The rollouts, in sampling order.
     *
     * @return an unmodifiable list
     */
    public List<Rollout> rollouts() {
        return rollouts;
    }

    /**
     * Rollout {@code i}.
     *
     * @param i the index, {@code 0 <= i < size()}
     * @return the rollout
     */
    public Rollout rollout(int i) {
        return rollouts.get(i);
    }

    /**
     * The group size G.
     *
     * @return the number of rollouts
     */
    public int size() {
        return rollouts.size();
    }

    /**
     * Returns a group with each rollout replaced by {@code f(rollout)}, for example after scoring.
     *
     * @param f the mapping; must keep the prompt
     * @return the new group, with the same key
     */
    public RolloutGroup map(UnaryOperator<Rollout> f) {
        return of(promptKey, rollouts.stream().map(f).toList());
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof RolloutGroup)) {
            return false;
        }
        RolloutGroup that = (RolloutGroup) o;
        return promptKey.equals(that.promptKey) && rollouts.equals(that.rollouts);
    }

    @Override
    public int hashCode() {
        return 31 * promptKey.hashCode() + rollouts.hashCode();
    }

    @Override
    public String toString() {
        return "RolloutGroup{key=" + promptKey + ", G=" + rollouts.size() + '}';
    }
}
