package dev.grpo4j.advantage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** ALGORITHMS.md section 1, worked example: groups [1, 0, 0, 1] and [0.2, 0.4, 0.6, 0.8]. */
class GrpoAdvantageWorkedExampleTest {

    private static final double TOL = 1e-5;
    private static final double[][] REWARDS = {{1, 0, 0, 1}, {0.2, 0.4, 0.6, 0.8}};

    @Test
    void trlGroupScaling() {
        double[][] a = GrpoAdvantage.builder().build().compute(REWARDS);
        assertRow(a[0], 0.865875, -0.865875, -0.865875, 0.865875);
        assertRow(a[1], -1.161445, -0.387148, 0.387148, 1.161445);
    }

    @Test
    void verlPreset() {
        double[][] a = GrpoAdvantage.verl().compute(REWARDS);
        assertRow(a[0], 0.866024, -0.866024, -0.866024, 0.866024);
        assertRow(a[1], -1.161891, -0.387297, 0.387297, 1.161891);
    }

    @Test
    void trlBatchScaling() {
        double[][] a = GrpoAdvantage.builder().optScale(RewardScale.BATCH).build().compute(REWARDS);
        assertRow(a[0], 1.207323, -1.207323, -1.207323, 1.207323);
        assertRow(a[1], -0.724394, -0.241465, 0.241465, 0.724394);
    }

    @Test
    void trlNoScaling() {
        double[][] a = GrpoAdvantage.builder().optScale(RewardScale.NONE).build().compute(REWARDS);
        assertRow(a[0], 0.5, -0.5, -0.5, 0.5);
        assertRow(a[1], -0.3, -0.1, 0.1, 0.3);
    }

    @Test
    void degenerateGroupIsZeroInEveryMode() {
        double[][] input = {{0.5, 0.5, 0.5, 0.5}};
        for (RewardScale scale : RewardScale.values()) {
            for (double eps : new double[] {1e-4, 1e-6, 0}) {
                double[][] a =
                        GrpoAdvantage.builder()
                                .optScale(scale)
                                .optEpsilon(eps)
                                .build()
                                .compute(input);
                assertThat(a[0]).as("%s eps %s", scale, eps).containsExactly(0, 0, 0, 0);
            }
        }
    }

    private static void assertRow(double[] actual, double... expected) {
        assertThat(actual).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).as("index %d", i).isCloseTo(expected[i], within(TOL));
        }
    }
}
