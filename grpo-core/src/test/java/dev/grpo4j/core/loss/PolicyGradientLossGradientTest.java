package dev.grpo4j.core.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The autograd gradient of the loss w.r.t. the log-probs agrees with central finite differences in
 * float64, and the loss value agrees with {@link ReferenceLoss}, for every loss type at every
 * importance level, and with each KL estimator.
 *
 * <p>Batches are random with ragged rows (one of them empty) and log-ratios spread so that some
 * tokens clip. The clipped surrogate has kinks where w meets a clip edge, delta, the dual-clip
 * constant or CISPO's cap; a batch whose active weights come within {@link #KINK_MARGIN} of one is
 * redrawn, a margin far larger than the change of w caused by the finite-difference step.
 */
class PolicyGradientLossGradientTest {

    private static final double STEP = 1e-6;
    private static final double KINK_MARGIN = 0.01;
    private static final double TOLERANCE = 1e-6;
    private static final int[] LENGTHS = {5, 2, 0, 4, 1};
    private static final int COLS = 5;

    static Stream<Arguments> typesAndLevels() {
        List<Arguments> out = new ArrayList<>();
        for (LossType type : LossType.values()) {
            for (ImportanceSampling level : ImportanceSampling.values()) {
                out.add(Arguments.of(type, level, true));
                out.add(Arguments.of(type, level, false));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} at {1} level, per-row advantages: {2}")
    @MethodSource("typesAndLevels")
    void gradientMatchesFiniteDifferencesForEveryTypeAndLevel(
            LossType type, ImportanceSampling level, boolean perRowAdvantages) {
        PolicyGradientLoss loss =
                PolicyGradientLoss.builder()
                        .optLossType(type)
                        .optImportanceSampling(level)
                        .optClip(0.2, type == LossType.CISPO ? 0.3 : 0.28)
                        .optMaxCompletionLength(8)
                        .optGradientAccumulationSteps(2)
                        .build();
        long seed = 11L * type.ordinal() + level.ordinal();
        assertGradientAndValue(
                loss, drawAwayFromKinks(loss, new SplittableRandom(seed), perRowAdvantages));
    }

    @ParameterizedTest(name = "beta > 0 with {0}")
    @EnumSource(
            value = KlEstimator.class,
            names = {"K1", "ABS", "K2", "K3", "LOW_VAR_KL"})
    void gradientMatchesFiniteDifferencesWithEachKlEstimator(KlEstimator estimator) {
        PolicyGradientLoss loss =
                PolicyGradientLoss.builder()
                        .optLossType(LossType.GRPO)
                        .optBeta(0.3)
                        .optKlEstimator(estimator)
                        .build();
        assertGradientAndValue(loss, 100 + estimator.ordinal());
    }

    @Test
    void gradientMatchesFiniteDifferencesWithKlBiasCorrectionAtSequenceLevel() {
        PolicyGradientLoss loss =
                PolicyGradientLoss.builder()
                        .optBeta(0.5)
                        .optKlBiasCorrection(true)
                        .optImportanceSampling(ImportanceSampling.SEQUENCE)
                        .build();
        assertGradientAndValue(loss, 200);
    }

    @Test
    void gradientMatchesFiniteDifferencesWithDeltaAndDualClip() {
        PolicyGradientLoss withDelta =
                PolicyGradientLoss.builder().optClip(0.2, 0.28).optDelta(1.4).build();
        PolicyGradientLoss withDualClip =
                PolicyGradientLoss.builder().optClip(0.2, 0.2).optDualClip(1.5).build();
        assertGradientAndValue(withDelta, 300);
        assertGradientAndValue(withDualClip, 301);
    }

    @Test
    void gradientMatchesFiniteDifferencesWithEntropyFilterTruncationAndTokenAdvantages() {
        PolicyGradientLoss loss =
                PolicyGradientLoss.builder()
                        .optLossType(LossType.BNPO)
                        .optTopEntropyQuantile(0.5)
                        .optMaskTruncatedCompletions(true)
                        .optBeta(0.1)
                        .build();
        SplittableRandom rnd = new SplittableRandom(400);
        LossBatch batch = drawAwayFromKinks(loss, rnd, true);
        double[][] tokenAdv = new double[batch.rows()][batch.cols()];
        for (int i = 0; i < tokenAdv.length; i++) {
            for (int t = 0; t < tokenAdv[i].length; t++) {
                tokenAdv[i][t] = rnd.nextDouble(-1, 1);
            }
        }
        LossBatch varied =
                new LossBatch(
                        batch.logProbs(),
                        batch.oldLogProbs(),
                        batch.refLogProbs(),
                        tokenAdv,
                        false,
                        batch.mask(),
                        batch.entropies(),
                        batch.bins(),
                        new double[] {0, 1, 0, 0, 0},
                        null);
        assertGradientAndValue(loss, varied);
    }

    private static void assertGradientAndValue(PolicyGradientLoss loss, long seed) {
        assertGradientAndValue(loss, drawAwayFromKinks(loss, new SplittableRandom(seed), true));
    }

    private static void assertGradientAndValue(PolicyGradientLoss loss, LossBatch batch) {
        assertThat(batch.lossValue(loss))
                .isCloseTo(ReferenceLoss.loss(loss, batch), within(TOLERANCE));
        double[][] autograd = batch.gradient(loss);
        double[][] numeric = batch.finiteDifferences(loss, STEP);
        double largest = 0;
        for (int i = 0; i < batch.rows(); i++) {
            for (int t = 0; t < batch.cols(); t++) {
                assertThat(autograd[i][t])
                        .as("d loss / d lp[%d, %d] with %s", i, t, loss)
                        .isCloseTo(numeric[i][t], within(TOLERANCE));
                largest = Math.max(largest, Math.abs(numeric[i][t]));
            }
        }
        // A gradient of zero everywhere would pass trivially.
        assertThat(largest).isGreaterThan(1e-3);
    }

    private static LossBatch drawAwayFromKinks(
            PolicyGradientLoss loss, SplittableRandom rnd, boolean perRowAdvantages) {
        for (int attempt = 0; attempt < 1000; attempt++) {
            LossBatch batch = LossBatch.random(rnd, LENGTHS, COLS, 0.6, perRowAdvantages);
            if (awayFromKinks(loss, batch)) {
                return batch;
            }
        }
        throw new AssertionError("no batch away from the kinks of " + loss);
    }

    private static boolean awayFromKinks(PolicyGradientLoss loss, LossBatch batch) {
        ClipRange clip = loss.clipRange();
        List<Double> kinks = new ArrayList<>();
        if (loss.lossType() == LossType.CISPO) {
            kinks.add(clip.high());
        } else if (loss.lossType().isClipped()) {
            kinks.add(clip.lowerBound());
            kinks.add(clip.upperBound());
            clip.delta().ifPresent(kinks::add);
            clip.dualClip().ifPresent(kinks::add);
        }
        double[][] mask = ReferenceLoss.effectiveMask(loss, batch);
        double[][] w = ReferenceLoss.weights(loss.importanceSampling(), batch, mask);
        for (int i = 0; i < batch.rows(); i++) {
            for (int t = 0; t < batch.cols(); t++) {
                for (double kink : kinks) {
                    if (mask[i][t] == 1 && Math.abs(w[i][t] - kink) < KINK_MARGIN) {
                        return false;
                    }
                }
            }
        }
        return true;
    }
}
