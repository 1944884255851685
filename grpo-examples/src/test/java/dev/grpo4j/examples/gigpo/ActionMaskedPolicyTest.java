package dev.grpo4j.examples.gigpo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.grpo4j.core.policy.CausalLmPolicy;
import dev.grpo4j.core.policy.IncrementalDecoder;
import dev.grpo4j.core.policy.SampledCompletion;
import dev.grpo4j.core.policy.Sampler;
import dev.grpo4j.core.policy.SamplingConfig;
import dev.grpo4j.core.policy.TokenLogProbs;
import dev.grpo4j.prefix.model.CausalTransformer;
import dev.grpo4j.prefix.model.TransformerConfig;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ActionMaskedPolicyTest {

    static final int VOCAB = 7;
    static final int[] ALLOWED = {2, 5};

    static CausalTransformer tiny(NDManager m) {
        TransformerConfig c =
                TransformerConfig.builder()
                        .setVocabSize(VOCAB)
                        .setWidth(8)
                        .setLayers(1)
                        .setHeads(2)
                        .optKvHeads(1)
                        .optMlpWidth(12)
                        .setMaxSequenceLength(8)
                        .build();
        return CausalTransformer.create(m, c, DataType.FLOAT32, 3);
    }

    @Test
    void logitsOfAllowedTokensAreUnchangedAndTheOthersAreLoweredByTheMask() {
        try (NDManager m = NDManager.newBaseManager()) {
            CausalTransformer inner = tiny(m);
            ActionMaskedPolicy policy = new ActionMaskedPolicy(inner, ALLOWED);
            ParameterStore store = new ParameterStore(m, false);
            NDArray ids = m.create(new int[] {1, 3, 4, 6, 0, 2}, new Shape(2, 3));
            float[] raw = inner.logits(store, ids, null, false).toFloatArray();
            float[] masked = policy.logits(store, ids, null, false).toFloatArray();
            assertThat(masked).hasSameSizeAs(raw);
            for (int i = 0; i < raw.length; i++) {
                int token = i % VOCAB;
                float expected =
                        token == 2 || token == 5 ? raw[i] : raw[i] + ActionMaskedPolicy.MASK;
                assertThat(masked[i]).as("logit %d", i).isCloseTo(expected, within(1e-2f));
            }
        }
    }

    @Test
    void logProbsPutAllMassOnAllowedTokensAndEntropiesStayFinite() {
        try (NDManager m = NDManager.newBaseManager()) {
            ActionMaskedPolicy policy = new ActionMaskedPolicy(tiny(m), ALLOWED);
            ParameterStore store = new ParameterStore(m, false);
            NDArray ids = m.create(new int[] {1, 3, 4}, new Shape(1, 3));
            NDArray logits = policy.logits(store, ids, null, false);
            float[] p = logits.logSoftmax(-1).exp().toFloatArray();
            for (int t = 0; t < 3; t++) {
                assertThat(p[t * VOCAB + 2] + p[t * VOCAB + 5])
                        .as("position %d", t)
                        .isCloseTo(1f, within(1e-5f));
                for (int v = 0; v < VOCAB; v++) {
                    if (v != 2 && v != 5) {
                        assertThat(p[t * VOCAB + v]).as("p(%d) at %d", v, t).isZero();
                    }
                }
            }
            TokenLogProbs lp =
                    TokenLogProbs.fromLogits(
                            logits,
                            m.create(new int[] {2, 5, 2}, new Shape(1, 3)),
                            m.ones(new Shape(1, 3)),
                            1.0);
            for (float h : lp.entropies().toFloatArray()) {
                assertThat(h).isFinite().isBetween(0f, (float) Math.log(2) + 1e-5f);
            }
        }
    }

    @Test
    void samplingProducesOnlyAllowedTokens() {
        try (NDManager m = NDManager.newBaseManager()) {
            ActionMaskedPolicy policy = new ActionMaskedPolicy(tiny(m), ALLOWED);
            Sampler sampler = new Sampler(SamplingConfig.builder().optMaxNewTokens(4).build());
            List<List<SampledCompletion>> out =
                    sampler.sample(
                            policy,
                            new ParameterStore(m, false),
                            m,
                            new int[][] {{1, 3}, {6}},
                            16,
                            new SplittableRandom(5));
            int seen = 0;
            for (List<SampledCompletion> group : out) {
                for (SampledCompletion c : group) {
                    for (int token : c.tokenIds()) {
                        assertThat(token).isIn(2, 5);
                        seen++;
                    }
                }
            }
            assertThat(seen).isEqualTo(2 * 16 * 4);
        }
    }

    @Test
    void theDecoderMasksEveryStepAndTheFrozenCopyKeepsTheMask() {
        try (NDManager m = NDManager.newBaseManager()) {
            ActionMaskedPolicy policy = new ActionMaskedPolicy(tiny(m), ALLOWED);
            CausalLmPolicy frozen = policy.frozenCopy(m);
            ParameterStore store = new ParameterStore(m, false);
            for (CausalLmPolicy p : List.of(policy, frozen)) {
                try (NDManager scope = m.newSubManager();
                        IncrementalDecoder d =
                                p.newDecoder(store, scope, new int[][] {{1, 4}}, 2)) {
                    assertThat(d.streamCount()).isEqualTo(2);
                    for (int step = 0; step < 2; step++) {
                        float[] logits = d.logits().toFloatArray();
                        for (int i = 0; i < logits.length; i++) {
                            int token = i % VOCAB;
                            if (token != 2 && token != 5) {
                                assertThat(logits[i]).isLessThan(ActionMaskedPolicy.MASK / 2);
                            } else {
                                assertThat(logits[i]).isGreaterThan(ActionMaskedPolicy.MASK / 2);
                            }
                        }
                        d.append(new int[] {2, 5});
                    }
                    assertThat(d.generatedLength()).isEqualTo(2);
                }
            }
            assertThat(frozen).isInstanceOf(ActionMaskedPolicy.class);
            assertThat(frozen.block()).isNotSameAs(policy.block());
            assertThat(policy.vocabSize()).isEqualTo(VOCAB);
            assertThat(policy.maxSequenceLength()).isEqualTo(8);
            assertThat(policy.allowedTokens()).containsExactly(ALLOWED);
        }
    }

    @Test
    void tokensOutsideTheVocabularyOrNoTokensAreRejected() {
        try (NDManager m = NDManager.newBaseManager()) {
            CausalTransformer inner = tiny(m);
            assertThatThrownBy(() -> new ActionMaskedPolicy(inner, 2, 7))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("allowed token 7 lies outside the vocabulary [0, 7)");
            assertThatThrownBy(() -> new ActionMaskedPolicy(inner))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("at least one token");
        }
    }
}
