package dev.grpo4j.examples.rank;

import dev.grpo4j.core.rollout.Prompt;
import dev.grpo4j.core.util.Checks;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One user: the clusters they like (their latent taste), the items they have already interacted
 * with (the history, which the prompt shows) and the held-out items they will like (the ground
 * truth a recommendation list is scored against). Immutable; arrays are copied in and out.
 *
 * @param clusters the preferred clusters
 * @param history the seen items, in the order the prompt lists them
 * @param relevant the held-out relevant items, disjoint from the history
 */
public record User(int[] clusters, int[] history, int[] relevant) {

    /** The prompt metadata key of the relevant items (a {@code List<Integer>}). */
    public static final String RELEVANT = "relevant";

    /** The prompt metadata key of the history (a {@code List<Integer>}). */
    public static final String HISTORY = "history";

    /**
     * Validates and copies.
     *
     * @param clusters the preferred clusters
     * @param history the seen items
     * @param relevant the relevant items
     * @throws IllegalArgumentException if the history or the relevant set is empty, or they share
     *     an item
     */
    public User {
        Objects.requireNonNull(clusters, "clusters");
        Objects.requireNonNull(history, "history");
        Objects.requireNonNull(relevant, "relevant");
        Checks.require(history.length > 0, "a user needs a history");
        Checks.require(relevant.length > 0, "a user needs at least one relevant item");
        for (int r : relevant) {
            for (int h : history) {
                Checks.require(r != h, "item %d is both in the history and relevant", r);
            }
        }
        clusters = clusters.clone();
        history = history.clone();
        relevant = relevant.clone();
    }

    @Override
    public int[] clusters() {
        return clusters.clone();
    }

    @Override
    public int[] history() {
        return history.clone();
    }

    @Override
    public int[] relevant() {
        return relevant.clone();
    }

    /**
     * The prompt that asks for this user's list: {@code ^ h1 h2 ... hH ?}, with the history and the
     * relevant items as metadata for the reward functions.
     *
     * @param catalog the catalog the items belong to
     * @return the prompt, keyed by its token ids
     */
    public Prompt toPrompt(Catalog catalog) {
        int[] ids = new int[history.length + 2];
        ids[0] = catalog.historyStart();
        System.arraycopy(history, 0, ids, 1, history.length);
        ids[ids.length - 1] = catalog.request();
        String text = catalog.text(ids);
        return new Prompt(
                text, ids, text, Map.of(RELEVANT, asList(relevant), HISTORY, asList(history)));
    }

    private static List<Integer> asList(int[] values) {
        List<Integer> out = new ArrayList<>(values.length);
        for (int v : values) {
            out.add(v);
        }
        return List.copyOf(out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof User u
                && Arrays.equals(clusters, u.clusters)
                && Arrays.equals(history, u.history)
                && Arrays.equals(relevant, u.relevant);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                Arrays.hashCode(clusters), Arrays.hashCode(history), Arrays.hashCode(relevant));
    }

    @Override
    public String toString() {
        return "User{clusters="
                + Arrays.toString(clusters)
                + ", history="
                + Arrays.toString(history)
                + ", relevant="
                + Arrays.toString(relevant)
                + '}';
    }
}
