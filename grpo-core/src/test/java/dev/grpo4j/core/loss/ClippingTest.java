package dev.grpo4j.core.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * ALGORITHMS.md section 2's clipping examples: one token whose ratio w is set through {@code lp =
 * log(w)}, {@code lp_old = 0}, so the DAPO loss equals the per-token loss.
 */
class ClippingTest {

    private static LossOutput oneToken(
            NDManager m, PolicyGradientLoss loss, double w, double advantage) {
        return loss.compute(
                m.create(new double[][] {{Math.log(w)}}),
                m.create(new double[][] {{0}}),
                null,
                m.create(new double[] {advantage}),
                m.create(new double[][] {{1}}));
    }

    private static double perTokenLoss(PolicyGradientLoss loss, double w, double advantage) {
        try (NDManager m = NDManager.newBaseManager()) {
            return oneToken(m, loss, w, advantage).loss().getDouble();
        }
    }

    @ParameterizedTest(name = "w = {0}, A = {1} -> {2}")
    @CsvSource({
        "1.5, 1, -1.28",
        "1.5, -1, 1.5",
        "0.5, 1, -0.5",
        "0.5, -1, 0.8",
        "1.1, 2, -2.2",
        "5.0, -1, 5.0"
    })
    void asymmetricClipGivesTheDocumentedLoss(double w, double advantage, double expected) {
        PolicyGradientLoss loss = PolicyGradientLoss.builder().optClip(0.2, 0.28).build();
        assertThat(perTokenLoss(loss, w, advantage)).isCloseTo(expected, within(1e-6));
    }

    @Test
    void deltaCapsTheUnclippedBranch() {
        PolicyGradientLoss loss =
                PolicyGradientLoss.builder().optClip(0.2, 0.28).optDelta(3.0).build();
        assertThat(perTokenLoss(loss, 5.0, -1)).isCloseTo(3.0, within(1e-6));
        // Inside the cap delta changes nothing.
        assertThat(perTokenLoss(loss, 1.5, -1)).isCloseTo(1.5, within(1e-6));
    }

    @Test
    void dualClipCapsTheLossOfANegativeAdvantage() {
        PolicyGradientLoss loss =
                PolicyGradientLoss.builder().optClip(0.2, 0.2).optDualClip(3.0).build();
        assertThat(perTokenLoss(loss, 5.0, -1)).isCloseTo(3.0, within(1e-6));
        assertThat(perTokenLoss(loss, 1.5, 1)).isCloseTo(-1.2, within(1e-6));
    }

    @Test
    void highClippedTokenIsCountedInTheHighAndRegionRatios() {
        try (NDManager m = NDManager.newBaseManager()) {
            LossOutput out =
                    oneToken(m, PolicyGradientLoss.builder().optClip(0.2, 0.28).build(), 1.5, 1);
            assertThat(out.metric("clip_ratio/high_mean")).isEqualTo(1.0);
            assertThat(out.metric("clip_ratio/high_max")).isEqualTo(1.0);
            assertThat(out.metric("clip_ratio/low_mean")).isZero();
            assertThat(out.metric("clip_ratio/region_mean")).isEqualTo(1.0);
            assertThat(out.metric("pg_clipfrac")).isEqualTo(1.0);
        }
    }

    @Test
    void lowClippedTokenIsCountedInTheLowAndRegionRatios() {
        try (NDManager m = NDManager.newBaseManager()) {
            LossOutput out =
                    oneToken(m, PolicyGradientLoss.builder().optClip(0.2, 0.28).build(), 0.5, -1);
            assertThat(out.metric("clip_ratio/low_mean")).isEqualTo(1.0);
            assertThat(out.metric("clip_ratio/low_min")).isEqualTo(1.0);
            assertThat(out.metric("clip_ratio/high_mean")).isZero();
            assertThat(out.metric("clip_ratio/region_mean")).isEqualTo(1.0);
        }
    }

    @Test
    void unclippedBranchWinningIsNotCounted() {
        // (1.5, -1): the ratio is above the region but the unclipped branch is the larger loss.
        try (NDManager m = NDManager.newBaseManager()) {
            LossOutput out =
                    oneToken(m, PolicyGradientLoss.builder().optClip(0.2, 0.28).build(), 1.5, -1);
            assertThat(out.metric("clip_ratio/region_mean")).isZero();
            assertThat(out.metric("pg_clipfrac")).isZero();
            assertThat(out.metrics()).doesNotContainKey("pg_clipfrac_lower");
        }
    }

    @Test
    void dualClipActivityIsReportedAsPgClipfracLower() {
        PolicyGradientLoss loss =
                PolicyGradientLoss.builder().optClip(0.2, 0.2).optDualClip(3.0).build();
        try (NDManager m = NDManager.newBaseManager()) {
            LossOutput capped = oneToken(m, loss, 5.0, -1);
            LossOutput free = oneToken(m, loss, 2.0, -1);
            assertThat(capped.metric("pg_clipfrac_lower")).isEqualTo(1.0);
            assertThat(free.metric("pg_clipfrac_lower")).isZero();
        }
    }

    @Test
    void cispoCapsItsStopGradientWeightAtEpsilonHigh() {
        PolicyGradientLoss loss =
                PolicyGradientLoss.builder().optLossType(LossType.CISPO).optClip(0.2, 5.0).build();
        // l = -min(w, 5) * A * lp with lp = log(w).
        assertThat(perTokenLoss(loss, 7.0, 1)).isCloseTo(-5 * Math.log(7.0), within(1e-9));
        assertThat(perTokenLoss(loss, 2.0, 1)).isCloseTo(-2 * Math.log(2.0), within(1e-9));
        try (NDManager m = NDManager.newBaseManager()) {
            LossOutput out = oneToken(m, loss, 7.0, 1);
            assertThat(out.metric("cispo_clip_ratio")).isEqualTo(1.0);
            assertThat(out.metrics()).doesNotContainKey("clip_ratio/region_mean");
        }
    }

    @Test
    void sapoUsesItsTemperatureBySignOfTheAdvantage() {
        PolicyGradientLoss loss =
                PolicyGradientLoss.builder()
                        .optLossType(LossType.SAPO)
                        .optSapoTemperatures(1.0, 1.05)
                        .build();
        double w = 1.3;
        double positive = -1 * (4 / 1.0) / (1 + Math.exp(-1.0 * (w - 1)));
        double negative = 1 * (4 / 1.05) / (1 + Math.exp(-1.05 * (w - 1)));
        assertThat(perTokenLoss(loss, w, 1)).isCloseTo(positive, within(1e-9));
        assertThat(perTokenLoss(loss, w, -1)).isCloseTo(negative, within(1e-9));
    }
}
