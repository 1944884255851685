package dev.grpo4j.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import dev.grpo4j.core.reward.RewardException;
import dev.grpo4j.core.reward.RewardFunction;
import dev.grpo4j.core.reward.RewardSet;
import dev.grpo4j.core.testing.TinyCausalPolicy;
import dev.grpo4j.core.train.optim.LearningRateSchedule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GrpoTrainerCheckpointTest {

    /** Metrics that measure wall time differ between any two runs; everything else must not. */
    private static Map<String, Double> deterministic(StepMetrics m) {
        Map<String, Double> v = new HashMap<>(m.values());
        v.remove("tokens/s");
        return v;
    }

    private static GrpoConfig config(Path out) {
        return TrainerFixture.config()
                .optMaxSteps(6)
                .optNumIterations(2)
                .optBeta(0.05)
                .optLrScheduler(LearningRateSchedule.LINEAR)
                .optWarmupSteps(2)
                .optWeightDecay(0.01)
                .optOutputDir(out)
                .optSaveSteps(3)
                .build();
    }

    @Test
    void resumingAtTheMiddleGivesTheSameRunAsGoingStraight(@TempDir Path dir) {
        List<StepMetrics> straight;
        float[] straightParams;
        try (NDManager m = NDManager.newBaseManager()) {
            TinyCausalPolicy policy = TrainerFixture.policy(m, 7);
            try (GrpoTrainer trainer =
                    TrainerFixture.trainer(policy, config(dir.resolve("straight")))
                            .optAdvantageEstimator(new CountingEstimator())
                            .build()) {
                straight = trainer.train();
            }
            straightParams = flatParams(policy);
        }
        Path halfway = dir.resolve("halfway");
        try (NDManager m = NDManager.newBaseManager()) {
            TinyCausalPolicy policy = TrainerFixture.policy(m, 7);
            try (GrpoTrainer trainer =
                    TrainerFixture.trainer(policy, config(halfway))
                            .optAdvantageEstimator(new CountingEstimator())
                            .build()) {
                for (int s = 0; s < 3; s++) {
                    trainer.step();
                }
            }
        }
        assertThat(halfway.resolve("checkpoints/checkpoint-000003/trainer.json")).exists();
        List<StepMetrics> resumed;
        try (NDManager m = NDManager.newBaseManager()) {
            // A differently initialised policy: everything must come from the checkpoint.
            TinyCausalPolicy policy = TrainerFixture.policy(m, 99);
            CountingEstimator estimator = new CountingEstimator();
            try (GrpoTrainer trainer =
                    TrainerFixture.trainer(policy, config(halfway))
                            .optAdvantageEstimator(estimator)
                            .optResumeFrom(halfway)
                            .build()) {
                assertThat(trainer.currentStep()).isEqualTo(3);
                assertThat(estimator.calls()).isEqualTo(3);
                resumed = trainer.train();
            }
            assertThat(flatParams(policy)).containsExactly(straightParams);
        }
        assertThat(resumed).hasSize(6);
        for (int s = 0; s < 6; s++) {
            assertThat(deterministic(resumed.get(s)))
                    .as("metrics of step %d", s + 1)
                    .isEqualTo(deterministic(straight.get(s)));
        }
        // The metrics file tells one consistent history of six steps.
        assertThat(halfway.resolve("metrics.jsonl")).exists();
    }

    private static float[] flatParams(TinyCausalPolicy policy) {
        int n = 0;
        for (var p : policy.getParameters()) {
            n += (int) p.getValue().getArray().size();
        }
        float[] out = new float[n];
        int i = 0;
        for (var p : policy.getParameters()) {
            float[] a = p.getValue().getArray().toFloatArray();
            System.arraycopy(a, 0, out, i, a.length);
            i += a.length;
        }
        return out;
    }

    @Test
    void aThrowingRewardEndsTrainingClearlyAndLeavesTheLastCheckpoint(@TempDir Path dir)
            throws Exception {
        int[] calls = {0};
        RewardFunction flaky =
                RewardFunction.named(
                        "flaky",
                        c -> {
                            // 2 prompts x 4 completions per step: the first call of step 4 fails.
                            if (calls[0]++ == 3 * 8) {
                                throw new IllegalStateException("grader crashed");
                            }
                            return TrainerFixture.CORRECT.score(c);
                        });
        GrpoConfig config =
                TrainerFixture.config().optMaxSteps(10).optOutputDir(dir).optSaveSteps(2).build();
        try (NDManager m = NDManager.newBaseManager()) {
            TinyCausalPolicy policy = TrainerFixture.policy(m, 8);
            try (GrpoTrainer trainer =
                    TrainerFixture.trainer(policy, config)
                            .optRewards(RewardSet.of(flaky))
                            .optRewardEvaluator(
                                    dev.grpo4j.core.reward.RewardEvaluator.builder()
                                            .optExecutor(Runnable::run)
                                            .build())
                            .build()) {
                assertThatThrownBy(trainer::train)
                        .isInstanceOf(RewardException.class)
                        .hasMessageContaining("flaky")
                        .hasMessageContaining("grader crashed")
                        .hasMessageContaining("rollout 0");
                assertThat(trainer.currentStep()).isEqualTo(3);
            }
        }
        Path latest = dir.resolve("checkpoints/checkpoint-000002");
        assertThat(Files.readString(dir.resolve("checkpoints/latest")))
                .isEqualTo("checkpoint-000002");
        assertThat(latest.resolve("policy.params")).exists();
        try (var files = Files.list(dir.resolve("checkpoints"))) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("checkpoint-000002", "latest");
        }
        // And it resumes.
        try (NDManager m = NDManager.newBaseManager()) {
            TinyCausalPolicy policy = TrainerFixture.policy(m, 8);
            try (GrpoTrainer trainer =
                    TrainerFixture.trainer(policy, config).optResumeFrom(dir).build()) {
                assertThat(trainer.currentStep()).isEqualTo(2);
                trainer.step();
                assertThat(trainer.currentStep()).isEqualTo(3);
            }
        }
    }

    @Test
    void resumingFromNothingIsAClearError(@TempDir Path dir) {
        try (NDManager m = NDManager.newBaseManager()) {
            TinyCausalPolicy policy = TrainerFixture.policy(m, 9);
            assertThatThrownBy(
                            () ->
                                    TrainerFixture.trainer(policy, TrainerFixture.config().build())
                                            .optResumeFrom(dir.resolve("missing"))
                                            .build())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("no checkpoint found at");
        }
    }

    @Test
    void resumingIntoADifferentArchitectureIsAClearErrorAndKeepsTheCheckpoint(@TempDir Path dir)
            throws Exception {
        GrpoConfig config =
                TrainerFixture.config().optMaxSteps(4).optOutputDir(dir).optSaveSteps(2).build();
        try (NDManager m = NDManager.newBaseManager()) {
            TinyCausalPolicy policy = TrainerFixture.policy(m, 10);
            try (GrpoTrainer trainer = TrainerFixture.trainer(policy, config).build()) {
                trainer.step();
                trainer.step();
            }
        }
        byte[] saved =
                Files.readAllBytes(dir.resolve("checkpoints/checkpoint-000002/policy.params"));
        try (NDManager m = NDManager.newBaseManager()) {
            // Hidden width 12 instead of 8.
            TinyCausalPolicy wider =
                    TinyCausalPolicy.create(
                            m, TrainerFixture.VOCAB, 12, 16, ai.djl.ndarray.types.DataType.FLOAT32);
            float[] before = flatParams(wider);
            assertThatThrownBy(
                            () -> TrainerFixture.trainer(wider, config).optResumeFrom(dir).build())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("does not fit this policy");
            assertThat(flatParams(wider))
                    .as("the policy keeps its own parameters")
                    .containsExactly(before);
        }
        assertThat(Files.readAllBytes(dir.resolve("checkpoints/checkpoint-000002/policy.params")))
                .isEqualTo(saved);
        assertThat(Files.readString(dir.resolve("checkpoints/latest")))
                .isEqualTo("checkpoint-000002");
    }
}
