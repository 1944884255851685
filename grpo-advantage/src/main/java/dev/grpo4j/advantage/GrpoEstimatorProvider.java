package dev.grpo4j.advantage;

import dev.grpo4j.core.advantage.AdvantageEstimator;
import dev.grpo4j.core.train.AdvantageEstimatorProvider;
import dev.grpo4j.core.train.GrpoConfig;

/**
 * Registers TRL's GRPO estimator as the trainer's default (through {@link
 * java.util.ServiceLoader}): a {@code GrpoTrainer} built without an estimator gets {@code
 * GrpoAdvantage} with the config's {@code scale_rewards}, epsilon 1e-4, NaN rewards ignored and
 * singleton groups rejected, as TRL.
 */
public final class GrpoEstimatorProvider implements AdvantageEstimatorProvider {

    /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
    public GrpoEstimatorProvider() {}

    @Override
    public AdvantageEstimator create(GrpoConfig config) {
        if (config.numGenerations() < 2) {
            throw new IllegalArgumentException(
                    "num_generations is "
                            + config.numGenerations()
                            + ": GRPO needs groups of at least 2 completions (as TRL); for one sample per"
                            + " prompt use SpoAdvantage with SpoPromptSampler");
        }
        return GrpoAdvantage.builder()
                .optScale(RewardScale.fromName(config.scaleRewards()))
                .build();
    }
}
