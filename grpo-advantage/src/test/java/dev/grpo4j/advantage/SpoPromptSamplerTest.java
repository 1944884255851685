package dev.grpo4j.advantage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.grpo4j.core.rollout.Prompt;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SpoPromptSamplerTest {

    private static final List<Prompt> POOL =
            List.of(Prompt.of("a", 1), Prompt.of("b", 2), Prompt.of("c", 3), Prompt.of("d", 4));

    /** ALGORITHMS.md section 4: offline successes [2, 8, 0, 5] of 8. */
    private static SpoAdvantage workedExample() {
        SpoAdvantage spo = SpoAdvantage.builder().build();
        int[] successes = {2, 8, 0, 5};
        for (int i = 0; i < POOL.size(); i++) {
            spo.initialize(POOL.get(i).key(), successes[i], 8);
        }
        return spo;
    }

    @Test
    void probabilitiesMatchWorkedExample() {
        SpoPromptSampler sampler = SpoPromptSampler.of(workedExample(), POOL);

        assertThat(sampler.weights())
                .containsExactly(
                        new double[] {0.497903, 0.279061, 0.279061, 0.537498}, within(1e-5));
        assertThat(sampler.probabilities())
                .containsExactly(
                        new double[] {0.312454, 0.175122, 0.175122, 0.337301}, within(1e-5));
    }

    @Test
    void drawsWithoutReplacementWhileThePoolIsLargeEnough() {
        SpoPromptSampler sampler = SpoPromptSampler.of(workedExample(), POOL);
        SplittableRandom random = new SplittableRandom(1);

        for (int i = 0; i < 50; i++) {
            List<Prompt> drawn = sampler.next(0, 4, random);
            assertThat(new HashSet<>(drawn)).hasSize(4);
        }
    }

    @Test
    void drawsWithReplacementWhenThePoolIsSmallerThanTheCount() {
        SpoPromptSampler sampler = SpoPromptSampler.of(workedExample(), POOL);

        List<Prompt> drawn = sampler.next(0, 10, new SplittableRandom(2));

        assertThat(drawn).hasSize(10).isSubsetOf(POOL);
    }

    @Test
    void sameSeedGivesTheSameDraws() {
        SpoPromptSampler sampler = SpoPromptSampler.of(workedExample(), POOL);

        assertThat(sampler.next(0, 3, new SplittableRandom(7)))
                .isEqualTo(sampler.next(0, 3, new SplittableRandom(7)));
        assertThat(sampler.next(0, 9, new SplittableRandom(7)))
                .isEqualTo(sampler.next(0, 9, new SplittableRandom(7)));
    }

    @Test
    void firstDrawFrequenciesFollowTheProbabilities() {
        SpoPromptSampler sampler = SpoPromptSampler.of(workedExample(), POOL);
        double[] expected = sampler.probabilities();
        SplittableRandom random = new SplittableRandom(3);
        int draws = 20_000;
        double[] firstCounts = new double[4];
        double[] singleCounts = new double[4];

        for (int i = 0; i < draws; i++) {
            firstCounts[POOL.indexOf(sampler.next(0, 2, random).get(0))]++;
            singleCounts[POOL.indexOf(sampler.next(0, 1, random).get(0))]++;
        }

        // Binomial std of a frequency is at most 0.5 / sqrt(20000) = 0.0035; 0.02 is over 5 sigma.
        for (int k = 0; k < 4; k++) {
            assertThat(firstCounts[k] / draws).isCloseTo(expected[k], within(0.02));
            assertThat(singleCounts[k] / draws).isCloseTo(expected[k], within(0.02));
        }
    }

    @Test
    void secondDrawFollowsSuccessiveSampling() {
        // P(second = j) = sum_{i != j} p_i p_j / (1 - p_i): the law of drawing one by one, each
        // time in proportion to the weights of the prompts not yet drawn.
        SpoPromptSampler sampler = SpoPromptSampler.of(workedExample(), POOL);
        double[] p = sampler.probabilities();
        SplittableRandom random = new SplittableRandom(4);
        int draws = 20_000;
        double[] counts = new double[4];

        for (int i = 0; i < draws; i++) {
            counts[POOL.indexOf(sampler.next(0, 2, random).get(1))]++;
        }

        for (int j = 0; j < 4; j++) {
            double expected = 0;
            for (int i = 0; i < 4; i++) {
                if (i != j) {
                    expected += p[i] * p[j] / (1 - p[i]);
                }
            }
            assertThat(counts[j] / draws).isCloseTo(expected, within(0.02));
        }
    }

    @Test
    void withReplacementFrequenciesFollowTheProbabilities() {
        SpoPromptSampler sampler = SpoPromptSampler.of(workedExample(), POOL);
        double[] expected = sampler.probabilities();
        double[] counts = new double[4];
        int rounds = 2_000;

        for (int i = 0; i < rounds; i++) {
            for (Prompt p : sampler.next(0, 10, new SplittableRandom(1000 + i))) {
                counts[POOL.indexOf(p)]++;
            }
        }

        for (int k = 0; k < 4; k++) {
            assertThat(counts[k] / (10.0 * rounds)).isCloseTo(expected[k], within(0.02));
        }
    }

    @Test
    void untrackedPromptsAreNeverDrawnWhileEnoughTrackedOnesRemain() {
        SpoAdvantage spo = SpoAdvantage.builder().build();
        spo.initialize("a", 4, 8);
        spo.initialize("c", 1, 8);
        SpoPromptSampler sampler = SpoPromptSampler.of(spo, POOL);

        assertThat(sampler.weights()[1]).isZero();
        for (int i = 0; i < 200; i++) {
            assertThat(sampler.next(0, 2, new SplittableRandom(i)))
                    .containsExactlyInAnyOrder(POOL.get(0), POOL.get(2));
        }
    }

    @Test
    void missingPositiveWeightsAreFilledUniformlyFromUntrackedPrompts() {
        SpoAdvantage spo = SpoAdvantage.builder().build();
        spo.initialize("a", 4, 8);
        SpoPromptSampler sampler = SpoPromptSampler.of(spo, POOL);
        int[] fill = new int[4];

        for (int i = 0; i < 3_000; i++) {
            List<Prompt> drawn = sampler.next(0, 2, new SplittableRandom(i));
            assertThat(drawn.get(0)).isEqualTo(POOL.get(0));
            fill[POOL.indexOf(drawn.get(1))]++;
        }

        for (int k = 1; k < 4; k++) {
            assertThat(fill[k] / 3000.0).isCloseTo(1.0 / 3, within(0.04));
        }
    }

    @Test
    void allZeroWeightsFallBackToUniform() {
        SpoPromptSampler sampler = SpoPromptSampler.of(SpoAdvantage.builder().build(), POOL);
        int[] counts = new int[4];

        assertThat(sampler.probabilities()).containsOnly(0.25);
        for (int i = 0; i < 8_000; i++) {
            counts[POOL.indexOf(sampler.next(0, 1, new SplittableRandom(i)).get(0))]++;
        }
        for (int k = 0; k < 4; k++) {
            assertThat(counts[k] / 8000.0).isCloseTo(0.25, within(0.02));
        }
    }

    @Test
    void followsTrackerUpdates() {
        SpoAdvantage spo = workedExample();
        SpoPromptSampler sampler = SpoPromptSampler.of(spo, POOL);
        double before = sampler.weights()[1];

        spo.update("b", 0, 0.5);

        assertThat(sampler.weights()[1]).isGreaterThan(before);
        assertThat(sampler.weights()[1]).isEqualTo(spo.samplingWeight("b"));
    }

    @Test
    void holdsNoRandomStateOfItsOwn() {
        // Calls with other generators in between must not change what a seeded generator draws.
        SpoPromptSampler sampler = SpoPromptSampler.of(workedExample(), POOL);
        List<List<Prompt>> alone = new ArrayList<>();
        List<List<Prompt>> interleaved = new ArrayList<>();
        Random a = new Random(9);
        Random b = new Random(9);

        for (int i = 0; i < 20; i++) {
            alone.add(sampler.next(0, 2, a));
        }
        for (int i = 0; i < 20; i++) {
            sampler.next(0, 3, new SplittableRandom(i));
            interleaved.add(sampler.next(0, 2, b));
        }

        assertThat(interleaved).isEqualTo(alone);
    }

    @Test
    void rejectsEmptyPool() {
        assertThatThrownBy(() -> SpoPromptSampler.of(workedExample(), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pool is empty");
    }

    @Test
    void rejectsNonPositiveCount() {
        SpoPromptSampler sampler = SpoPromptSampler.of(workedExample(), POOL);

        assertThatThrownBy(() -> sampler.next(0, 0, new SplittableRandom(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("prompt count must be > 0 but was 0");
    }
}
