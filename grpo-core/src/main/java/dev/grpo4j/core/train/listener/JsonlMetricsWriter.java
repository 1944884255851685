package dev.grpo4j.core.train.listener;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.grpo4j.core.train.StepMetrics;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

/**
 * Appends one JSON object per step to a file ({@code {"step": 3, "seconds": 0.41, "reward": 0.5,
 * ...}}), flushed after every line so a crash loses at most the step in progress. On a resumed run,
 * lines of steps after the resume point are dropped first, so the file always describes one
 * consistent history.
 */
public final class JsonlMetricsWriter implements GrpoListener, AutoCloseable {

    private final Path file;
    private BufferedWriter writer;

    /**
     * Creates a writer for {@code file}; the parent directory is created if needed.
     *
     * @param file the JSONL file
     */
    public JsonlMetricsWriter(Path file) {
        this.file = file;
    }

    @Override
    public void onTrainingStart(long firstStep, long totalSteps) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            if (Files.exists(file)) {
                truncateAfter(firstStep);
            }
            writer =
                    Files.newBufferedWriter(
                            file,
                            StandardCharsets.UTF_8,
                            StandardOpenOption.CREATE,
                            StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open metrics file " + file, e);
        }
    }

    private void truncateAfter(long firstStep) throws IOException {
        List<String> kept =
                Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                        .filter(line -> !line.isBlank() && stepOf(line) <= firstStep)
                        .toList();
        Files.write(file, kept, StandardCharsets.UTF_8);
    }

    private static long stepOf(String line) {
        try {
            return JsonParser.parseString(line).getAsJsonObject().get("step").getAsLong();
        } catch (RuntimeException e) {
            return Long.MAX_VALUE;
        }
    }

    @Override
    public void onStepEnd(StepMetrics metrics) {
        JsonObject o = new JsonObject();
        o.addProperty("step", metrics.step());
        o.addProperty("seconds", metrics.seconds());
        for (Map.Entry<String, Double> e : metrics.values().entrySet()) {
            double v = e.getValue();
            if (Double.isFinite(v)) {
                o.addProperty(e.getKey(), v);
            } else {
                o.addProperty(e.getKey(), Double.toString(v));
            }
        }
        try {
            writer.write(o.toString());
            writer.newLine();
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write metrics file " + file, e);
        }
    }

    @Override
    public void onTrainingEnd(List<StepMetrics> history) {
        close();
    }

    @Override
    public void close() {
        if (writer != null) {
            try {
                writer.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot close metrics file " + file, e);
            } finally {
                writer = null;
            }
        }
    }
}
