package dev.grpo4j.core.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Behaviour of {@link PolicyGradientLoss} on hand-worked batches. */
class PolicyGradientLossTest {

    @ParameterizedTest(name = "{0} in, {0} out")
    @EnumSource(
            value = DataType.class,
            names = {"FLOAT32", "FLOAT64"})
    void lossKeepsTheInputsFloatType(DataType type) {
        LossBatch batch = LossBatch.random(new SplittableRandom(1), new int[] {3, 2}, 3, 0.5, true);
        PolicyGradientLoss loss =
                PolicyGradientLoss.builder()
                        .optBeta(0.04)
                        .optImportanceSampling(ImportanceSampling.ITEM)
                        .build();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray lp = m.create(batch.logProbs()).toType(type, false);
            NDArray value = loss.compute(batch.toInput(m, lp, type)).loss();
            assertThat(value.getDataType()).isEqualTo(type);
            assertThat(value.getShape().dimension()).isZero();
            double asDouble = type == DataType.FLOAT32 ? value.getFloat() : value.getDouble();
            assertThat(asDouble).isCloseTo(ReferenceLoss.loss(loss, batch), within(1e-5));
        }
    }

    @Test
    void dapoMicroBatchesWithTheGlobalTokenCountSumToTheWholeBatchLoss() {
        int[] lengths = {4, 1, 3, 2, 4, 0};
        LossBatch whole = LossBatch.random(new SplittableRandom(2), lengths, 4, 0.6, true);
        PolicyGradientLoss loss = PolicyGradientLoss.builder().optLossType(LossType.DAPO).build();
        double tokens = 4 + 1 + 3 + 2 + 4;
        double first = rows(whole, 0, 3, tokens).lossValue(loss);
        double second = rows(whole, 3, 6, tokens).lossValue(loss);
        assertThat(first + second).isCloseTo(whole.lossValue(loss), within(1e-12));
        // Without the global count each micro-batch would be its own token mean.
        assertThat(
                        rows(whole, 0, 3, null).lossValue(loss)
                                + rows(whole, 3, 6, null).lossValue(loss))
                .isNotCloseTo(whole.lossValue(loss), within(1e-3));
    }

    @Test
    void gradientAccumulationDividesGrpoButNotDapo() {
        LossBatch batch = LossBatch.random(new SplittableRandom(3), new int[] {3, 2}, 3, 0.5, true);
        for (LossType type : new LossType[] {LossType.GRPO, LossType.DAPO}) {
            double once = batch.lossValue(PolicyGradientLoss.builder().optLossType(type).build());
            double accumulated =
                    batch.lossValue(
                            PolicyGradientLoss.builder()
                                    .optLossType(type)
                                    .optGradientAccumulationSteps(4)
                                    .build());
            double expected = type == LossType.GRPO ? once / 4 : once;
            assertThat(accumulated).as("%s", type).isCloseTo(expected, within(1e-12));
        }
    }

    /**
     * Three rows of lengths 3, 2, 1, advantages 1, 2, -1, ratio 1 (per-token loss -A), the second
     * row truncated. DAPO: with masking (-1 -1 -1 +1) / 4 = -0.5; without, (-3 - 4 + 1) / 6 = -1.
     * GRPO with masking: row means -1, (empty) 0, +1 over all three rows = 0.
     */
    @Test
    void truncatedRowsLeaveTheLossAndTheTokenCount() {
        double[][] mask = {{1, 1, 1}, {1, 1, 0}, {1, 0, 0}};
        try (NDManager m = NDManager.newBaseManager()) {
            LossInput input =
                    LossInput.builder()
                            .setLogProbs(m.create(new double[3][3]).sub(1))
                            .setAdvantages(m.create(new double[] {1, 2, -1}))
                            .setMask(m.create(mask))
                            .optTruncated(m.create(new double[] {0, 1, 0}))
                            .build();
            assertThat(compute(input, LossType.DAPO, true)).isCloseTo(-0.5, within(1e-12));
            assertThat(compute(input, LossType.DAPO, false)).isCloseTo(-1.0, within(1e-12));
            assertThat(compute(input, LossType.GRPO, true)).isCloseTo(0.0, within(1e-12));
        }
    }

    private static double compute(LossInput input, LossType type, boolean maskTruncated) {
        return PolicyGradientLoss.builder()
                .optLossType(type)
                .optMaskTruncatedCompletions(maskTruncated)
                .build()
                .compute(input)
                .loss()
                .getDouble();
    }

    @Test
    void batchWhoseRowsAreAllTruncatedGivesZeroLossAndZeroGradient() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray lp = m.create(new double[][] {{-1, -2}, {-3, -4}});
            lp.setRequiresGradient(true);
            LossOutput out;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                out =
                        PolicyGradientLoss.builder()
                                .optMaskTruncatedCompletions(true)
                                .build()
                                .compute(
                                        LossInput.builder()
                                                .setLogProbs(lp)
                                                .setAdvantages(m.create(new double[] {1, -1}))
                                                .setMask(m.create(new double[][] {{1, 1}, {1, 0}}))
                                                .optTruncated(m.create(new int[] {1, 1}))
                                                .build());
                gc.backward(out.loss());
            }
            assertThat(out.loss().getDouble()).isZero();
            assertThat(lp.getGradient().toDoubleArray())
                    .containsExactly(new double[] {0, 0, 0, 0}, within(0.0));
            assertThat(out.metric("clip_ratio/region_mean")).isZero();
        }
    }

    /**
     * Entropies of the active tokens [0.1, 0.5, 0.9, 0.3, 0.7] (padding 5.0), rho = 0.4: the 0.6
     * quantile of the sorted [0.1, 0.3, 0.5, 0.7, 0.9] sits at position 2.4, i.e. 0.5 + 0.4 * 0.2 =
     * 0.58, so tokens 2 and 4 keep their policy term. Ratio 1, A = 1: policy sum -2 over the 5
     * tokens DAPO counts = -0.4. The KL term (k3 of lp -1 vs ref -1.2 = 0.0187308 per token, beta
     * 0.1) is not filtered.
     */
    @Test
    void entropyFilterKeepsTheTopQuantileForThePolicyTermOnly() {
        PolicyGradientLoss loss =
                PolicyGradientLoss.builder().optTopEntropyQuantile(0.4).optBeta(0.1).build();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray lp = m.create(new double[][] {{-1, -1, -1, -1, -1, -1}});
            lp.setRequiresGradient(true);
            LossOutput out;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                out =
                        loss.compute(
                                LossInput.builder()
                                        .setLogProbs(lp)
                                        .setAdvantages(m.create(new double[] {1}))
                                        .setMask(m.create(new double[][] {{1, 1, 1, 1, 1, 0}}))
                                        .optRefLogProbs(m.create(new double[1][6]).sub(1.2))
                                        .optEntropies(
                                                m.create(
                                                        new double[][] {
                                                            {0.1, 0.5, 0.9, 0.3, 0.7, 5.0}
                                                        }))
                                        .build());
                gc.backward(out.loss());
            }
            assertThat(out.loss().getDouble()).isCloseTo(-0.4 + 0.1 * 0.0187308, within(1e-6));
            // Policy gradient -A/N = -0.2 on kept tokens only; the KL gradient 0.1 * (1 - e^-0.2)
            // / 5 reaches every active token.
            double klGrad = 0.1 * (1 - Math.exp(-0.2)) / 5;
            assertThat(lp.getGradient().toDoubleArray())
                    .containsExactly(
                            new double[] {klGrad, klGrad, klGrad - 0.2, klGrad, klGrad - 0.2, 0},
                            within(1e-12));
            assertThat(out.metric("entropy")).isCloseTo(0.5, within(1e-12));
        }
    }

    @Test
    void withoutOldLogProbsTheRatioIsOneAndTheGradientIsMinusAdvantageOverN() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray lp = m.create(new double[][] {{-0.3, -2.0}, {-1.0, -0.1}});
            lp.setRequiresGradient(true);
            LossOutput out;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                out =
                        PolicyGradientLoss.builder()
                                .build()
                                .compute(
                                        lp,
                                        null,
                                        null,
                                        m.create(new double[] {2, -1}),
                                        m.create(new double[][] {{1, 1}, {1, 0}}));
                gc.backward(out.loss());
            }
            assertThat(out.loss().getDouble()).isCloseTo((-2 - 2 + 1) / 3.0, within(1e-12));
            assertThat(lp.getGradient().toDoubleArray())
                    .containsExactly(new double[] {-2 / 3.0, -2 / 3.0, 1 / 3.0, 0}, within(1e-12));
            assertThat(out.metric("ppo_kl")).isZero();
            assertThat(out.metric("clip_ratio/region_mean")).isZero();
        }
    }

    /**
     * Row 0 (A = 1): w = [1.5, 0.5, 1.0]; row 1 (A = -1): w = [0.5, 1.5], one padding column;
     * epsilons 0.2 / 0.28. High-clipped: row 0 token 0; low-clipped: row 1 token 0; the clipped
     * branch counts (pg_clipfrac) for exactly those two. Per-token losses -1.28, -0.5, -1.0, 0.8,
     * 1.5 sum to -0.48 over 5 tokens.
     */
    @Test
    void metricsFollowTheirDefinitions() {
        double[][] w = {{1.5, 0.5, 1.0}, {0.5, 1.5, 1.0}};
        double[][] lp = new double[2][3];
        for (int i = 0; i < 2; i++) {
            for (int t = 0; t < 3; t++) {
                lp[i][t] = Math.log(w[i][t]);
            }
        }
        PolicyGradientLoss loss = PolicyGradientLoss.builder().optClip(0.2, 0.28).build();
        try (NDManager m = NDManager.newBaseManager()) {
            LossOutput out =
                    loss.compute(
                            LossInput.builder()
                                    .setLogProbs(m.create(lp))
                                    .optOldLogProbs(m.create(new double[2][3]))
                                    .setAdvantages(m.create(new double[] {1, -1}))
                                    .setMask(m.create(new double[][] {{1, 1, 1}, {1, 1, 0}}))
                                    .optEntropies(m.create(new double[][] {{1, 2, 3}, {4, 5, 9}}))
                                    .build());
            assertThat(out.loss().getDouble()).isCloseTo(-0.48 / 5, within(1e-12));
            assertThat(out.metric("clip_ratio/low_mean")).isCloseTo(0.2, within(1e-12));
            assertThat(out.metric("clip_ratio/low_min")).isZero();
            assertThat(out.metric("clip_ratio/high_mean")).isCloseTo(0.2, within(1e-12));
            assertThat(out.metric("clip_ratio/high_max")).isCloseTo(1 / 3.0, within(1e-12));
            assertThat(out.metric("clip_ratio/region_mean")).isCloseTo(0.4, within(1e-12));
            assertThat(out.metric("pg_clipfrac")).isCloseTo(0.4, within(1e-12));
            assertThat(out.metric("ppo_kl")).isCloseTo(-2 * Math.log(0.75) / 5, within(1e-12));
            assertThat(out.metric("entropy")).isCloseTo(3.0, within(1e-12));
            assertThat(out.metrics()).doesNotContainKey("kl");
            assertThatThrownBy(() -> out.metric("reward"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("reward");
        }
    }

    /**
     * Every input except the log-probs lives in a capped manager, so any attempt to attach an
     * intermediate there fails; the intermediates end up in the log-probs' manager and are freed
     * with it.
     */
    @Test
    void intermediatesLiveInTheLogProbsManagerOnly() {
        LossBatch batch =
                LossBatch.random(new SplittableRandom(5), new int[] {3, 1, 2}, 3, 0.5, true);
        PolicyGradientLoss loss =
                PolicyGradientLoss.builder()
                        .optBeta(0.1)
                        .optImportanceSampling(ImportanceSampling.ITEM)
                        .optTopEntropyQuantile(0.5)
                        .optMaskTruncatedCompletions(true)
                        .build();
        try (NDManager root = NDManager.newBaseManager()) {
            NDManager inputs = root.newSubManager();
            NDManager step = root.newSubManager();
            NDArray lp = step.create(batch.logProbs());
            lp.setRequiresGradient(true);
            LossInput input = batch.toInput(inputs, lp, DataType.FLOAT64);
            int inputArrays = inputs.getManagedArrays().size();
            inputs.cap();
            LossOutput out;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                out = loss.compute(input);
                gc.backward(out.loss());
            }
            assertThat(out.loss().getManager()).isSameAs(step);
            assertThat(inputs.getManagedArrays()).hasSize(inputArrays);
            assertThat(step.getManagedArrays().size()).isGreaterThan(10);
            step.close();
            assertThat(out.loss().isReleased()).isTrue();
            assertThat(inputs.getManagedArrays()).hasSize(inputArrays);
        }
    }

    @Test
    void defaultsAreTrls() {
        PolicyGradientLoss loss = PolicyGradientLoss.builder().build();
        assertThat(loss.lossType()).isEqualTo(LossType.DAPO);
        assertThat(loss.aggregation()).isEqualTo(Aggregation.TOKEN_MEAN);
        assertThat(loss.clipRange()).isEqualTo(ClipRange.of(0.2, 0.2));
        assertThat(loss.beta()).isZero();
        assertThat(loss.klEstimator()).isEqualTo(KlEstimator.K3);
        assertThat(loss.importanceSampling()).isEqualTo(ImportanceSampling.TOKEN);
        assertThat(loss.maxCompletionLength()).isEqualTo(512);
        assertThat(loss.gradientAccumulationSteps()).isEqualTo(1);
        assertThat(loss.sapoTemperaturePositive()).isEqualTo(1.0);
        assertThat(loss.sapoTemperatureNegative()).isEqualTo(1.05);
        assertThat(loss.maskTruncatedCompletions()).isFalse();
        assertThat(loss.topEntropyQuantile()).isEqualTo(1.0);
    }

    @Test
    void aggregationOverrideReplacesTheLossTypesDefault() {
        PolicyGradientLoss loss =
                PolicyGradientLoss.builder()
                        .optLossType(LossType.GRPO)
                        .optAggregation(Aggregation.SEQ_MEAN_TOKEN_SUM)
                        .build();
        assertThat(loss.aggregation()).isEqualTo(Aggregation.SEQ_MEAN_TOKEN_SUM);
        LossBatch batch =
                LossBatch.random(new SplittableRandom(6), new int[] {3, 1, 0}, 3, 0.5, true);
        assertThat(batch.lossValue(loss)).isCloseTo(ReferenceLoss.loss(loss, batch), within(1e-12));
    }

    @Test
    void lossTypeFromNameAcceptsTrlsNames() {
        assertThat(LossType.fromName("dr_grpo")).isEqualTo(LossType.DR_GRPO);
        assertThat(LossType.fromName("DAPO")).isEqualTo(LossType.DAPO);
        assertThat(LossType.fromName("dr-grpo")).isEqualTo(LossType.DR_GRPO);
        for (LossType type : LossType.values()) {
            assertThat(LossType.fromName(type.trlName())).isEqualTo(type);
        }
    }

    private static LossBatch rows(LossBatch b, int from, int to, Double normalizer) {
        int n = to - from;
        double[][] adv = new double[n][];
        double[][] lp = new double[n][];
        double[][] old = new double[n][];
        double[][] mask = new double[n][];
        for (int i = 0; i < n; i++) {
            adv[i] = b.advantages()[from + i];
            lp[i] = b.logProbs()[from + i];
            old[i] = b.oldLogProbs()[from + i];
            mask[i] = b.mask()[from + i];
        }
        return new LossBatch(lp, old, null, adv, true, mask, null, null, null, normalizer);
    }
}
