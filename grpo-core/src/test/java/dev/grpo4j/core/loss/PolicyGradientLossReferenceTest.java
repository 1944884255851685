package dev.grpo4j.core.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The loss value agrees with the independent {@link ReferenceLoss} across configurations. */
class PolicyGradientLossReferenceTest {

    private static final int[] LENGTHS = {6, 3, 0, 5, 1, 4};
    private static final int COLS = 6;

    @Test
    void valueMatchesTheReferenceForEveryTypeAggregationAndLevel() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (LossType type : LossType.values()) {
            for (Aggregation aggregation : Aggregation.values()) {
                for (ImportanceSampling level : ImportanceSampling.values()) {
                    PolicyGradientLoss loss =
                            PolicyGradientLoss.builder()
                                    .optLossType(type)
                                    .optAggregation(aggregation)
                                    .optImportanceSampling(level)
                                    .optClip(0.2, type == LossType.CISPO ? 1.2 : 0.28)
                                    .optMaxCompletionLength(10)
                                    .build();
                    LossBatch batch = LossBatch.random(rnd, LENGTHS, COLS, 0.8, rnd.nextBoolean());
                    assertThat(batch.lossValue(loss))
                            .as("%s", loss)
                            .isCloseTo(ReferenceLoss.loss(loss, batch), within(1e-9));
                }
            }
        }
    }

    @Test
    void valueMatchesTheReferenceWithOptionsCombinedAtRandom() {
        SplittableRandom rnd = new SplittableRandom(8);
        for (int trial = 0; trial < 60; trial++) {
            LossType type = LossType.values()[rnd.nextInt(LossType.values().length)];
            PolicyGradientLoss.Builder builder =
                    PolicyGradientLoss.builder()
                            .optLossType(type)
                            .optImportanceSampling(ImportanceSampling.values()[rnd.nextInt(3)])
                            .optClip(rnd.nextDouble(0.05, 0.3), rnd.nextDouble(0.1, 0.5))
                            .optGradientAccumulationSteps(1 + rnd.nextInt(3))
                            .optMaxCompletionLength(6 + rnd.nextInt(5))
                            .optMaskTruncatedCompletions(rnd.nextBoolean())
                            .optSapoTemperatures(rnd.nextDouble(0.5, 2), rnd.nextDouble(0.5, 2));
            if (rnd.nextBoolean()) {
                builder.optBeta(rnd.nextDouble(0.01, 0.5))
                        .optKlEstimator(
                                KlEstimator.values()[rnd.nextInt(KlEstimator.values().length)])
                        .optKlBiasCorrection(rnd.nextBoolean());
            }
            if (rnd.nextBoolean()) {
                builder.optTopEntropyQuantile(rnd.nextDouble(0.1, 1));
            }
            if (type.isClipped() && rnd.nextBoolean()) {
                builder.optDelta(1.6);
            }
            if (type.isClipped() && rnd.nextBoolean()) {
                builder.optDualClip(1.4);
            }
            PolicyGradientLoss loss = builder.build();
            LossBatch drawn = LossBatch.random(rnd, LENGTHS, COLS, 0.8, rnd.nextBoolean());
            double[] truncated = new double[LENGTHS.length];
            truncated[rnd.nextInt(truncated.length)] = 1;
            LossBatch batch =
                    new LossBatch(
                            drawn.logProbs(),
                            rnd.nextInt(4) == 0 ? null : drawn.oldLogProbs(),
                            drawn.refLogProbs(),
                            drawn.advantages(),
                            drawn.perRowAdvantages(),
                            drawn.mask(),
                            drawn.entropies(),
                            drawn.bins(),
                            truncated,
                            null);
            assertThat(batch.lossValue(loss))
                    .as("%s", loss)
                    .isCloseTo(ReferenceLoss.loss(loss, batch), within(1e-9));
        }
    }
}
