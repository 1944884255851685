package dev.grpo4j.core.advantage;

/**
 * An estimator that carries state across training steps (SPO's per-prompt value tracker). The
 * trainer saves this state in every checkpoint and restores it on resume, so that a resumed run
 * continues exactly.
 */
public interface StatefulEstimator {

    /**
     * Serialises the whole state.
     *
     * @return a JSON document
     */
    String stateToJson();

    /**
     * Replaces the whole state with one produced by {@link #stateToJson()}.
     *
     * @param json the saved state
     * @throws IllegalArgumentException if the document is not a valid state
     */
    void restoreState(String json);
}
