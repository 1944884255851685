package dev.grpo4j.examples.rank;

import dev.grpo4j.core.util.Checks;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Draws users with latent preferences from a {@link Catalog}: each user likes {@code P} distinct
 * clusters, has seen {@code H} random items of each, and will like the rest of those clusters. So a
 * user's history shows their taste, and the relevant items are the unseen items of the clusters the
 * history comes from: {@code P * (clusterSize - H)} of them. Immutable.
 */
public final class UserModel {

    private final Catalog catalog;
    private final int preferredClusters;
    private final int seenPerCluster;

    /**
     * Creates the model.
     *
     * @param catalog the catalog
     * @param preferredClusters P, how many clusters each user likes, in {@code [1, C]}
     * @param seenPerCluster H, seen items per liked cluster, in {@code [1, clusterSize)}
     * @throws IllegalArgumentException naming the value if P or H is out of range
     */
    public UserModel(Catalog catalog, int preferredClusters, int seenPerCluster) {
        this.catalog = catalog;
        Checks.require(
                preferredClusters >= 1 && preferredClusters <= catalog.clusterCount(),
                "preferred clusters must lie in [1, %d] but was %d",
                catalog.clusterCount(),
                preferredClusters);
        Checks.require(
                seenPerCluster >= 1 && seenPerCluster < catalog.clusterSize(),
                "seen items per cluster must lie in [1, %d] but was %d",
                catalog.clusterSize() - 1,
                seenPerCluster);
        this.preferredClusters = preferredClusters;
        this.seenPerCluster = seenPerCluster;
    }

    /**
     * The catalog users are drawn from.
     *
     * @return the catalog
     */
    public Catalog catalog() {
        return catalog;
    }

    /**
     * How many relevant items each user has.
     *
     * @return {@code P * (clusterSize - H)}
     */
    public int relevantCount() {
        return preferredClusters * (catalog.clusterSize() - seenPerCluster);
    }

    /**
     * The number of items in each history.
     *
     * @return {@code P * H}
     */
    public int historyLength() {
        return preferredClusters * seenPerCluster;
    }

    /**
     * Draws a user.
     *
     * @param random the source of randomness
     * @return a user whose history is shuffled across its clusters and whose relevant items are
     *     sorted
     */
    public User sample(RandomGenerator random) {
        int[] clusters = pick(catalog.clusterCount(), preferredClusters, random);
        List<Integer> history = new ArrayList<>();
        List<Integer> relevant = new ArrayList<>();
        for (int c : clusters) {
            int[] items = catalog.items(c);
            int[] seen = pick(items.length, seenPerCluster, random);
            boolean[] isSeen = new boolean[items.length];
            for (int s : seen) {
                isSeen[s] = true;
                history.add(items[s]);
            }
            for (int i = 0; i < items.length; i++) {
                if (!isSeen[i]) {
                    relevant.add(items[i]);
                }
            }
        }
        int[] h = history.stream().mapToInt(Integer::intValue).toArray();
        shuffle(h, random);
        int[] r = relevant.stream().mapToInt(Integer::intValue).sorted().toArray();
        Arrays.sort(clusters);
        return new User(clusters, h, r);
    }

    /** {@code k} distinct values of {@code [0, n)} in random order (a partial Fisher-Yates). */
    private static int[] pick(int n, int k, RandomGenerator random) {
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        for (int i = 0; i < k; i++) {
            int j = i + random.nextInt(n - i);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        return Arrays.copyOf(all, k);
    }

    private static void shuffle(int[] a, RandomGenerator random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
