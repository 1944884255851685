package dev.grpo4j.core.train;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.grpo4j.core.advantage.AdvantageEstimator;
import dev.grpo4j.core.advantage.StatefulEstimator;
import dev.grpo4j.core.policy.CausalLmPolicy;
import dev.grpo4j.core.train.optim.AdamW;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a checkpoint holds and how it is read back. Files:
 *
 * <ul>
 *   <li>{@code trainer.json}: format version, step, token count, the metrics history, the config
 *       and a provenance record (library, Java, OS, time);
 *   <li>{@code policy.params} and, with beta &gt; 0, {@code reference.params}: DJL parameter files;
 *   <li>{@code optimizer.bin}: AdamW's moments and step counts;
 *   <li>{@code estimator.json}: a {@link StatefulEstimator}'s state (SPO's tracker);
 *   <li>{@code drift.json}: SPO's stored responses for drift measurement.
 * </ul>
 *
 * <p>The random-number state is the step itself: every step's generator is derived from the seed
 * and the step index, so no generator state needs saving.
 */
final class TrainerCheckpoint {

    static final String STATE_FILE = "trainer.json";
    private static final int FORMAT = 1;
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    /** The scalar state of the loop. */
    record State(
            long step, double tokensSeen, boolean optimizerStepped, List<StepMetrics> history) {}

    private TrainerCheckpoint() {}

    static void write(
            Path dir,
            State state,
            GrpoConfig config,
            CausalLmPolicy policy,
            CausalLmPolicy reference,
            AdamW optimizer,
            AdvantageEstimator estimator,
            DriftTracker drift)
            throws IOException {
        try (DataOutputStream out = output(dir.resolve("policy.params"))) {
            policy.block().saveParameters(out);
        }
        if (reference != null) {
            try (DataOutputStream out = output(dir.resolve("reference.params"))) {
                reference.block().saveParameters(out);
            }
        }
        try (DataOutputStream out = output(dir.resolve("optimizer.bin"))) {
            optimizer.save(out);
        }
        if (estimator instanceof StatefulEstimator stateful) {
            Files.writeString(
                    dir.resolve("estimator.json"), stateful.stateToJson(), StandardCharsets.UTF_8);
        }
        if (drift != null) {
            Files.writeString(dir.resolve("drift.json"), drift.toJson(), StandardCharsets.UTF_8);
        }
        JsonObject root = new JsonObject();
        root.addProperty("format", FORMAT);
        root.addProperty("step", state.step());
        root.addProperty("tokens_seen", state.tokensSeen());
        root.addProperty("optimizer_stepped", state.optimizerStepped());
        root.add("config", GSON.toJsonTree(stringify(config.toMap())));
        JsonObject provenance = new JsonObject();
        provenance.addProperty("library", "grpo4j " + version());
        provenance.addProperty("java", System.getProperty("java.version"));
        provenance.addProperty(
                "os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        provenance.addProperty("estimator", estimator.name());
        provenance.addProperty("written", Instant.now().toString());
        root.add("provenance", provenance);
        JsonArray history = new JsonArray();
        for (StepMetrics m : state.history()) {
            JsonObject o = new JsonObject();
            o.addProperty("step", m.step());
            o.addProperty("seconds", m.seconds());
            JsonObject values = new JsonObject();
            // Exact round trip: doubles as their shortest decimal strings.
            m.values().forEach((k, v) -> values.addProperty(k, Double.toString(v)));
            o.add("values", values);
            history.add(o);
        }
        root.add("history", history);
        Files.writeString(dir.resolve(STATE_FILE), GSON.toJson(root), StandardCharsets.UTF_8);
    }

    /**
     * Reads the loop state and loads the parameters into the policy (and reference); must run
     * before any parameter store has cached the parameter arrays.
     */
    static State loadParameters(Path dir, CausalLmPolicy policy, CausalLmPolicy reference) {
        try {
            JsonObject root =
                    JsonParser.parseString(Files.readString(dir.resolve(STATE_FILE)))
                            .getAsJsonObject();
            int format = root.get("format").getAsInt();
            if (format != FORMAT) {
                throw new IllegalArgumentException(
                        "checkpoint "
                                + dir
                                + " has format "
                                + format
                                + "; this grpo4j reads format "
                                + FORMAT);
            }
            loadBlock(dir.resolve("policy.params"), policy, true);
            if (reference != null) {
                Path ref = dir.resolve("reference.params");
                if (!Files.isRegularFile(ref)) {
                    throw new IllegalArgumentException(
                            "checkpoint "
                                    + dir
                                    + " has no reference.params, but beta > 0 needs the reference"
                                    + " policy the run started with");
                }
                loadBlock(ref, reference, false);
            }
            List<StepMetrics> history = new ArrayList<>();
            for (JsonElement e : root.getAsJsonArray("history")) {
                JsonObject o = e.getAsJsonObject();
                Map<String, Double> values = new LinkedHashMap<>();
                for (Map.Entry<String, JsonElement> v : o.getAsJsonObject("values").entrySet()) {
                    values.put(v.getKey(), Double.parseDouble(v.getValue().getAsString()));
                }
                history.add(
                        new StepMetrics(
                                o.get("step").getAsLong(), values, o.get("seconds").getAsDouble()));
            }
            return new State(
                    root.get("step").getAsLong(),
                    root.get("tokens_seen").getAsDouble(),
                    root.get("optimizer_stepped").getAsBoolean(),
                    history);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read checkpoint " + dir + ": " + e, e);
        } catch (RuntimeException e) {
            if (e instanceof IllegalArgumentException) {
                throw e;
            }
            throw new IllegalArgumentException("corrupt checkpoint " + dir + ": " + e, e);
        }
    }

    private static void loadBlock(Path file, CausalLmPolicy policy, boolean trainable)
            throws IOException {
        List<NDArray> previous = new ArrayList<>();
        Map<String, Shape> shapes = new LinkedHashMap<>();
        NDManager manager = null;
        for (var pair : policy.block().getParameters()) {
            NDArray a = pair.getValue().getArray();
            previous.add(a);
            shapes.put(pair.getKey(), a.getShape());
            manager = a.getManager();
        }
        // DJL loads whatever shapes the file holds; keep the policy's own values to roll back to.
        ByteArrayOutputStream backup = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(backup)) {
            policy.block().saveParameters(out);
        }
        String mismatch = null;
        try (DataInputStream in = input(file)) {
            policy.block().loadParameters(manager, in);
            for (var pair : policy.block().getParameters()) {
                Shape expected = shapes.get(pair.getKey());
                Shape got = pair.getValue().getArray().getShape();
                if (!got.equals(expected)) {
                    mismatch =
                            "parameter "
                                    + pair.getKey()
                                    + " has shape "
                                    + got
                                    + " in the checkpoint but "
                                    + expected
                                    + " in the policy";
                    break;
                }
            }
        } catch (MalformedModelException | IOException | RuntimeException e) {
            mismatch = e.getMessage();
        }
        if (mismatch != null) {
            try (DataInputStream in =
                    new DataInputStream(new ByteArrayInputStream(backup.toByteArray()))) {
                policy.block().loadParameters(manager, in);
            } catch (MalformedModelException e) {
                throw new IllegalStateException("cannot restore the policy's own parameters", e);
            }
            restoreGradients(policy, trainable);
            throw new IllegalArgumentException(
                    "the checkpoint's "
                            + file.getFileName()
                            + " does not fit this policy: "
                            + mismatch
                            + "; the policy keeps its own parameters");
        }
        restoreGradients(policy, trainable);
        for (NDArray a : previous) {
            a.close();
        }
    }

