package dev.grpo4j.advantage;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON form of SPO's tracker, written into training checkpoints:
 *
 * <pre>{@code
 * {"format": "grpo4j-spo-tracker", "version": 1,
 *  "prompts": [{"id": "p1", "alpha": 2.2222222222222223, "beta": 5.777777777777778}, ...]}
 * }</pre>
 *
 * <p>Prompts are sorted by id, so equal states give equal documents. Doubles are written in Java's
 * shortest round-trip form, so reading a document back gives bit-identical parameters.
 */
final class SpoStateJson {

    static final String FORMAT = "grpo4j-spo-tracker";
    static final int VERSION = 1;

    private SpoStateJson() {}

    static String write(Map<String, BetaEstimate> state) {
        JsonArray prompts = new JsonArray();
        for (Map.Entry<String, BetaEstimate> e : new TreeMap<>(state).entrySet()) {
            JsonObject p = new JsonObject();
            p.addProperty("id", e.getKey());
            p.addProperty("alpha", e.getValue().alpha());
            p.addProperty("beta", e.getValue().beta());
            prompts.add(p);
        }
        JsonObject root = new JsonObject();
        root.addProperty("format", FORMAT);
        root.addProperty("version", VERSION);
        root.add("prompts", prompts);
        return new Gson().toJson(root);
    }

    static Map<String, BetaEstimate> read(String json) {
        if (json == null) {
            throw new IllegalArgumentException("SPO state JSON is null");
        }
        JsonElement root;
        try {
            root = JsonParser.parseString(json);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("SPO state is not valid JSON: " + e.getMessage(), e);
        }
        if (!root.isJsonObject()) {
            throw bad("the document must be a JSON object but was " + abbreviate(root));
        }
        JsonObject obj = root.getAsJsonObject();
        String format = string(obj, "format", "the document");
        if (!FORMAT.equals(format)) {
            throw bad("format must be '" + FORMAT + "' but was '" + format + "'");
        }
        JsonElement version = obj.get("version");
        if (version == null
                || !version.isJsonPrimitive()
                || !version.getAsJsonPrimitive().isNumber()
                || version.getAsDouble() != VERSION) {
            throw bad("version must be " + VERSION + " but was " + version);
        }
        JsonElement prompts = obj.get("prompts");
        if (prompts == null || !prompts.isJsonArray()) {
            throw bad("'prompts' must be an array but was " + prompts);
        }
        Map<String, BetaEstimate> state = new LinkedHashMap<>();
        int index = 0;
        for (JsonElement e : prompts.getAsJsonArray()) {
            String where = "prompt entry " + index;
            if (!e.isJsonObject()) {
                throw bad(where + " must be an object but was " + abbreviate(e));
            }
            JsonObject p = e.getAsJsonObject();
            String id = string(p, "id", where);
            double alpha = number(p, "alpha", where + " ('" + id + "')");
            double beta = number(p, "beta", where + " ('" + id + "')");
            BetaEstimate estimate;
            try {
                estimate = new BetaEstimate(alpha, beta);
            } catch (IllegalArgumentException ex) {
                throw bad(where + " ('" + id + "'): " + ex.getMessage());
            }
            if (state.put(id, estimate) != null) {
                throw bad("prompt '" + id + "' appears twice");
            }
            index++;
        }
        return state;
    }

    private static String string(JsonObject obj, String name, String where) {
        JsonElement e = obj.get(name);
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw bad(where + " needs a string '" + name + "' but has " + e);
        }
        return e.getAsString();
    }

    private static double number(JsonObject obj, String name, String where) {
        JsonElement e = obj.get(name);
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw bad(where + " needs a number '" + name + "' but has " + e);
        }
        JsonPrimitive p = e.getAsJsonPrimitive();
        try {
            return Double.parseDouble(p.getAsString());
        } catch (NumberFormatException ex) {
            throw bad(where + ": '" + name + "' is not a number: " + p);
        }
    }

    private static String abbreviate(JsonElement e) {
        String s = String.valueOf(e);
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }

    private static IllegalArgumentException bad(String message) {
        return new IllegalArgumentException("invalid SPO state: " + message);
    }
}
