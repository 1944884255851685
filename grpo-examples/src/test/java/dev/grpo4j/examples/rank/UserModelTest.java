package dev.grpo4j.examples.rank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grpo4j.core.rollout.Prompt;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class UserModelTest {

    private final Catalog catalog = Catalog.create(5, 6, 3);
    private final UserModel model = new UserModel(catalog, 2, 4);

    @Test
    void historyAndRelevantItemsSplitTheLikedClusters() {
        SplittableRandom random = new SplittableRandom(11);
        for (int n = 0; n < 50; n++) {
            User u = model.sample(random);
            assertThat(u.clusters()).hasSize(2).doesNotHaveDuplicates();
            assertThat(u.history()).hasSize(8).doesNotHaveDuplicates();
            assertThat(u.relevant()).hasSize(4).doesNotHaveDuplicates().isSorted();
            Set<Integer> liked = new HashSet<>();
            for (int c : u.clusters()) {
                for (int item : catalog.items(c)) {
                    liked.add(item);
                }
            }
            Set<Integer> union = new HashSet<>();
            for (int c : u.clusters()) {
                long seenHere =
                        Arrays.stream(u.history()).filter(i -> catalog.clusterOf(i) == c).count();
                assertThat(seenHere).isEqualTo(4);
            }
            Arrays.stream(u.history()).forEach(union::add);
            Arrays.stream(u.relevant()).forEach(union::add);
            assertThat(union).isEqualTo(liked);
        }
        assertThat(model.relevantCount()).isEqualTo(4);
        assertThat(model.historyLength()).isEqualTo(8);
    }

    @Test
    void theSameGeneratorStateGivesTheSameUser() {
        assertThat(model.sample(new SplittableRandom(5)))
                .isEqualTo(model.sample(new SplittableRandom(5)));
    }

    @Test
    void thePromptListsTheHistoryBetweenStartAndRequest() {
        User u = new User(new int[] {0}, new int[] {7, 2}, new int[] {4, 9});
        Prompt p = u.toPrompt(catalog);
        assertThat(p.ids()).containsExactly(catalog.historyStart(), 7, 2, catalog.request());
        assertThat(p.key()).isEqualTo("^ i7 i2 ?");
        assertThat(p.get(User.RELEVANT)).isEqualTo(List.of(4, 9));
        assertThat(p.get(User.HISTORY)).isEqualTo(List.of(7, 2));
    }

    @Test
    void rejectsAnItemThatIsSeenAndRelevant() {
        assertThatThrownBy(() -> new User(new int[] {0}, new int[] {3, 5}, new int[] {5}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("item 5");
    }

    @Test
    void rejectsOutOfRangeSizesNamingThem() {
        assertThatThrownBy(() -> new UserModel(catalog, 6, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("was 6");
        assertThatThrownBy(() -> new UserModel(catalog, 1, 6))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("was 6");
    }
}
