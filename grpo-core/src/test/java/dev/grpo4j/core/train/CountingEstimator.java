package dev.grpo4j.core.train;

import dev.grpo4j.core.advantage.AdvantageEstimator;
import dev.grpo4j.core.advantage.AdvantageInput;
import dev.grpo4j.core.advantage.Advantages;
import dev.grpo4j.core.advantage.StatefulEstimator;
import dev.grpo4j.core.testing.GroupNormalizedEstimator;

/**
 * A stateful estimator for checkpoint tests: group z-scores scaled by {@code 1 + calls / 10}, where
 * {@code calls} is its saved state, so a resume that forgot the state would change every advantage.
 */
final class CountingEstimator implements AdvantageEstimator, StatefulEstimator {

    private final GroupNormalizedEstimator inner = new GroupNormalizedEstimator();
    private int calls;

    @Override
    public Advantages estimate(AdvantageInput input) {
        double[] v = inner.estimate(input).values();
        double scale = 1 + calls / 10.0;
        calls++;
        for (int i = 0; i < v.length; i++) {
            v[i] *= scale;
        }
        return Advantages.perRollout(v);
    }

    @Override
    public String stateToJson() {
        return "{\"calls\":" + calls + "}";
    }

    @Override
    public void restoreState(String json) {
        calls = Integer.parseInt(json.replaceAll("[^0-9]", ""));
    }

    int calls() {
        return calls;
    }
}
