package dev.grpo4j.core.rollout;

import dev.grpo4j.core.util.Checks;
import java.util.Map;
import java.util.Objects;

/**
 * A prompt as it comes from a prompt source: its stable key, its token ids, optional text, and
 * metadata that reward functions read (for example the reference answer, as TRL passes dataset
 * columns to reward functions).
 *
 * @param key a stable identifier (SPO's tracker and the logs use it)
 * @param ids the prompt's token ids, non-empty
 * @param text the prompt as text, or the empty string if there is none
 * @param metadata read-only values keyed by name (no null keys or values)
 */
public record Prompt(String key, int[] ids, String text, Map<String, Object> metadata) {

    /**
     * Validates and copies.
     *
     * @param key the key
     * @param ids the token ids
     * @param text the text
     * @param metadata the metadata
     */
    public Prompt {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(ids, "ids");
        Checks.require(ids.length > 0, "prompt '%s' has no tokens", key);
        for (int i = 0; i < ids.length; i++) {
            Checks.require(ids[i] >= 0, "prompt '%s' token %d has negative id %d", key, i, ids[i]);
        }
        ids = ids.clone();
        text = text == null ? "" : text;
        metadata = Map.copyOf(metadata);
    }

    /**
     * A prompt with only a key and token ids.
     *
     * @param key the key
     * @param ids the token ids
     * @return the prompt
     */
    public static Prompt of(String key, int... ids) {
        return new Prompt(key, ids, "", Map.of());
    }

    @Override
    public int[] ids() {
        return ids.clone();
    }

    /**
     * A metadata value.
     *
     * @param name the value's name
     * @return the value
     * @throws IllegalArgumentException if the prompt has no such value
     */
    public Object get(String name) {
        Object v = metadata.get(name);
        if (v == null) {
            throw new IllegalArgumentException(
                    "prompt '"
                            + key
                            + "' has no metadata '"
                            + name
                            + "'; it has "
                            + metadata.keySet());
        }
        return v;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Prompt p
                && key.equals(p.key)
                && java.util.Arrays.equals(ids, p.ids)
                && text.equals(p.text)
                && metadata.equals(p.metadata);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, java.util.Arrays.hashCode(ids), text, metadata);
    }

    @Override
    public String toString() {
        return "Prompt{" + key + ", " + ids.length + " tokens}";
    }
}
