package dev.grpo4j.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import dev.grpo4j.core.reward.RewardFunction;
import dev.grpo4j.core.reward.RewardSet;
import dev.grpo4j.core.testing.RecordingLogProbComputer;
import dev.grpo4j.core.testing.TinyCausalPolicy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GrpoTrainerTest {

    @Test
    void rewardRisesAndEveryParameterChanges() {
        try (NDManager m = NDManager.newBaseManager()) {
            TinyCausalPolicy policy = TrainerFixture.policy(m, 1);
            List<float[]> before = new ArrayList<>();
            for (var p : policy.getParameters()) {
                before.add(p.getValue().getArray().toFloatArray());
            }
            GrpoConfig config =
                    TrainerFixture.config().optNumGenerations(8).optMaxSteps(40).build();
            try (GrpoTrainer trainer = TrainerFixture.trainer(policy, config).build()) {
                List<StepMetrics> history = trainer.train();
                assertThat(history).hasSize(40);
                double first = mean(history.subList(0, 5));
                double last = mean(history.subList(30, 40));
                // A random policy scores about 0.6; a group that collapses onto one answer stops
                // learning (zero spread, zero advantage), so the bar is "clearly better", not
                // perfect.
                assertThat(last).isGreaterThan(first + 0.1).isGreaterThan(0.85);
                assertThat(history.get(29).values())
                        .containsKeys(
                                "reward",
                                "reward_std",
                                "frac_reward_zero_std",
                                "rewards/correct/mean",
                                "rewards/correct/std",
                                "loss",
                                "grad_norm",
                                "learning_rate",
                                "lr",
                                "tokens/s",
                                "entropy",
                                "clip_ratio/region_mean",
                                "completions/mean_length",
                                "completions/clipped_ratio",
                                "num_tokens");
            }
            int i = 0;
            for (var p : policy.getParameters()) {
                assertThat(p.getValue().getArray().toFloatArray())
                        .as("parameter %s changed", p.getKey())
                        .isNotEqualTo(before.get(i++));
            }
        }
    }

    private static double mean(List<StepMetrics> steps) {
        return steps.stream()
                .mapToDouble(s -> s.getOrDefault("reward", Double.NaN))
                .average()
                .orElseThrow();
    }

    /**
     * With mu = 2, old log-probs are computed once per step and the second update is judged by
     * them.
     */
    @Test
    void numIterationsAboveOneUsesTheStoredOldLogProbs() {
        try (NDManager m = NDManager.newBaseManager()) {
            TinyCausalPolicy policy = TrainerFixture.policy(m, 2);
            RecordingLogProbComputer recorder = new RecordingLogProbComputer();
            GrpoConfig config =
                    TrainerFixture.config()
                            .optNumIterations(2)
                            .optMaxSteps(3)
                            .optLogProbComputer(recorder)
                            .build();
            try (GrpoTrainer trainer = TrainerFixture.trainer(policy, config).build()) {
                for (int s = 0; s < 3; s++) {
                    recorder.clear();
                    StepMetrics metrics = trainer.step();
                    List<RecordingLogProbComputer.Call> calls = recorder.calls();
                    assertThat(calls)
                            .extracting(RecordingLogProbComputer.Call::training)
                            .containsExactly(false, true, true);
                    float[] old = calls.get(0).logProbs();
                    float[] firstPass = calls.get(1).logProbs();
                    float[] secondPass = calls.get(2).logProbs();
                    float[] mask = calls.get(0).mask();
                    // Before the first update the old log-probs are the current ones...
                    assertThat(firstPass).containsExactly(old, within(1e-6f));
                    // ...and the second update sees a changed policy against the same stored
                    // values.
                    assertThat(maxAbsDiff(secondPass, old)).isGreaterThan(1e-4);
                    double ppoKl = 0.5 * (0 + maskedMean(old, secondPass, mask));
                    assertThat(metrics.getOrDefault("ppo_kl", Double.NaN))
                            .isCloseTo(ppoKl, within(1e-5));
                }
            }
        }
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    private static double maskedMean(float[] old, float[] now, float[] mask) {
        double sum = 0;
        double count = 0;
        for (int i = 0; i < old.length; i++) {
            sum += mask[i] * (old[i] - now[i]);
            count += mask[i];
        }
        return sum / count;
    }

    /** With beta > 0 the reference pass uses a frozen copy of the initial policy, every step. */
    @Test
    void betaAboveZeroUsesTheFrozenInitialPolicyAsReference() {
        try (NDManager m = NDManager.newBaseManager()) {
            TinyCausalPolicy policy = TrainerFixture.policy(m, 3);
            var initial = policy.frozenCopy(m);
            RecordingLogProbComputer recorder = new RecordingLogProbComputer();
            GrpoConfig config =
                    TrainerFixture.config()
                            .optBeta(0.1)
                            .optMaxSteps(4)
                            .optLogProbComputer(recorder)
                            .build();
            try (GrpoTrainer trainer = TrainerFixture.trainer(policy, config).build()) {
                double lastKl = 0;
                for (int s = 0; s < 4; s++) {
                    recorder.clear();
                    StepMetrics metrics = trainer.step();
                    List<RecordingLogProbComputer.Call> calls = recorder.calls();
                    assertThat(calls).hasSize(2);
                    RecordingLogProbComputer.Call ref = calls.get(0);
                    assertThat(ref.training()).isFalse();
                    assertThat(ref.policy()).isNotSameAs(policy).isNotSameAs(initial);
                    // The reference's log-probs are exactly the untouched initial policy's.
                    float[] fromInitial = logProbsOf(initial, ref.groups(), m);
                    assertThat(ref.logProbs()).containsExactly(fromInitial, within(1e-6f));
                    lastKl = metrics.getOrDefault("kl", Double.NaN);
                }
                assertThat(lastKl).isGreaterThan(0.0);
            }
        }
    }

    /** Recomputes a recorded batch's log-probs under {@code policy}. */
    private static float[] logProbsOf(
            dev.grpo4j.core.policy.CausalLmPolicy policy,
            List<dev.grpo4j.core.rollout.RolloutGroup> groups,
            NDManager m) {
        try (var batch = dev.grpo4j.core.rollout.RolloutBatch.of(m, groups)) {
            return new dev.grpo4j.core.policy.PlainLogProbComputer()
                    .compute(
                            policy, new ai.djl.training.ParameterStore(m, false), batch, 1.0, false)
                    .logProbs()
                    .toFloatArray();
        }
    }

    @Test
    void nativeMemoryDoesNotGrowAcrossSteps() {
        try (NDManager m = NDManager.newBaseManager()) {
            TinyCausalPolicy policy = TrainerFixture.policy(m, 4);
            GrpoConfig config = TrainerFixture.config().optMaxSteps(300).optBeta(0.05).build();
            try (GrpoTrainer trainer = TrainerFixture.trainer(policy, config).build()) {
                for (int s = 0; s < 50; s++) {
                    trainer.step();
                }
                int arraysAfterWarmup = m.getManagedArrays().size();
                System.gc();
                long rssAfterWarmup = rssBytes();
                while (trainer.currentStep() < 300) {
                    trainer.step();
                    // DJL's accounting is exact: not one array may survive a step.
                    assertThat(m.getManagedArrays().size())
                            .as("live NDArrays after step %d", trainer.currentStep())
                            .isEqualTo(arraysAfterWarmup);
                }
                System.gc();
                long growth = rssBytes() - rssAfterWarmup;
                // A coarse guard for native allocations outside DJL's accounting; JIT code and heap
                // pages touched for the first time account for about 10 MB here.
                assertThat(growth).as("RSS growth over 250 steps").isLessThan(48L << 20);
            }
        }
    }

    static long rssBytes() {
        try {
            for (String line :
                    java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }

    @Test
    void rejectsLengthsBeyondThePolicy() {
        try (NDManager m = NDManager.newBaseManager()) {
            TinyCausalPolicy policy = TrainerFixture.policy(m, 5);
            GrpoConfig config =
                    TrainerFixture.config()
                            .optMaxPromptLength(10)
                            .optMaxCompletionLength(10)
                            .build();
            assertThatThrownBy(() -> TrainerFixture.trainer(policy, config).build())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("= 20 exceeds the policy's maximum sequence length 16");
        }
    }

    @Test
    void rejectsATrainerWithoutRewards() {
        try (NDManager m = NDManager.newBaseManager()) {
            TinyCausalPolicy policy = TrainerFixture.policy(m, 5);
            assertThatThrownBy(
                            () ->
                                    GrpoTrainer.builder()
                                            .setPolicy(policy)
                                            .setConfig(TrainerFixture.config().build())
                                            .setPromptSource(
                                                    PromptSources.cycling(TrainerFixture.PROMPTS))
                                            .optAdvantageEstimator(
                                                    new dev.grpo4j.core.testing
                                                            .GroupNormalizedEstimator())
                                            .build())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("needs reward functions");
        }
    }

    @Test
    void parametersRemainTrainableTensors() {
        try (NDManager m = NDManager.newBaseManager()) {
            TinyCausalPolicy policy = TrainerFixture.policy(m, 6);
            try (GrpoTrainer trainer =
                    TrainerFixture.trainer(policy, TrainerFixture.config().build()).build()) {
                trainer.step();
                for (var p : policy.getParameters()) {
                    Parameter param = p.getValue();
                    NDArray a = param.getArray();
                    assertThat(a.hasGradient()).as(p.getKey()).isTrue();
                }
            }
        }
    }

    /**
     * With a constant reward every advantage is 0, so the policy term is silent: with {@code
     * entropy_coeff} the only force left is the bonus, which must raise the entropy; without it
     * nothing changes.
     */
    @Test
    void entropyBonusAloneRaisesTheEntropyWhenEveryAdvantageIsZero() {
        double[] firstAndLast = new double[2];
        for (double coeff : new double[] {0.0, 0.5}) {
            try (NDManager m = NDManager.newBaseManager()) {
                TinyCausalPolicy policy = TrainerFixture.policy(m, 3);
                GrpoConfig config =
                        TrainerFixture.config().optMaxSteps(25).optEntropyCoeff(coeff).build();
                try (GrpoTrainer trainer =
                        TrainerFixture.trainer(policy, config)
                                .optRewards(
                                        RewardSet.of(RewardFunction.named("constant", c -> 0.5)))
                                .build()) {
                    List<StepMetrics> history = trainer.train();
                    firstAndLast[0] = history.get(0).getOrDefault("entropy", Double.NaN);
                    firstAndLast[1] = history.get(24).getOrDefault("entropy", Double.NaN);
                }
            }
            if (coeff == 0.0) {
                assertThat(firstAndLast[1]).isCloseTo(firstAndLast[0], within(0.05));
            } else {
                assertThat(firstAndLast[1]).isGreaterThan(firstAndLast[0] + 0.05);
            }
        }
    }
}
