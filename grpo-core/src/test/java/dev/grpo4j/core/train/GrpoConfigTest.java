package dev.grpo4j.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grpo4j.core.loss.LossType;
import dev.grpo4j.core.train.optim.LearningRateSchedule;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class GrpoConfigTest {

    @Test
    void defaultsFollowTrl() {
        GrpoConfig c = GrpoConfig.builder().build();
        assertThat(c.numGenerations()).isEqualTo(8);
        assertThat(c.maxPromptLength()).isEqualTo(512);
        assertThat(c.maxCompletionLength()).isEqualTo(512);
        assertThat(c.temperature()).isEqualTo(1.0);
        assertThat(c.topP()).isEqualTo(1.0);
        assertThat(c.topK()).isZero();
        assertThat(c.learningRate()).isEqualTo(1e-6);
        assertThat(c.lrScheduler()).isEqualTo(LearningRateSchedule.LINEAR);
        assertThat(c.weightDecay()).isZero();
        assertThat(c.maxGradNorm()).isEqualTo(1.0);
        assertThat(c.numIterations()).isEqualTo(1);
        assertThat(c.beta()).isZero();
        assertThat(c.lossType()).isEqualTo(LossType.DAPO);
        assertThat(c.epsilon()).isEqualTo(0.2);
        assertThat(c.epsilonHigh()).isEqualTo(0.2);
        assertThat(c.delta()).isEmpty();
        assertThat(c.scaleRewards()).isEqualTo("group");
        assertThat(c.maskTruncatedCompletions()).isFalse();
        assertThat(c.topEntropyQuantile()).isEqualTo(1.0);
        assertThat(c.seed()).isEqualTo(42);
        assertThat(c.loggingSteps()).isEqualTo(10);
        assertThat(c.saveSteps()).as("no output dir, no checkpoints").isZero();
    }

    @Test
    void warmupRatioIsAFractionOfMaxSteps() {
        assertThat(GrpoConfig.builder().optMaxSteps(100).optWarmupRatio(0.1).build().warmupSteps())
                .isEqualTo(10);
        assertThat(
                        GrpoConfig.builder()
                                .optMaxSteps(100)
                                .optWarmupSteps(7)
                                .optWarmupRatio(0.5)
                                .build()
                                .warmupSteps())
                .isEqualTo(7);
    }

    @Test
    void scaleRewardsAcceptsTrlsSpellings() {
        assertThat(GrpoConfig.builder().optScaleRewards("True").build().scaleRewards())
                .isEqualTo("group");
        assertThat(GrpoConfig.builder().optScaleRewards("false").build().scaleRewards())
                .isEqualTo("none");
        assertThat(GrpoConfig.builder().optScaleRewards("batch").build().scaleRewards())
                .isEqualTo("batch");
    }

    @Test
    void theLossFollowsTheConfig() {
        GrpoConfig c =
                GrpoConfig.builder()
                        .optLossType(LossType.BNPO)
                        .optBeta(0.04)
                        .optClip(0.2, 0.28)
                        .build();
        assertThat(c.loss().lossType()).isEqualTo(LossType.BNPO);
        assertThat(c.loss().beta()).isEqualTo(0.04);
        assertThat(c.toMap())
                .containsEntry("epsilon_high", 0.28)
                .containsEntry("loss_type", "bnpo");
    }

    private static void rejects(Consumer<GrpoConfig.Builder> setting, String... fragments) {
        var thrown =
                assertThatThrownBy(
                        () -> {
                            GrpoConfig.Builder b = GrpoConfig.builder();
                            setting.accept(b);
                            b.build();
                        });
        thrown.isInstanceOf(IllegalArgumentException.class);
        for (String f : fragments) {
            thrown.hasMessageContaining(f);
        }
    }

    @Test
    void badValuesNameTheSettingAndTheValue() {
        rejects(b -> b.optNumGenerations(0), "num_generations", "0");
        rejects(b -> b.optPromptsPerStep(-2), "prompts_per_step", "-2");
        rejects(b -> b.optMaxCompletionLength(0), "max_completion_length", "0");
        rejects(b -> b.optTemperature(0), "temperature", "0");
        rejects(b -> b.optTopP(1.5), "top_p", "1.5");
        rejects(b -> b.optTopK(-1), "top_k", "-1");
        rejects(b -> b.optLearningRate(Double.NaN), "learning_rate", "NaN");
        rejects(b -> b.optWarmupRatio(1.0), "warmup_ratio", "1.0");
        rejects(b -> b.optWeightDecay(-0.1), "weight_decay", "-0.1");
        rejects(b -> b.optMaxSteps(0), "max_steps", "0");
        rejects(b -> b.optNumIterations(0), "num_iterations", "0");
        rejects(b -> b.optBeta(-0.04), "beta", "-0.04");
        rejects(b -> b.optClip(1.2, 0.2), "epsilon", "1.2");
        rejects(b -> b.optClip(0.2, -0.1), "epsilon_high", "-0.1");
        rejects(b -> b.optDelta(0.5), "delta", "0.5");
        rejects(b -> b.optDualClip(1.0), "dual clip", "1.0");
        rejects(b -> b.optScaleRewards("median"), "scale_rewards", "median");
        rejects(b -> b.optTopEntropyQuantile(0), "top_entropy_quantile", "0");
        rejects(b -> b.optEntropyCoeff(-0.01), "entropy_coeff", "-0.01");
        rejects(b -> b.optLoggingSteps(0), "logging_steps", "0");
        rejects(b -> b.optStopTokenIds(2, -1), "stop token", "-1");
        rejects(b -> b.optAdam(1.0, 0.999, 1e-8), "adam_beta1", "1.0");
    }

    @Test
    void combinationsAreCheckedAtBuild() {
        rejects(b -> b.optClip(0.2, 0.28).optDelta(1.2), "delta (1.2)", "1 + epsilon_high (1.28)");
        rejects(b -> b.optMaxSteps(10).optWarmupSteps(10), "warmup_steps (10)", "max_steps (10)");
        rejects(b -> b.optSaveSteps(5), "save_steps is 5", "output_dir");
        assertThat(
                        GrpoConfig.builder()
                                .optSaveSteps(5)
                                .optOutputDir(Path.of("x"))
                                .build()
                                .saveSteps())
                .isEqualTo(5);
    }
}
