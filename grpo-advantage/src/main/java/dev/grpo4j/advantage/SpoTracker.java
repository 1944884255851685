package dev.grpo4j.advantage;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * SPO's per-prompt Beta estimates, safe for concurrent use.
 *
 * <p>Updates and reads share the read lock, and the concurrent map makes each prompt's update
 * atomic, so updates of different prompts run in parallel and updates of one prompt apply one after
 * another. Snapshot and replace take the write lock, so they never see or leave a half-written
 * state.
 */
final class SpoTracker {

    private final ConcurrentHashMap<String, BetaEstimate> entries = new ConcurrentHashMap<>();
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final boolean autoInitialize;

    /**
     * @param autoInitialize whether a prompt without an entry reads as {@link
     *     BetaEstimate#UNINFORMED} (true) or is an error (false)
     */
    SpoTracker(boolean autoInitialize) {
        this.autoInitialize = autoInitialize;
    }

    void put(String id, BetaEstimate estimate) {
        Objects.requireNonNull(id, "promptId");
        shared(() -> entries.put(id, estimate));
    }

    /** The entry; for an absent prompt the uninformed prior or an error, see the constructor. */
    BetaEstimate get(String id) {
        Objects.requireNonNull(id, "promptId");
        return shared(() -> lookup(id));
    }

    /** The entries of many prompts under one lock; null for absent ones. */
    BetaEstimate[] getAllOrNull(List<String> ids) {
        return shared(
                () -> {
                    BetaEstimate[] out = new BetaEstimate[ids.size()];
                    for (int i = 0; i < out.length; i++) {
                        out[i] = entries.get(ids.get(i));
                    }
                    return out;
                });
    }

    /** Atomically replaces a prompt's entry {@code e} by {@code f(e)}. */
    void update(String id, UnaryOperator<BetaEstimate> f) {
        Objects.requireNonNull(id, "promptId");
        shared(() -> entries.compute(id, (k, old) -> f.apply(old != null ? old : missing(k))));
    }

    /** Like {@link #get} but without taking the lock, for callers that already hold it. */
    BetaEstimate lookup(String id) {
        BetaEstimate e = entries.get(Objects.requireNonNull(id, "promptId"));
        return e != null ? e : missing(id);
    }

    private BetaEstimate missing(String id) {
        if (autoInitialize) {
            return BetaEstimate.UNINFORMED;
        }
        throw new IllegalArgumentException(
                "unknown prompt '"
                        + id
                        + "': SPO has no tracker entry for it; call initialize(id, successes,"
                        + " samples) first, or build with optAutoInitialize(true) to start unseen"
                        + " prompts at alpha = beta = 0.5");
    }

    boolean contains(String id) {
        return entries.containsKey(id);
    }

    int size() {
        return entries.size();
    }

    Map<String, BetaEstimate> snapshot() {
        Lock w = lock.writeLock();
        w.lock();
        try {
            return new HashMap<>(entries);
        } finally {
            w.unlock();
        }
    }

    void replace(Map<String, BetaEstimate> state) {
        Lock w = lock.writeLock();
        w.lock();
        try {
            entries.clear();
            entries.putAll(state);
        } finally {
            w.unlock();
        }
    }

    <T> T shared(Supplier<T> action) {
        Lock r = lock.readLock();
        r.lock();
        try {
            return action.get();
        } finally {
            r.unlock();
        }
    }
}
