package dev.grpo4j.core.train;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.grpo4j.core.rollout.Rollout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * SPO's policy-drift measurement (ALGORITHMS.md section 4, step 4): for every prompt it keeps the
 * last response sampled for it, with that response's log-probs under the policy right after the
 * update that followed. At the prompt's next visit, after the next update, the drift is the token
 * mean of {@code |lp_stored - lp_now|} over that stored response; a first visit has drift 0.
 * Duplicates within one batch are handled in order: a prompt's second rollout sees the first one as
 * its previous response, whose log-probs are already current, so its drift is 0.
 */
final class DriftTracker {

    private record Stored(Rollout response, float[] logProbs) {}

    private final Map<String, Stored> stored = new HashMap<>();

    /**
     * Measures each rollout's drift and stores it as its prompt's latest response.
     *
     * @param keys the prompt key of each rollout, in batch order
     * @param rollouts the batch's rollouts
     * @param logProbsNow computes per-token log-probs (ragged, one row per given rollout) under the
     *     current (updated) policy, without gradient
     * @return the drift of each rollout
     */
    double[] measureAndStore(
            List<String> keys,
            List<Rollout> rollouts,
            Function<List<Rollout>, float[][]> logProbsNow) {
        List<Rollout> previous = new ArrayList<>();
        List<String> previousKeys = new ArrayList<>();
        for (String key : new java.util.LinkedHashSet<>(keys)) {
            Stored s = stored.get(key);
            if (s != null) {
                previous.add(s.response());
                previousKeys.add(key);
            }
        }
        List<Rollout> all = new ArrayList<>(previous);
        all.addAll(rollouts);
        float[][] now = logProbsNow.apply(all);
        Map<String, Double> driftOfPrevious = new HashMap<>();
        for (int i = 0; i < previous.size(); i++) {
            float[] old = stored.get(previousKeys.get(i)).logProbs();
            double sum = 0;
            for (int t = 0; t < old.length; t++) {
                sum += Math.abs(old[t] - now[i][t]);
            }
            driftOfPrevious.put(previousKeys.get(i), old.length == 0 ? 0.0 : sum / old.length);
        }
        double[] drift = new double[rollouts.size()];
        java.util.Set<String> seenThisBatch = new java.util.HashSet<>();
        for (int r = 0; r < rollouts.size(); r++) {
            String key = keys.get(r);
            if (seenThisBatch.contains(key)) {
                drift[r] = 0.0;
            } else {
                drift[r] = driftOfPrevious.getOrDefault(key, 0.0);
            }
            seenThisBatch.add(key);
            stored.put(key, new Stored(rollouts.get(r), now[previous.size() + r]));
        }
        return drift;
    }

    String toJson() {
        JsonObject root = new JsonObject();
        for (Map.Entry<String, Stored> e : new TreeMap<>(stored).entrySet()) {
            JsonObject o = new JsonObject();
            o.add("prompt", ints(e.getValue().response().promptIds()));
            o.add("completion", ints(e.getValue().response().completionIds()));
            JsonArray lp = new JsonArray();
            for (float f : e.getValue().logProbs()) {
                lp.add(Float.toString(f));
            }
            o.add("log_probs", lp);
            root.add(e.getKey(), o);
        }
        return root.toString();
    }

    void restore(String json) {
        Map<String, Stored> loaded = new HashMap<>();
        try {
            JsonObject root = JsonParser.parseString(json).getAsJsonObject();
            for (Map.Entry<String, JsonElement> e : root.entrySet()) {
                JsonObject o = e.getValue().getAsJsonObject();
                JsonArray lpArray = o.getAsJsonArray("log_probs");
                float[] lp = new float[lpArray.size()];
                for (int i = 0; i < lp.length; i++) {
                    lp[i] = Float.parseFloat(lpArray.get(i).getAsString());
                }
                Rollout r =
                        Rollout.builder()
                                .setPromptIds(toInts(o.getAsJsonArray("prompt")))
                                .setCompletionIds(toInts(o.getAsJsonArray("completion")))
                                .build();
                loaded.put(e.getKey(), new Stored(r, lp));
            }
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("corrupt SPO drift state: " + e.getMessage(), e);
        }
        stored.clear();
        stored.putAll(loaded);
    }

    private static JsonArray ints(int[] values) {
        JsonArray a = new JsonArray();
        for (int v : values) {
            a.add(v);
        }
        return a;
    }

    private static int[] toInts(JsonArray a) {
        int[] v = new int[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).getAsInt();
        }
        return v;
    }
}
