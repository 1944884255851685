package dev.grpo4j.core.loss;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each bad input raises an {@link IllegalArgumentException} that names the offending value. */
class PolicyGradientLossValidationTest {

    private static final PolicyGradientLoss DAPO = PolicyGradientLoss.builder().build();

    private NDManager m;

    @BeforeEach
    void openManager() {
        m = NDManager.newBaseManager();
    }

    @AfterEach
    void closeManager() {
        m.close();
    }

    private NDArray logProbs() {
        return m.create(new double[][] {{-1.0, -0.5, -2.0}, {-0.3, -1.5, -0.7}});
    }

    private NDArray mask() {
        return m.create(new double[][] {{1, 1, 1}, {1, 1, 0}});
    }

    private NDArray advantages() {
        return m.create(new double[] {0.5, -1.0});
    }

    private LossInput.Builder input() {
        return LossInput.builder()
                .setLogProbs(logProbs())
                .setAdvantages(advantages())
                .setMask(mask());
    }

    private static void assertRejected(ThrowingCallable call, String... fragments) {
        var assertion = assertThatThrownBy(call).isInstanceOf(IllegalArgumentException.class);
        for (String fragment : fragments) {
            assertion.hasMessageContaining(fragment);
        }
    }

    @Test
    void nanLogProbIsNamedWithItsPosition() {
        NDArray lp = logProbs();
        lp.set(new NDIndex(1, 2), Double.NaN);
        assertRejected(
                () -> DAPO.compute(lp, null, null, advantages(), mask()), "logProbs[1, 2] is NaN");
    }

    @Test
    void infiniteOldLogProbIsNamedWithItsPosition() {
        NDArray old = logProbs();
        old.set(new NDIndex(0, 1), Double.POSITIVE_INFINITY);
        assertRejected(
                () -> DAPO.compute(logProbs(), old, null, advantages(), mask()),
                "oldLogProbs[0, 1] is Infinity");
    }

    @Test
    void infiniteRefLogProbIsNamedWithItsPosition() {
        NDArray ref = logProbs();
        ref.set(new NDIndex(1, 0), Double.NEGATIVE_INFINITY);
        PolicyGradientLoss loss = PolicyGradientLoss.builder().optBeta(0.04).build();
        assertRejected(
                () -> loss.compute(logProbs(), null, ref, advantages(), mask()),
                "refLogProbs[1, 0] is -Infinity");
    }

    @Test
    void mismatchedShapesNameBothShapes() {
        NDArray wide = m.create(new double[2][4]);
        assertRejected(
                () -> DAPO.compute(logProbs(), null, null, advantages(), wide), "(2, 4)", "(2, 3)");
    }

    @Test
    void advantagesOfTheWrongLengthNameBothShapes() {
        NDArray three = m.create(new double[] {1, 2, 3});
        assertRejected(
                () -> DAPO.compute(logProbs(), null, null, three, mask()), "(3)", "(2)", "(2, 3)");
    }

    @Test
    void maskThatIsNotZeroOrOneIsNamed() {
        NDArray mask = m.create(new double[][] {{1, 0.5, 1}, {1, 1, 0}});
        assertRejected(
                () -> DAPO.compute(logProbs(), null, null, advantages(), mask),
                "mask[0, 1] is 0.5");
    }

    @Test
    void batchWithoutRowsIsRejected() {
        NDArray empty = m.create(new Shape(0, 3), DataType.FLOAT64);
        assertRejected(
                () -> DAPO.compute(empty, null, null, m.create(new Shape(0)), empty),
                "empty batch",
                "(0, 3)");
    }

    @Test
    void maskWithoutActiveTokensIsRejected() {
        NDArray none = m.create(new double[2][3]);
        assertRejected(
                () -> DAPO.compute(logProbs(), null, null, advantages(), none), "no active token");
    }

    @Test
    void positiveBetaWithoutReferenceIsRejected() {
        PolicyGradientLoss loss = PolicyGradientLoss.builder().optBeta(0.04).build();
        assertRejected(
                () -> loss.compute(logProbs(), null, null, advantages(), mask()),
                "beta is 0.04",
                "refLogProbs");
    }

    @Test
    void epsilonLowOutsideZeroToOneIsRejected() {
        assertRejected(
                () -> PolicyGradientLoss.builder().optClip(1.0, 0.2),
                "epsilon low must lie in [0, 1) but was 1.0");
        assertRejected(() -> PolicyGradientLoss.builder().optClip(-0.1, 0.2), "-0.1");
    }

    @Test
    void negativeEpsilonHighIsRejected() {
        assertRejected(
                () -> PolicyGradientLoss.builder().optClip(0.2, -0.1),
                "epsilon high",
                "but was -0.1");
    }

    @Test
    void deltaNotAboveOnePlusEpsilonHighIsRejected() {
        assertRejected(
                () -> PolicyGradientLoss.builder().optClip(0.2, 0.28).optDelta(1.2).build(),
                "1.28",
                "but was 1.2");
        assertRejected(() -> PolicyGradientLoss.builder().optDelta(0.5), "but was 0.5");
    }

    @Test
    void dualClipNotAboveOneIsRejected() {
        assertRejected(
                () -> PolicyGradientLoss.builder().optDualClip(1.0),
                "dual clip c must be a finite number greater than 1 but was 1.0");
    }

