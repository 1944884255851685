package dev.grpo4j.core.env;

import dev.grpo4j.core.util.Checks;
import java.util.Objects;

/**
 * What the policy sees before it acts: the token ids it is conditioned on for this turn, and the
 * anchor state, the environment state without the history (GiGPO groups steps taken from identical
 * anchor states; see {@link dev.grpo4j.core.rollout.Step}).
 *
 * @param tokenIds the policy's input for this turn, non-empty
 * @param anchorState a string, number, array, list or map identifying the state
 */
public record Observation(int[] tokenIds, Object anchorState) {

    /**
     * Validates and copies.
     *
     * @param tokenIds the input ids
     * @param anchorState the state key
     */
    public Observation {
        Objects.requireNonNull(tokenIds, "tokenIds");
        Objects.requireNonNull(anchorState, "anchorState");
        Checks.require(tokenIds.length > 0, "an observation needs at least one token");
        tokenIds = tokenIds.clone();
    }

    @Override
    public int[] tokenIds() {
        return tokenIds.clone();
    }
}
