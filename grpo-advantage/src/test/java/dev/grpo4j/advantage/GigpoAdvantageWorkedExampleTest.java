package dev.grpo4j.advantage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * ALGORITHMS.md section 3, worked example: gamma 0.95, one group of three trajectories with anchors
 * t1 [A, B], t2 [A, C, B], t3 [A, C, D] and step rewards [0, 1], [0, 0, 1], [0, 0, 0]. Every column
 * of the table is checked: the step weight 0 isolates A_E, and A_S = total - A_E.
 */
class GigpoAdvantageWorkedExampleTest {

    private static final double TOL = 1e-5;
    private static final String[][][] ANCHORS = {{{"A", "B"}, {"A", "C", "B"}, {"A", "C", "D"}}};
    private static final double[][][] REWARDS = {{{0, 1}, {0, 0, 1}, {0, 0, 0}}};

    // Rows in order t1 s0, t1 s1, t2 s0, t2 s1, t2 s2, t3 s0, t3 s1, t3 s2.
    private static final double[] MEAN_NORM_EPISODE = {
        0.375, 0.375, 0.375, 0.375, 0.375, -0.625, -0.625, -0.625
    };
    private static final double[] MEAN_NORM_STEP = {0.3325, 0, 0.285, 0.475, 0, -0.6175, -0.475, 0};
    private static final double[] MEAN_NORM_TOTAL = {
        0.7075, 0.375, 0.66, 0.85, 0.375, -1.2425, -1.1, -0.625
    };
    private static final double[] STD_EPISODE = {
        0.724567, 0.724567, 0.724567, 0.724567, 0.724567, -1.207612, -1.207612, -1.207612
    };
    private static final double[] STD_STEP = {
        0.621148, 0, 0.532413, 0.707106, 0, -1.153561, -0.707106, 0
    };
    private static final double[] STD_TOTAL = {
        1.345716, 0.724567, 1.256980, 1.431673, 0.724567, -2.361174, -1.914718, -1.207612
    };

    @Test
    void meanNormEpisodeColumn() {
        assertRows(run(GigpoMode.MEAN_NORM, EpisodeStatistics.PER_STEP, 0.0), MEAN_NORM_EPISODE);
    }

    @Test
    void meanNormStepColumn() {
        double[] total = run(GigpoMode.MEAN_NORM, EpisodeStatistics.PER_STEP, 1.0);
        double[] episode = run(GigpoMode.MEAN_NORM, EpisodeStatistics.PER_STEP, 0.0);
        assertRows(minus(total, episode), MEAN_NORM_STEP);
    }

    @Test
    void meanNormTotalColumn() {
        assertRows(run(GigpoMode.MEAN_NORM, EpisodeStatistics.PER_STEP, 1.0), MEAN_NORM_TOTAL);
    }

    @Test
    void meanStdNormEpisodeColumn() {
        assertRows(run(GigpoMode.MEAN_STD_NORM, EpisodeStatistics.PER_STEP, 0.0), STD_EPISODE);
    }

    @Test
    void meanStdNormStepColumn() {
        double[] total = run(GigpoMode.MEAN_STD_NORM, EpisodeStatistics.PER_STEP, 1.0);
        double[] episode = run(GigpoMode.MEAN_STD_NORM, EpisodeStatistics.PER_STEP, 0.0);
        assertRows(minus(total, episode), STD_STEP);
    }

    @Test
    void meanStdNormTotalColumn() {
        assertRows(run(GigpoMode.MEAN_STD_NORM, EpisodeStatistics.PER_STEP, 1.0), STD_TOTAL);
    }

    @Test
    void perTrajectoryEpisodeStatisticsMeanNorm() {
        double third = 1.0 / 3;
        double[] episode = run(GigpoMode.MEAN_NORM, EpisodeStatistics.PER_TRAJECTORY, 0.0);
        assertRows(episode, third, third, third, third, third, -2 * third, -2 * third, -2 * third);
    }

    @Test
    void perTrajectoryEpisodeStatisticsMeanStdNorm() {
        double[] episode = run(GigpoMode.MEAN_STD_NORM, EpisodeStatistics.PER_TRAJECTORY, 0.0);
        assertRows(
                episode, 0.577349, 0.577349, 0.577349, 0.577349, 0.577349, -1.154699, -1.154699,
                -1.154699);
    }

    @Test
    void perTrajectoryEpisodeStatisticsLeaveStepAdvantagesUnchanged() {
        for (GigpoMode mode : GigpoMode.values()) {
            double[] step =
                    minus(
                            run(mode, EpisodeStatistics.PER_TRAJECTORY, 1.0),
                            run(mode, EpisodeStatistics.PER_TRAJECTORY, 0.0));
            assertRows(step, mode == GigpoMode.MEAN_NORM ? MEAN_NORM_STEP : STD_STEP);
        }
    }

    @Test
    void issueSnippetShapeFollowsInput() {
        double[][][] g =
                GigpoAdvantage.builder()
                        .optGamma(0.95)
                        .optStepWeight(1.0)
                        .optMode(GigpoMode.MEAN_NORM)
                        .optEpsilon(1e-6)
                        .build()
                        .compute(ANCHORS, REWARDS);
        assertThat(g).hasDimensions(1, 3);
        assertThat(g[0][0]).hasSize(2);
        assertThat(g[0][1]).hasSize(3);
        assertThat(g[0][2]).hasSize(3);
    }

    private static double[] run(GigpoMode mode, EpisodeStatistics stats, double stepWeight) {
        double[][][] a =
                GigpoAdvantage.builder()
                        .optGamma(0.95)
                        .optMode(mode)
                        .optEpisodeStatistics(stats)
                        .optStepWeight(stepWeight)
                        .build()
                        .compute(ANCHORS, REWARDS);
        return TestArrays.flatten(a);
    }

    private static double[] minus(double[] a, double[] b) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i] - b[i];
        }
        return d;
    }

    private static void assertRows(double[] actual, double... expected) {
        assertThat(actual).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).as("row %d", i).isCloseTo(expected[i], within(TOL));
        }
    }
}