    @Test
    void deltaForANonClippedLossTypeIsRejected() {
        assertRejected(
                () ->
                        PolicyGradientLoss.builder()
                                .optLossType(LossType.CISPO)
                                .optClip(0.2, 5.0)
                                .optDelta(6.0)
                                .build(),
                "CISPO");
    }

    @Test
    void unknownLossNameListsTheAcceptedNames() {
        assertRejected(
                () -> LossType.fromName("ppo"),
                "'ppo'",
                "grpo, bnpo, dr_grpo, dapo, cispo, sapo, luspo");
    }

    @Test
    void itemLevelWithoutBinsIsRejected() {
        PolicyGradientLoss loss =
                PolicyGradientLoss.builder().optImportanceSampling(ImportanceSampling.ITEM).build();
        assertRejected(() -> loss.compute(input().build()), "ITEM", "item bins");
    }

    @Test
    void negativeItemBinIsNamed() {
        PolicyGradientLoss loss =
                PolicyGradientLoss.builder().optImportanceSampling(ImportanceSampling.ITEM).build();
        NDArray bins = m.create(new int[][] {{0, 0, 1}, {0, -1, 0}});
        assertRejected(
                () -> loss.compute(input().optItemBins(bins).build()), "itemBins[1, 1] is -1");
    }

    @Test
    void floatItemBinsAreRejected() {
        PolicyGradientLoss loss =
                PolicyGradientLoss.builder().optImportanceSampling(ImportanceSampling.ITEM).build();
        NDArray bins = m.create(new double[2][3]);
        assertRejected(
                () -> loss.compute(input().optItemBins(bins).build()), "itemBins", "float64");
    }

    @Test
    void nanAdvantageIsNamed() {
        NDArray adv = m.create(new double[] {0.5, Double.NaN});
        assertRejected(
                () -> DAPO.compute(logProbs(), null, null, adv, mask()), "advantages[1] is NaN");
    }

    @Test
    void infinitePerTokenAdvantageIsNamed() {
        NDArray adv = m.create(new double[][] {{0, Double.NEGATIVE_INFINITY, 0}, {0, 0, 0}});
        assertRejected(
                () -> DAPO.compute(logProbs(), null, null, adv, mask()),
                "advantages[0, 1] is -Infinity");
    }

    @Test
    void nanEntropyIsNamed() {
        NDArray entropies = m.create(new double[][] {{0, 0, 0}, {0, 0, Double.NaN}});
        assertRejected(
                () -> DAPO.compute(input().optEntropies(entropies).build()),
                "entropies[1, 2] is NaN");
    }

    @Test
    void integerLogProbsAreRejected() {
        NDArray ints = m.create(new int[][] {{-1, -1, -1}, {-1, -1, -1}});
        assertRejected(() -> DAPO.compute(ints, null, null, advantages(), mask()), "int32");
    }

    @Test
    void truncationMaskingWithoutFlagsIsRejected() {
        PolicyGradientLoss loss =
                PolicyGradientLoss.builder().optMaskTruncatedCompletions(true).build();
        assertRejected(() -> loss.compute(input().build()), "truncat");
    }

    @Test
    void truncationFlagThatIsNotZeroOrOneIsNamed() {
        PolicyGradientLoss loss =
                PolicyGradientLoss.builder().optMaskTruncatedCompletions(true).build();
        NDArray flags = m.create(new double[] {0, 2});
        assertRejected(
                () -> loss.compute(input().optTruncated(flags).build()), "truncated[1] is 2.0");
    }

    @Test
    void entropyFilterWithoutEntropiesIsRejected() {
        PolicyGradientLoss loss = PolicyGradientLoss.builder().optTopEntropyQuantile(0.2).build();
        assertRejected(() -> loss.compute(input().build()), "0.2", "entropies");
    }

    @Test
    void tokenNormalizerForAnotherAggregationIsRejected() {
        PolicyGradientLoss grpo = PolicyGradientLoss.builder().optLossType(LossType.GRPO).build();
        assertRejected(
                () -> grpo.compute(input().optTokenNormalizer(64).build()),
                "64.0",
                "row-mean-token-mean");
    }

    @Test
    void nonPositiveTokenNormalizerIsRejected() {
        assertRejected(() -> input().optTokenNormalizer(0), "token normalizer", "but was 0.0");
    }

    @Test
    void outOfRangeSettingsAreRejectedAtTheSetter() {
        assertRejected(() -> PolicyGradientLoss.builder().optBeta(-0.1), "beta", "-0.1");
        assertRejected(() -> PolicyGradientLoss.builder().optMaxCompletionLength(0), "but was 0");
        assertRejected(
                () -> PolicyGradientLoss.builder().optGradientAccumulationSteps(-2), "but was -2");
        assertRejected(() -> PolicyGradientLoss.builder().optTopEntropyQuantile(0), "but was 0.0");
        assertRejected(
                () -> PolicyGradientLoss.builder().optTopEntropyQuantile(1.5), "but was 1.5");
        assertRejected(() -> PolicyGradientLoss.builder().optSapoTemperatures(1, 0), "but was 0.0");
    }

    @Test
    void overflowingRatioIsReportedInsteadOfAnInfiniteLoss() {
        NDArray old = m.create(new double[][] {{-1.0, -0.5, -2.0}, {-800.3, -1.5, -0.7}});
        assertRejected(
                () -> DAPO.compute(logProbs(), old, null, advantages(), mask()),
                "Infinity",
                "largest |lp - lp_old| is 800.0",
                "[1, 0]");
    }
}
