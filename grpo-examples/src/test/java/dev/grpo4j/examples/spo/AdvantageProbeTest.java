package dev.grpo4j.examples.spo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grpo4j.advantage.GrpoAdvantage;
import dev.grpo4j.advantage.SpoAdvantage;
import dev.grpo4j.core.advantage.AdvantageEstimator;
import dev.grpo4j.core.advantage.AdvantageInput;
import dev.grpo4j.core.advantage.Advantages;
import dev.grpo4j.core.advantage.DriftAwareEstimator;
import dev.grpo4j.core.advantage.StatefulEstimator;
import dev.grpo4j.core.rollout.Rollout;
import dev.grpo4j.core.rollout.RolloutGroup;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdvantageProbeTest {

    private static RolloutGroup group(String key, double... rewards) {
        List<Rollout> rollouts = new ArrayList<>();
        for (double r : rewards) {
            rollouts.add(
                    Rollout.builder().setPromptIds(1, 2).setCompletionIds(3).optRewards(r).build());
        }
        return RolloutGroup.of(key, rollouts);
    }

    @Test
    void countsTheZeroAdvantagesOfFlatGrpoGroups() {
        AdvantageProbe probe = AdvantageProbe.of(GrpoAdvantage.builder().build());
        AdvantageInput input =
                AdvantageInput.ofRollouts(
                        List.of(
                                group("a", 1, 1, 1, 1),
                                group("b", 1, 0, 0, 0),
                                group("c", 0, 0, 0, 0)));
        Advantages out = probe.estimate(input);
        assertThat(out.values())
                .containsExactly(GrpoAdvantage.builder().build().estimate(input).values());
        assertThat(probe.takeZeroShare()).isEqualTo(8.0 / 12.0);
        // The count restarts after each take.
        assertThat(probe.takeZeroShare()).isNaN();
        probe.estimate(AdvantageInput.ofRollouts(List.of(group("b", 1, 0))));
        probe.estimate(AdvantageInput.ofRollouts(List.of(group("a", 1, 1))));
        assertThat(probe.takeZeroShare()).isEqualTo(0.5);
        assertThat(probe).isNotInstanceOf(DriftAwareEstimator.class);
        assertThat(probe.name()).isEqualTo(GrpoAdvantage.builder().build().name());
    }

    @Test
    void keepsSposTrackerRolesAndForwardsThem() {
        SpoAdvantage spo = SpoAdvantage.builder().build();
        spo.initialize("a", 2, 8);
        spo.initialize("b", 6, 8);
        AdvantageProbe probe = AdvantageProbe.of(spo);
        assertThat(probe)
                .isInstanceOf(DriftAwareEstimator.class)
                .isInstanceOf(StatefulEstimator.class);
        assertThat(probe.name()).isEqualTo("spo");

        AdvantageInput input = AdvantageInput.ofRollouts(List.of(group("a", 1), group("b", 0)));
        assertThat(probe.estimate(input).values())
                .containsExactly(spo.compute(new String[] {"a", "b"}, new double[] {1, 0}));
        assertThat(probe.takeZeroShare()).isEqualTo(0.0);

        double before = spo.estimate("a");
        ((DriftAwareEstimator) probe).observe("a", 1.0, 0.0);
        assertThat(spo.estimate("a")).isGreaterThan(before);
        String state = ((StatefulEstimator) probe).stateToJson();
        assertThat(state).isEqualTo(spo.stateToJson());
        spo.initialize("a", 0, 8);
        ((StatefulEstimator) probe).restoreState(state);
        assertThat(spo.stateToJson()).isEqualTo(state);
    }

    @Test
    void rejectsDriftAwareEstimatorsWithoutState() {
        assertThatThrownBy(() -> AdvantageProbe.of(new DriftOnly()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("drift-only is not stateful");
    }

    @Test
    void rejectsPerTokenAdvantages() {
        AdvantageEstimator perToken =
                input -> Advantages.perToken(new double[][] {{0.5}}, null, null);
        AdvantageProbe probe = AdvantageProbe.of(perToken);
        assertThatThrownBy(() -> probe.estimate(AdvantageInput.ofRollouts(List.of(group("a", 1)))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("returned TOKEN advantages");
    }

    /** Drift-aware but not stateful: a combination the probe does not wrap. */
    private static final class DriftOnly implements AdvantageEstimator, DriftAwareEstimator {
        @Override
        public Advantages estimate(AdvantageInput input) {
            return Advantages.perRollout(new double[input.rowCount()]);
        }

        @Override
        public void observe(String promptKey, double reward, double drift) {}

        @Override
        public String name() {
            return "drift-only";
        }
    }
}
