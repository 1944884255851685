package dev.grpo4j.advantage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grpo4j.core.train.AdvantageEstimatorProvider;
import dev.grpo4j.core.train.GrpoConfig;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class GrpoEstimatorProviderTest {

    @Test
    void isFoundByTheServiceLoaderAndFollowsScaleRewards() {
        AdvantageEstimatorProvider provider =
                ServiceLoader.load(AdvantageEstimatorProvider.class).findFirst().orElseThrow();
        GrpoAdvantage grpo =
                (GrpoAdvantage)
                        provider.create(GrpoConfig.builder().optScaleRewards("batch").build());
        assertThat(grpo.scale()).isEqualTo(RewardScale.BATCH);
        assertThat(grpo.epsilon()).isEqualTo(1e-4);
        assertThat(grpo.singletonPolicy()).isEqualTo(SingletonPolicy.REJECT);
    }

    @Test
    void refusesGroupsOfOne() {
        assertThatThrownBy(
                        () ->
                                new GrpoEstimatorProvider()
                                        .create(GrpoConfig.builder().optNumGenerations(1).build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("num_generations is 1")
                .hasMessageContaining("SpoAdvantage");
    }
}
