package dev.grpo4j.core.train.checkpoint;

import dev.grpo4j.core.util.Checks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A directory of checkpoints, {@code checkpoint-000500/} etc., plus a {@code latest} file naming
 * the newest complete one.
 *
 * <p>Writing is atomic: the contents go into a hidden temporary directory, every file is forced to
 * disk, the directory is renamed into place with an atomic move, and only then is {@code latest}
 * replaced (again write-then-rename). If the writer throws, or the process dies at any point, the
 * previous checkpoint and {@code latest} are untouched; stale temporary directories are removed on
 * the next write.
 */
public final class CheckpointStore {

    /** Writes a checkpoint's files into a directory. */
    @FunctionalInterface
    public interface Contents {
        /**
         * Writes every file of the checkpoint.
         *
         * @param directory an empty directory to write into
         * @throws IOException if writing fails
         */
        void writeTo(Path directory) throws IOException;
    }

    private static final String PREFIX = "checkpoint-";
    private static final String TEMP_PREFIX = ".tmp-";
    private static final String LATEST = "latest";

    private final Path root;
    private final int keepLast;

    /**
     * Creates a store.
     *
     * @param root the directory holding the checkpoints (created on first write)
     * @param keepLast how many complete checkpoints to keep (TRL's save_total_limit); 0 keeps all
     */
    public CheckpointStore(Path root, int keepLast) {
        Checks.require(keepLast >= 0, "keepLast must be >= 0 (0 = keep all) but was %d", keepLast);
        this.root = root;
        this.keepLast = keepLast;
    }

    /**
     * The store's root directory.
     *
     * @return the root
     */
    public Path root() {
        return root;
    }

    /**
     * The directory a checkpoint of {@code step} has (or would have).
     *
     * @param step the number of completed steps
     * @return the directory
     */
    public Path directoryFor(long step) {
        return root.resolve(String.format(Locale.ROOT, "%s%06d", PREFIX, step));
    }

    /**
     * Writes a checkpoint atomically.
     *
     * @param step the number of completed steps it holds
     * @param contents writes the files
     * @return the checkpoint's directory
     * @throws IOException if writing fails; the previous checkpoint is then untouched
     */
    public Path write(long step, Contents contents) throws IOException {
        Files.createDirectories(root);
        removeStaleTemporaries();
        Path target = directoryFor(step);
        Path temp = root.resolve(TEMP_PREFIX + target.getFileName() + "-" + System.nanoTime());
        Files.createDirectory(temp);
        try {
            contents.writeTo(temp);
            forceAll(temp);
            if (Files.exists(target)) {
                // Re-saving the same step: move the old one aside first so the rename cannot fail.
                Path old =
                        root.resolve(
                                TEMP_PREFIX
                                        + "old-"
                                        + target.getFileName()
                                        + "-"
                                        + System.nanoTime());
                move(target, old);
                move(temp, target);
                deleteRecursively(old);
            } else {
                move(temp, target);
            }
        } catch (IOException | RuntimeException | Error e) {
            deleteQuietly(temp);
            throw e;
        }
        Path latestTemp = root.resolve(TEMP_PREFIX + LATEST + "-" + System.nanoTime());
        Files.writeString(latestTemp, target.getFileName().toString(), StandardCharsets.UTF_8);
        force(latestTemp);
        move(latestTemp, root.resolve(LATEST));
        prune();
        return target;
    }

    /**
     * The newest complete checkpoint, as named by {@code latest}.
     *
     * @return its directory, or empty if none was written
     */
    public Optional<Path> latest() {
        Path latest = root.resolve(LATEST);
        if (!Files.isRegularFile(latest)) {
            return Optional.empty();
        }
        try {
            String name = Files.readString(latest, StandardCharsets.UTF_8).trim();
            Path dir = root.resolve(name);
            return Files.isDirectory(dir) ? Optional.of(dir) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + latest, e);
        }
    }

    /**
     * The complete checkpoints, oldest first.
     *
     * @return their directories
     */
    public List<Path> list() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root, PREFIX + "*")) {
            for (Path p : ds) {
                if (Files.isDirectory(p)) {
                    out.add(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
        out.sort(Comparator.comparing(p -> p.getFileName().toString()));
        return out;
    }

    private void prune() throws IOException {
        if (keepLast == 0) {
            return;
        }
        List<Path> all = list();
        for (int i = 0; i < all.size() - keepLast; i++) {
            deleteRecursively(all.get(i));
        }
    }

    private void removeStaleTemporaries() throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root, TEMP_PREFIX + "*")) {
            for (Path p : ds) {
                deleteRecursively(p);
            }
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(
                    from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException(
                    "the file system under "
                            + to.getParent()
                            + " cannot rename atomically; checkpoints"
                            + " need it",
                    e);
        }
    }

    private static void forceAll(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(p)) {
                    force(p);
                }
            }
        }
    }

    private static void force(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            deleteRecursively(p);
        } catch (IOException suppressed) {
            // The next write removes stale temporaries anyway.
        }
    }

    static void deleteRecursively(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path q : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(q);
            }
        }
    }
}