    private static void restoreGradients(CausalLmPolicy policy, boolean trainable) {
        for (var pair : policy.block().getParameters()) {
            Parameter p = pair.getValue();
            if (trainable && p.requiresGradient()) {
                p.getArray().setRequiresGradient(true);
            }
        }
    }

    static void loadTrainingState(
            Path dir, AdamW optimizer, AdvantageEstimator estimator, DriftTracker drift)
            throws IOException {
        try (DataInputStream in = input(dir.resolve("optimizer.bin"))) {
            optimizer.load(in);
        }
        if (estimator instanceof StatefulEstimator stateful) {
            Path file = dir.resolve("estimator.json");
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException(
                        "checkpoint "
                                + dir
                                + " has no estimator.json, but "
                                + estimator.name()
                                + " keeps state");
            }
            stateful.restoreState(Files.readString(file, StandardCharsets.UTF_8));
        }
        if (drift != null) {
            Path file = dir.resolve("drift.json");
            if (Files.isRegularFile(file)) {
                drift.restore(Files.readString(file, StandardCharsets.UTF_8));
            }
        }
    }

    private static Map<String, String> stringify(Map<String, Object> map) {
        Map<String, String> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(k, String.valueOf(v)));
        return out;
    }

    static String version() {
        String v = TrainerCheckpoint.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    private static DataOutputStream output(Path file) throws IOException {
        return new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)));
    }

    private static DataInputStream input(Path file) throws IOException {
        return new DataInputStream(new BufferedInputStream(Files.newInputStream(file)));
    }
}
