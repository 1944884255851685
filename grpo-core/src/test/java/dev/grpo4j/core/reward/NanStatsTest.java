package dev.grpo4j.core.reward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class NanStatsTest {

    private static final double NAN = Double.NaN;

    @Test
    void skipsNaNInCountSumAndMean() {
        double[] x = {1, NAN, 3};
        assertThat(NanStats.count(x)).isEqualTo(2);
        assertThat(NanStats.sum(x)).isEqualTo(4.0);
        assertThat(NanStats.mean(x)).isEqualTo(2.0);
    }

    @Test
    void allNaNSumsToZeroButHasNaNMean() {
        double[] x = {NAN, NAN};
        assertThat(NanStats.sum(x)).isEqualTo(0.0);
        assertThat(NanStats.mean(x)).isNaN();
    }

    @Test
    void sampleStdOfWorkedExampleGroup() {
        // ALGORITHMS.md section 1: G2 = [0.2, 0.4, 0.6, 0.8] has sample std 0.2581989.
        assertThat(NanStats.sampleStd(new double[] {0.2, NAN, 0.4, 0.6, 0.8}))
                .isCloseTo(0.2581989, within(1e-6));
    }

    @Test
    void sampleStdNeedsTwoValues() {
        assertThat(NanStats.sampleStd(new double[] {5, NAN})).isNaN();
        assertThat(NanStats.sampleStd(new double[] {5, 5})).isEqualTo(0.0);
    }
}
