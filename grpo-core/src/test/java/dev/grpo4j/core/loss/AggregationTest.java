package dev.grpo4j.core.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** ALGORITHMS.md section 2's aggregation example, for every mode and every loss type. */
class AggregationTest {

    private static final double[][] LOSS = {{1, 2, 3, 0}, {4, 0, 0, 0}};
    private static final double[][] MASK = {{1, 1, 1, 0}, {1, 0, 0, 0}};
    private static final double[][] LOSS_WITH_EMPTY_ROW = {
        {1, 2, 3, 0}, {4, 0, 0, 0}, {0, 0, 0, 0}
    };
    private static final double[][] MASK_WITH_EMPTY_ROW = {
        {1, 1, 1, 0}, {1, 0, 0, 0}, {0, 0, 0, 0}
    };
    private static final int LENGTH = 4;

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
        "token-mean, 2.5",
        "seq-mean-token-mean, 3.0",
        "seq-mean-token-sum, 5.0",
        "seq-mean-token-sum-norm, 2.5",
        "row-mean-token-mean, 3.0",
        "row-mean-token-sum, 5.0",
        "row-mean-token-sum-norm, 1.25"
    })
    void workedExampleGivesTheDocumentedNumber(String mode, double expected) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray loss =
                    Aggregation.fromName(mode).aggregate(m.create(LOSS), m.create(MASK), LENGTH);
            assertThat(loss.getShape().dimension()).isZero();
            assertThat(loss.getDouble()).isCloseTo(expected, within(1e-6));
        }
    }

    /**
     * The same example through the whole loss: with no old log-probs every ratio is 1, so the
     * clipped surrogate's per-token loss is {@code -A}; advantages {@code -l} reproduce l.
     */
    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
        "grpo, 3.0",
        "bnpo, 2.5",
        "dapo, 2.5",
        "dr_grpo, 1.25",
        "luspo, 5.0",
        "cispo, 2.5",
        "sapo, 3.0"
    })
    void workedExampleThroughEachLossType(String type, double expected) {
        LossType lossType = LossType.fromName(type);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray advantages = m.create(LOSS).neg();
            // CISPO's term is -min(w, cap) A lp: with w = 1 under a cap of 5 and log-probs of 1 it
            // is -A as well.
            boolean cispo = lossType == LossType.CISPO;
            NDArray logProbs = m.create(LOSS).zerosLike().add(cispo ? 1 : 0);
            PolicyGradientLoss loss =
                    PolicyGradientLoss.builder()
                            .optLossType(lossType)
                            .optClip(0.2, cispo ? 5.0 : 0.2)
                            .optMaxCompletionLength(LENGTH)
                            .build();
            double value =
                    loss.compute(logProbs, null, null, advantages, m.create(MASK))
                            .loss()
                            .getDouble();
            if (lossType == LossType.SAPO) {
                // SAPO's gate at w = 1 is (4 / tau) sigmoid(0) = 2 / tau; tau is 1.0 for A > 0 and
                // 1.05 otherwise, and here every active advantage is negative.
                expected *= 2 / 1.05;
            }
            assertThat(value).isCloseTo(expected, within(1e-6));
        }
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
        "seq-mean-token-mean, 3.0",
        "row-mean-token-mean, 2.0",
        "seq-mean-token-sum, 5.0",
        "row-mean-token-sum, 3.3333333333",
        "seq-mean-token-sum-norm, 2.5",
        "row-mean-token-sum-norm, 0.8333333333",
        "token-mean, 2.5"
    })
    void anEmptyRowCountsForRowModesButNotForSequenceModes(String mode, double expected) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray loss =
                    Aggregation.fromName(mode)
                            .aggregate(
                                    m.create(LOSS_WITH_EMPTY_ROW),
                                    m.create(MASK_WITH_EMPTY_ROW),
                                    LENGTH);
            assertThat(loss.getDouble()).isCloseTo(expected, within(1e-6));
        }
    }

    @Test
    void explicitTokenNormalizerReplacesTheActiveTokenCount() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray loss =
                    Aggregation.TOKEN_MEAN.aggregate(m.create(LOSS), m.create(MASK), LENGTH, 8.0);
            assertThat(loss.getDouble()).isCloseTo(10.0 / 8, within(1e-12));
        }
    }

    @Test
    void explicitTokenNormalizerIsRejectedForOtherModes() {
        try (NDManager m = NDManager.newBaseManager()) {
            assertThatThrownBy(
                            () ->
                                    Aggregation.SEQ_MEAN_TOKEN_MEAN.aggregate(
                                            m.create(LOSS), m.create(MASK), LENGTH, 8.0))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("seq-mean-token-mean");
        }
    }

    @Test
    void aggregateIsDifferentiableWithRowWeightsAsGradient() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray l = m.create(LOSS);
            l.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(Aggregation.SEQ_MEAN_TOKEN_MEAN.aggregate(l, m.create(MASK), LENGTH));
            }
            // Row 0 has three tokens, row 1 one; two non-empty rows.
            assertThat(l.getGradient().toDoubleArray())
                    .containsExactly(
                            new double[] {1.0 / 6, 1.0 / 6, 1.0 / 6, 0, 0.5, 0, 0, 0},
                            within(1e-12));
        }
    }

    @Test
    void fromNameAcceptsVerlSpellingsAndConstantNames() {
        assertThat(Aggregation.fromName("token-mean")).isEqualTo(Aggregation.TOKEN_MEAN);
        assertThat(Aggregation.fromName("seq-mean-token-sum"))
                .isEqualTo(Aggregation.SEQ_MEAN_TOKEN_SUM);
        assertThat(Aggregation.fromName("seq-mean-token-mean"))
                .isEqualTo(Aggregation.SEQ_MEAN_TOKEN_MEAN);
        assertThat(Aggregation.fromName("seq-mean-token-sum-norm"))
                .isEqualTo(Aggregation.SEQ_MEAN_TOKEN_SUM_NORM);
        assertThat(Aggregation.fromName("ROW_MEAN_TOKEN_SUM_NORM"))
                .isEqualTo(Aggregation.ROW_MEAN_TOKEN_SUM_NORM);
    }

    @Test
    void fromNameListsTheAcceptedNames() {
        assertThatThrownBy(() -> Aggregation.fromName("mean"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'mean'")
                .hasMessageContaining("seq-mean-token-sum-norm");
    }

    @Test
    void eachLossTypeMapsToTrlsAggregation() {
        assertThat(LossType.GRPO.defaultAggregation()).isEqualTo(Aggregation.ROW_MEAN_TOKEN_MEAN);
        assertThat(LossType.BNPO.defaultAggregation()).isEqualTo(Aggregation.TOKEN_MEAN);
        assertThat(LossType.DR_GRPO.defaultAggregation())
                .isEqualTo(Aggregation.ROW_MEAN_TOKEN_SUM_NORM);
        assertThat(LossType.DAPO.defaultAggregation()).isEqualTo(Aggregation.TOKEN_MEAN);
        assertThat(LossType.CISPO.defaultAggregation()).isEqualTo(Aggregation.TOKEN_MEAN);
        assertThat(LossType.SAPO.defaultAggregation()).isEqualTo(Aggregation.ROW_MEAN_TOKEN_MEAN);
        assertThat(LossType.LUSPO.defaultAggregation()).isEqualTo(Aggregation.ROW_MEAN_TOKEN_SUM);
    }
}
