package dev.grpo4j.core.policy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.grpo4j.core.rollout.Rollout;
import dev.grpo4j.core.rollout.RolloutBatch;
import dev.grpo4j.core.util.Checks;

/**
 * The baseline {@link LogProbComputer}: every row is its own sequence {@code [prompt; completion]},
 * so a group's prompt is encoded once per completion (G times). Simple and exact; {@code
 * SharedPrefixLogProbComputer} in {@code grpo-prefix} gives the same numbers with the prompt
 * encoded once per group.
 *
 * <p>Rows are right-padded to the longest {@code prompt + completion}; causal attention keeps
 * padding from influencing valid positions. The logits at position {@code P - 1 + t} predict
 * completion token t, so only those T positions per row are turned into log-probs.
 */
public final class PlainLogProbComputer implements LogProbComputer {

    /** Creates the computer; it is stateless and thread-safe. */
    public PlainLogProbComputer() {}

    @Override
    public TokenLogProbs compute(
            CausalLmPolicy policy,
            ParameterStore store,
            RolloutBatch batch,
            double temperature,
            boolean training) {
        return compute(policy, store, batch, temperature, training, false);
    }

    @Override
    public TokenLogProbs compute(
            CausalLmPolicy policy,
            ParameterStore store,
            RolloutBatch batch,
            double temperature,
            boolean training,
            boolean differentiableEntropy) {
        Checks.positive("temperature", temperature);
        NDManager manager = batch.manager();
        int rows = batch.size();
        int width = batch.width();
        int vocab = policy.vocabSize();
        int length = 0;
        for (Rollout r : batch.rows()) {
            length = Math.max(length, r.promptLength() + r.completionLength());
        }
        Checks.require(
                length <= policy.maxSequenceLength(),
                "prompt plus completion has %d tokens but the policy's maximum length is %d",
                length,
                policy.maxSequenceLength());
        int[] tokens = new int[rows * length];
        long[] select = new long[rows * width];
        for (int r = 0; r < rows; r++) {
            Rollout rollout = batch.row(r);
            int[] prompt = rollout.promptIds();
            int[] completion = rollout.completionIds();
            checkVocabulary(prompt, vocab, r, "prompt");
            checkVocabulary(completion, vocab, r, "completion");
            System.arraycopy(prompt, 0, tokens, r * length, prompt.length);
            System.arraycopy(completion, 0, tokens, r * length + prompt.length, completion.length);
            for (int t = 0; t < width; t++) {
                // Padding columns point at the row's first position; the mask zeroes them later.
                select[r * width + t] =
                        (long) r * length + (t < completion.length ? prompt.length - 1 + t : 0);
            }
        }
        NDArray tokenIds = manager.create(tokens, new Shape(rows, length));
        NDArray logits = policy.logits(store, tokenIds, null, training);
        NDArray flat = logits.reshape(rows * (long) length, vocab);
        NDArray picked =
                flat.get(new NDIndex("{}", manager.create(select))).reshape(rows, width, vocab);
        return TokenLogProbs.fromLogits(
                picked,
                batch.completionIds(),
                batch.completionMask(),
                temperature,
                differentiableEntropy);
    }

    static void checkVocabulary(int[] ids, int vocab, int row, String what) {
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= vocab) {
                throw new IllegalArgumentException(
                        String.format(
                                "row %d: %s token %d has id %d, outside the vocabulary [0, %d)",
                                row, what, i, ids[i], vocab));
            }
        }
    }
}
