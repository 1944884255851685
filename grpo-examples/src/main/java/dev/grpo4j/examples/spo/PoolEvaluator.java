package dev.grpo4j.examples.spo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.grpo4j.core.policy.CausalLmPolicy;
import dev.grpo4j.core.rollout.Prompt;
import dev.grpo4j.core.util.Checks;
import java.util.List;

/**
 * Measures a policy's accuracy on a fixed set of recall prompts exactly, without sampling: one
 * teacher-forced forward pass over each prompt followed by its answer gives the probability that a
 * sampled completion (temperature 1, as in training) solves the prompt, {@code P = prod_t
 * softmax(logits_t)[answer_t]}, and whether greedy decoding would solve it (every answer token is
 * the argmax given the answer so far). The mean of P over the set is the expected reward of a
 * prompt drawn uniformly from the set, with no sampling noise, so curves of different runs can be
 * compared point by point.
 */
public final class PoolEvaluator {

    private final List<Prompt> prompts;
    private final int[][] answers;
    private final int[] levels;
    private final int promptLength;
    private final int width;

    /**
     * Creates an evaluator for a set of prompts made by {@link RecallTasks}.
     *
     * @param tasks the family the prompts come from
     * @param prompts the evaluation set, at least one prompt
     */
    public PoolEvaluator(RecallTasks tasks, List<Prompt> prompts) {
        Checks.require(!prompts.isEmpty(), "the evaluation set is empty");
        this.prompts = List.copyOf(prompts);
        this.answers = new int[this.prompts.size()][];
        this.levels = new int[this.prompts.size()];
        for (int i = 0; i < answers.length; i++) {
            Prompt p = this.prompts.get(i);
            Checks.require(
                    p.ids().length == tasks.promptLength(),
                    "prompt '%s' has %d tokens but the family's prompts have %d",
                    p.key(),
                    p.ids().length,
                    tasks.promptLength());
            answers[i] = RecallTasks.answer(p);
            levels[i] = RecallTasks.level(p);
        }
        this.promptLength = tasks.promptLength();
        this.width = tasks.promptLength() + tasks.maxLevel();
    }

    /**
     * The evaluation set's size.
     *
     * @return the number of prompts
     */
    public int size() {
        return prompts.size();
    }

    /**
     * Evaluates the policy on every prompt of the set.
     *
     * @param policy the policy
     * @param manager a manager for the forward pass; everything created is freed before returning
     * @return the per-prompt results
     */
    public Evaluation evaluate(CausalLmPolicy policy, NDManager manager) {
        int n = prompts.size();
        int[] tokens = new int[n * width];
        for (int i = 0; i < n; i++) {
            int[] ids = prompts.get(i).ids();
            System.arraycopy(ids, 0, tokens, i * width, ids.length);
            // Answer tokens follow the prompt; the rest stays 0 and, the model being causal, cannot
            // change the logits at earlier positions.
            System.arraycopy(answers[i], 0, tokens, i * width + promptLength, answers[i].length);
        }
        int vocab = policy.vocabSize();
        double[] logits;
        try (NDManager scope = manager.newSubManager()) {
            NDArray ids = scope.create(tokens, new Shape(n, width));
            ParameterStore store = new ParameterStore(scope, false);
            logits =
                    policy.logits(store, ids, null, false)
                            .toType(DataType.FLOAT64, false)
                            .toDoubleArray();
        }
        double[] probability = new double[n];
        boolean[] greedy = new boolean[n];
        for (int i = 0; i < n; i++) {
            double logP = 0;
            boolean argmaxAll = true;
            for (int t = 0; t < answers[i].length; t++) {
                int offset = ((i * width) + promptLength - 1 + t) * vocab;
                int target = answers[i][t];
                double max = Double.NEGATIVE_INFINITY;
                int best = -1;
                for (int v = 0; v < vocab; v++) {
                    if (logits[offset + v] > max) {
                        max = logits[offset + v];
                        best = v;
                    }
                }
                double sum = 0;
                for (int v = 0; v < vocab; v++) {
                    sum += Math.exp(logits[offset + v] - max);
                }
                logP += logits[offset + target] - max - Math.log(sum);
                argmaxAll &= best == target;
            }
            probability[i] = Math.exp(logP);
            greedy[i] = argmaxAll;
        }
        return new Evaluation(probability, greedy, levels.clone());
    }

    /**
     * The result of one evaluation.
     *
     * @param probability {@code [n]} each prompt's probability of being solved by one sample
     * @param greedy {@code [n]} whether greedy decoding solves each prompt
     * @param levels {@code [n]} each prompt's level
     */
    public record Evaluation(double[] probability, boolean[] greedy, int[] levels) {

        /**
         * Copies the arrays.
         *
         * @param probability the probabilities
         * @param greedy the greedy results
         * @param levels the levels
         */
        public Evaluation {
            probability = probability.clone();
            greedy = greedy.clone();
            levels = levels.clone();
        }

        /**
         * The accuracy: the mean success probability of one sample over the set.
         *
         * @return a value in [0, 1]
         */
        public double accuracy() {
            double sum = 0;
            for (double p : probability) {
                sum += p;
            }
            return sum / probability.length;
        }

        /**
         * The share of prompts greedy decoding solves.
         *
         * @return a value in [0, 1]
         */
        public double greedyAccuracy() {
            int solved = 0;
            for (boolean g : greedy) {
                solved += g ? 1 : 0;
            }
            return (double) solved / greedy.length;
        }

        /**
         * The accuracy over the prompts of one level.
         *
         * @param level the level
         * @return the mean success probability of that level's prompts, NaN if it has none
         */
        public double accuracy(int level) {
            double sum = 0;
            int count = 0;
            for (int i = 0; i < levels.length; i++) {
                if (levels[i] == level) {
                    sum += probability[i];
                    count++;
                }
            }
            return count == 0 ? Double.NaN : sum / count;
        }

        /**
         * The share of prompts whose success probability lies outside {@code [low, 1 - low]}: the
         * prompts on which a group of samples is almost always all right or all wrong.
         *
         * @param low the margin, e.g. 0.05
         * @return a value in [0, 1]
         */
        public double shareOutside(double low) {
            int outside = 0;
            for (double p : probability) {
                outside += p < low || p > 1 - low ? 1 : 0;
            }
            return (double) outside / probability.length;
        }

        /**
         * A copy of the probabilities.
         *
         * @return a copy
         */
        @Override
        public double[] probability() {
            return probability.clone();
        }

        /**
         * A copy of the greedy results.
         *
         * @return a copy
         */
        @Override
        public boolean[] greedy() {
            return greedy.clone();
        }

        /**
         * A copy of the levels.
         *
         * @return a copy
         */
        @Override
        public int[] levels() {
            return levels.clone();
        }
    }
}
