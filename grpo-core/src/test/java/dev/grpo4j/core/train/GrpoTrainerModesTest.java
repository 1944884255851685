package dev.grpo4j.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import dev.grpo4j.core.advantage.AdvantageEstimator;
import dev.grpo4j.core.advantage.AdvantageInput;
import dev.grpo4j.core.advantage.Advantages;
import dev.grpo4j.core.advantage.DriftAwareEstimator;
import dev.grpo4j.core.env.Environment;
import dev.grpo4j.core.env.EnvironmentException;
import dev.grpo4j.core.env.Observation;
import dev.grpo4j.core.env.Transition;
import dev.grpo4j.core.rollout.Prompt;
import dev.grpo4j.core.rollout.Rollout;
import dev.grpo4j.core.testing.GroupNormalizedEstimator;
import dev.grpo4j.core.testing.TinyCausalPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GrpoTrainerModesTest {

    /**
     * Two turns: the first action's first token is echoed into the second observation; the episode
     * pays 1 at the end if the second action repeats the target, 0.2 per turn otherwise.
     */
    static class EchoEnvironment implements Environment {
        private int target;
        private int turn;

        @Override
        public Observation reset(Prompt task) {
            target = (Integer) task.get("target");
            turn = 0;
            return new Observation(task.ids(), "start-" + task.key());
        }

        @Override
        public Transition step(int[] action) {
            turn++;
            if (turn == 1) {
                return Transition.next(
                        new Observation(new int[] {5, action[0]}, "echo-" + action[0]), 0.0);
            }
            return Transition.end(action[0] == target ? 1.0 : 0.2);
        }
    }

    @Test
    void multiTurnEpisodesBecomeOneLossRowPerStep() {
        try (NDManager m = NDManager.newBaseManager()) {
            TinyCausalPolicy policy = TrainerFixture.policy(m, 21);
            List<Integer> rowsPerStep = new ArrayList<>();
            AdvantageEstimator counting =
                    new GroupNormalizedEstimator() {
                        @Override
                        public Advantages estimate(AdvantageInput input) {
                            rowsPerStep.add(input.rowCount());
                            assertThat(input.kind()).isEqualTo(AdvantageInput.Kind.TRAJECTORIES);
                            return super.estimate(input);
                        }
                    };
            GrpoConfig config = TrainerFixture.config().optMaxTurns(3).optMaxSteps(3).build();
            try (GrpoTrainer trainer =
                    GrpoTrainer.builder()
                            .setPolicy(policy)
                            .setConfig(config)
                            .setPromptSource(PromptSources.cycling(TrainerFixture.PROMPTS))
                            .optEnvironment(EchoEnvironment::new)
                            .optAdvantageEstimator(counting)
                            .build()) {
                List<StepMetrics> history = trainer.train();
                assertThat(history).hasSize(3);
                // Every episode takes exactly two turns: 2 tasks x 4 trajectories x 2 steps.
                assertThat(rowsPerStep).containsOnly(16);
                assertThat(history.get(0).getOrDefault("episode/mean_turns", 0)).isEqualTo(2.0);
                assertThat(history.get(0).getOrDefault("reward", -1)).isBetween(0.2, 1.0);
            }
        }
    }

    @Test
    void aThrowingEnvironmentIsNamedWithTaskTrajectoryAndTurn(@TempDir Path dir) throws Exception {
        int[] steps = {0};
        try (NDManager m = NDManager.newBaseManager()) {
            TinyCausalPolicy policy = TrainerFixture.policy(m, 22);
            GrpoConfig config =
                    TrainerFixture.config()
                            .optMaxSteps(5)
                            .optOutputDir(dir)
                            .optSaveSteps(1)
                            .build();
            try (GrpoTrainer trainer =
                    GrpoTrainer.builder()
                            .setPolicy(policy)
                            .setConfig(config)
                            .setPromptSource(PromptSources.cycling(TrainerFixture.PROMPTS))
                            .optAdvantageEstimator(new GroupNormalizedEstimator())
                            .optEnvironment(
                                    () ->
                                            new EchoEnvironment() {
                                                @Override
                                                public Transition step(int[] action) {
                                                    // 8 episodes x 2 turns = 16 env steps per
                                                    // training step.
                                                    if (++steps[0] == 16 + 9) {
                                                        throw new IllegalStateException(
                                                                "simulator lost");
                                                    }
                                                    return super.step(action);
                                                }
                                            })
                            .build()) {
                assertThatThrownBy(trainer::train)
                        .isInstanceOf(EnvironmentException.class)
                        .hasMessageContaining("simulator lost")
                        .hasMessageContaining("task 'one'")
                        .hasMessageContaining("turn 1");
                assertThat(trainer.currentStep()).isEqualTo(1);
            }
        }
        assertThat(Files.readString(dir.resolve("checkpoints/latest")))
                .isEqualTo("checkpoint-000001");
    }

    @Test
    void aTrajectoryStepWithoutSupportIsRejectedAtBuild() {
        try (NDManager m = NDManager.newBaseManager()) {
            TinyCausalPolicy policy = TrainerFixture.policy(m, 23);
            AdvantageEstimator rolloutsOnly =
                    new AdvantageEstimator() {
                        @Override
                        public Advantages estimate(AdvantageInput input) {
                            return Advantages.perRollout(new double[input.rowCount()]);
                        }
                    };
            assertThatThrownBy(
                            () ->
                                    GrpoTrainer.builder()
                                            .setPolicy(policy)
                                            .setConfig(TrainerFixture.config().build())
                                            .setPromptSource(
                                                    PromptSources.cycling(TrainerFixture.PROMPTS))
                                            .optEnvironment(EchoEnvironment::new)
                                            .optAdvantageEstimator(rolloutsOnly)
                                            .build())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("does not support TRAJECTORIES");
        }
    }

    /** Records SPO's drift updates; advantages are reward minus 0.5. */
    static final class DriftRecorder implements AdvantageEstimator, DriftAwareEstimator {
        final List<String> keys = new ArrayList<>();
        final List<Double> drifts = new ArrayList<>();
        final List<Double> rewards = new ArrayList<>();

        @Override
        public Advantages estimate(AdvantageInput input) {
            double[] a = new double[input.rowCount()];
            int i = 0;
            for (var g : input.rolloutGroups()) {
                for (Rollout r : g.rollouts()) {
                    a[i++] = r.rewards()[0] - 0.5;
                }
            }
            return Advantages.perRollout(a);
        }

        @Override
        public void observe(String promptKey, double reward, double drift) {
            keys.add(promptKey);
            rewards.add(reward);
            drifts.add(drift);
        }
    }

    @Test
    void singleStreamMeasuresDriftZeroAtFirstVisitAndPositiveAfterUpdates() {
        try (NDManager m = NDManager.newBaseManager()) {
            TinyCausalPolicy policy = TrainerFixture.policy(m, 24);
            DriftRecorder spo = new DriftRecorder();
            GrpoConfig config = TrainerFixture.config().optNumGenerations(1).optMaxSteps(3).build();
            try (GrpoTrainer trainer =
                    TrainerFixture.trainer(policy, config).optAdvantageEstimator(spo).build()) {
                trainer.train();
                assertThat(spo.keys)
                        .containsExactly("one", "three", "one", "three", "one", "three");
                assertThat(spo.drifts.subList(0, 2)).containsExactly(0.0, 0.0);
                assertThat(spo.drifts.subList(2, 6)).allSatisfy(d -> assertThat(d).isPositive());
                for (int i = 0; i < 6; i++) {
                    assertThat(spo.rewards.get(i)).isBetween(0.0, 1.0);
                }
                assertThat(trainer.history().get(2).getOrDefault("spo/drift_mean", -1))
                        .isCloseTo((spo.drifts.get(4) + spo.drifts.get(5)) / 2, within(1e-12));
            }
        }
    }

    @Test
    void duplicatePromptsInOneBatchSeeTheirFirstOccurrenceAsPrevious() {
        DriftTracker tracker = new DriftTracker();
        Rollout a = Rollout.builder().setPromptIds(1).setCompletionIds(2, 0).build();
        Rollout b = Rollout.builder().setPromptIds(1).setCompletionIds(4, 0).build();
        // First batch: the same prompt twice, both first visits of the batch.
        double[] first =
                tracker.measureAndStore(
                        List.of("p", "p"), List.of(a, b), rows -> fixedLogProbs(rows, -1f));
        assertThat(first).containsExactly(0.0, 0.0);
        // Second batch: the stored response (b, lp -1) now has lp -1.5: drift 0.5; a duplicate gets
        // 0.
        double[] second =
                tracker.measureAndStore(
                        List.of("p", "p"), List.of(a, a), rows -> fixedLogProbs(rows, -1.5f));
        assertThat(second).containsExactly(0.5, 0.0);
    }

    private static float[][] fixedLogProbs(List<Rollout> rows, float value) {
        float[][] out = new float[rows.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = new float[rows.get(i).completionLength()];
            java.util.Arrays.fill(out[i], value);
        }
        return out;
    }
}
