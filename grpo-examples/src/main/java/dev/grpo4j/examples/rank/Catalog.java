package dev.grpo4j.examples.rank;

import dev.grpo4j.core.util.Checks;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A synthetic item catalog whose items are tokens: items {@code 0 .. I-1}, grouped into C clusters
 * of equal size (the latent "genres" users like), followed by four special tokens: the list
 * separator, end of list (EOS), start of a user's history, and the request for recommendations.
 *
 * <p>Items are assigned to clusters by a seeded random permutation, so a cluster's items are not
 * neighbouring ids: the policy has to learn which items go together from the rewards alone.
 * Immutable.
 */
public final class Catalog {

    private final int clusters;
    private final int clusterSize;
    private final int[] clusterOf;
    private final int[][] members;

    private Catalog(int clusters, int clusterSize, long seed) {
        this.clusters = clusters;
        this.clusterSize = clusterSize;
        int items = clusters * clusterSize;
        int[] order = new int[items];
        for (int i = 0; i < items; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = items - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        this.clusterOf = new int[items];
        this.members = new int[clusters][clusterSize];
        for (int p = 0; p < items; p++) {
            int c = p / clusterSize;
            members[c][p % clusterSize] = order[p];
            clusterOf[order[p]] = c;
        }
        for (int[] m : members) {
            Arrays.sort(m);
        }
    }

    /**
     * Creates a catalog of {@code clusters * clusterSize} items.
     *
     * @param clusters C, at least 2
     * @param clusterSize items per cluster, at least 2
     * @param seed decides which items share a cluster
     * @return the catalog
     * @throws IllegalArgumentException naming the value if a size is too small
     */
    public static Catalog create(int clusters, int clusterSize, long seed) {
        Checks.require(clusters >= 2, "a catalog needs at least 2 clusters but got %d", clusters);
        Checks.require(
                clusterSize >= 2, "a cluster needs at least 2 items but got %d", clusterSize);
        return new Catalog(clusters, clusterSize, seed);
    }

    /**
     * The number of items I; item tokens are {@code 0 .. I-1}.
     *
     * @return I
     */
    public int itemCount() {
        return clusterOf.length;
    }

    /**
     * The number of clusters C.
     *
     * @return C
     */
    public int clusterCount() {
        return clusters;
    }

    /**
     * The number of items in each cluster.
     *
     * @return the cluster size
     */
    public int clusterSize() {
        return clusterSize;
    }

    /**
     * The token that ends one item of a list and starts the next.
     *
     * @return the separator's id, I
     */
    public int separator() {
        return itemCount();
    }

    /**
     * The token that ends a list.
     *
     * @return the EOS id, I + 1
     */
    public int eos() {
        return itemCount() + 1;
    }

    /**
     * The token that opens a user's history in a prompt.
     *
     * @return the id, I + 2
     */
    public int historyStart() {
        return itemCount() + 2;
    }

    /**
     * The token that ends a prompt and asks for the list.
     *
     * @return the id, I + 3
     */
    public int request() {
        return itemCount() + 3;
    }

    /**
     * The vocabulary size: the items and the four special tokens.
     *
     * @return I + 4
     */
    public int vocabSize() {
        return itemCount() + 4;
    }

    /**
     * Whether a token is an item.
     *
     * @param token a token id
     * @return true for {@code 0 <= token < I}
     */
    public boolean isItem(int token) {
        return token >= 0 && token < itemCount();
    }

    /**
     * The cluster of an item.
     *
     * @param item an item id
     * @return its cluster in {@code [0, C)}
     * @throws IllegalArgumentException if the id is not an item
     */
    public int clusterOf(int item) {
        Checks.require(isItem(item), "token %d is not an item of this catalog", item);
        return clusterOf[item];
    }

    /**
     * The items of a cluster, in increasing id order.
     *
     * @param cluster a cluster in {@code [0, C)}
     * @return a copy of its items
     * @throws IllegalArgumentException if the cluster does not exist
     */
    public int[] items(int cluster) {
        Checks.require(
                cluster >= 0 && cluster < clusters,
                "cluster %d does not exist; there are %d",
                cluster,
                clusters);
        return members[cluster].clone();
    }

    /**
     * A token as text: {@code i7} for item 7, {@code |} separator, {@code $} EOS, {@code ^} history
     * start, {@code ?} request.
     *
     * @param token a token id
     * @return its text
     */
    public String text(int token) {
        if (isItem(token)) {
            return "i" + token;
        } else if (token == separator()) {
            return "|";
        } else if (token == eos()) {
            return "$";
        } else if (token == historyStart()) {
            return "^";
        } else if (token == request()) {
            return "?";
        }
        return "<" + token + ">";
    }

    /**
     * Tokens as space-separated text.
     *
     * @param tokens token ids
     * @return their text
     */
    public String text(int[] tokens) {
        StringBuilder sb = new StringBuilder();
        for (int t : tokens) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(text(t));
        }
        return sb.toString();
    }
}
