package dev.grpo4j.core.train.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointStoreTest {

    @Test
    void writesCompleteCheckpointsAndPointsLatestAtTheNewest(@TempDir Path root) throws Exception {
        CheckpointStore store = new CheckpointStore(root, 0);
        store.write(10, dir -> Files.writeString(dir.resolve("a.txt"), "ten"));
        store.write(20, dir -> Files.writeString(dir.resolve("a.txt"), "twenty"));
        assertThat(store.latest()).contains(root.resolve("checkpoint-000020"));
        assertThat(Files.readString(store.latest().orElseThrow().resolve("a.txt")))
                .isEqualTo("twenty");
        assertThat(store.list()).hasSize(2);
    }

    @Test
    void aFailureMidWriteLeavesThePreviousCheckpointIntact(@TempDir Path root) throws Exception {
        CheckpointStore store = new CheckpointStore(root, 0);
        store.write(10, dir -> Files.writeString(dir.resolve("a.txt"), "ten"));
        assertThatThrownBy(
                        () ->
                                store.write(
                                        20,
                                        dir -> {
                                            Files.writeString(dir.resolve("a.txt"), "half");
                                            throw new IOException("disk full");
                                        }))
                .isInstanceOf(IOException.class)
                .hasMessage("disk full");
        assertThat(store.latest()).contains(root.resolve("checkpoint-000010"));
        assertThat(Files.readString(root.resolve("checkpoint-000010/a.txt"))).isEqualTo("ten");
        assertThat(Files.exists(root.resolve("checkpoint-000020"))).isFalse();
        try (var files = Files.list(root)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("checkpoint-000010", "latest");
        }
    }

    @Test
    void aCrashedWriteLeavesOnlyATemporaryThatTheNextWriteRemoves(@TempDir Path root)
            throws Exception {
        CheckpointStore store = new CheckpointStore(root, 0);
        store.write(10, dir -> Files.writeString(dir.resolve("a.txt"), "ten"));
        // What a process killed mid-write leaves behind.
        Path stale = Files.createDirectory(root.resolve(".tmp-checkpoint-000020-1"));
        Files.writeString(stale.resolve("a.txt"), "partial");
        assertThat(store.latest()).contains(root.resolve("checkpoint-000010"));
        assertThat(store.list()).containsExactly(root.resolve("checkpoint-000010"));
        store.write(30, dir -> Files.writeString(dir.resolve("a.txt"), "thirty"));
        assertThat(Files.exists(stale)).isFalse();
    }

    @Test
    void keepsOnlyTheLastN(@TempDir Path root) throws Exception {
        CheckpointStore store = new CheckpointStore(root, 2);
        for (int s = 1; s <= 4; s++) {
            int step = s;
            store.write(step, dir -> Files.writeString(dir.resolve("s"), Integer.toString(step)));
        }
        assertThat(store.list())
                .containsExactly(
                        root.resolve("checkpoint-000003"), root.resolve("checkpoint-000004"));
    }

    @Test
    void rewritingTheSameStepReplacesIt(@TempDir Path root) throws Exception {
        CheckpointStore store = new CheckpointStore(root, 0);
        store.write(5, dir -> Files.writeString(dir.resolve("a"), "old"));
        store.write(5, dir -> Files.writeString(dir.resolve("a"), "new"));
        assertThat(Files.readString(root.resolve("checkpoint-000005/a"))).isEqualTo("new");
    }

    @Test
    void rejectsNegativeRetention() {
        assertThatThrownBy(() -> new CheckpointStore(Path.of("x"), -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
    }
}
