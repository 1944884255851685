package dev.grpo4j.examples.gigpo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.grpo4j.core.env.Observation;
import dev.grpo4j.core.env.Transition;
import dev.grpo4j.core.policy.CausalLmPolicy;
import dev.grpo4j.core.util.Checks;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * A fixed evaluation of a grid-world policy: the same tasks, the same number of episodes and the
 * same random numbers every time, so that two policies (or one policy at two points of training)
 * are measured on exactly the same test.
 *
 * <p>Why not the training batch: a training step draws a handful of fresh tasks, whose difficulty
 * alone moves the step's success rate by tens of points. The evaluation plays every task of a fixed
 * list, held out from training, {@code episodesPerTask} times; each turn samples the move from the
 * policy's distribution over the four moves at temperature 1 (what the trainer samples from), with
 * a {@link Random} re-seeded at every call (common random numbers: two policies that agree on a
 * state also agree on the move drawn there).
 */
public final class GridEvaluation {

    private final List<GridTask> tasks;
    private final int episodesPerTask;
    private final int turnLimit;
    private final long seed;

    /**
     * Creates an evaluation.
     *
     * @param tasks the tasks, at least one
     * @param episodesPerTask episodes played per task, at least 1
     * @param turnLimit the most turns of an episode, at least 1
     * @param seed the sampling seed, the same at every call
     */
    public GridEvaluation(List<GridTask> tasks, int episodesPerTask, int turnLimit, long seed) {
        Checks.require(!tasks.isEmpty(), "an evaluation needs at least one task");
        this.tasks = List.copyOf(tasks);
        this.episodesPerTask = Checks.positive("episodes per task", episodesPerTask);
        this.turnLimit = Checks.positive("turn limit", turnLimit);
        this.seed = seed;
    }

    /**
     * Splits the tasks into a training list and a held-out evaluation list by a seeded shuffle.
     *
     * @param all the tasks
     * @param heldOut how many go to the evaluation, at least 1 and fewer than all
     * @param seed the shuffle's seed
     * @return two lists: training tasks first, held-out tasks second
     * @throws IllegalArgumentException if {@code heldOut} leaves no task on either side
     */
    public static List<List<GridTask>> split(List<GridTask> all, int heldOut, long seed) {
        if (heldOut < 1 || heldOut >= all.size()) {
            throw new IllegalArgumentException(
                    "held-out tasks must number 1 to " + (all.size() - 1) + " but were " + heldOut);
        }
        List<GridTask> shuffled = new ArrayList<>(all);
        Collections.shuffle(shuffled, new Random(seed));
        return List.of(
                List.copyOf(shuffled.subList(heldOut, shuffled.size())),
                List.copyOf(shuffled.subList(0, heldOut)));
    }

    /**
     * The tasks evaluated.
     *
     * @return an unmodifiable list
     */
    public List<GridTask> tasks() {
        return tasks;
    }

    /**
     * Plays every task {@code episodesPerTask} times with the policy, all episodes in one batch.
     *
     * @param policy the policy; only the logits of the four move tokens are read
     * @param store the parameter store to read the parameters through
     * @param manager a manager for the temporary arrays (closed sub-managers are used per turn)
     * @return the share of episodes that reached their goal within the turn limit
     */
    public double successRate(CausalLmPolicy policy, ParameterStore store, NDManager manager) {
        Move[] moves = Move.values();
        int n = tasks.size() * episodesPerTask;
        EpisodeLog log = new EpisodeLog();
        GridWorld[] worlds = new GridWorld[n];
        Observation[] current = new Observation[n];
        boolean[] done = new boolean[n];
        for (int e = 0; e < n; e++) {
            worlds[e] = new GridWorld(turnLimit, 0.0, log);
            current[e] = worlds[e].reset(tasks.get(e / episodesPerTask).prompt());
        }
        Random random = new Random(seed);
        for (int turn = 0; turn < turnLimit; turn++) {
            int[] active = activeEpisodes(done);
            if (active.length == 0) {
                break;
            }
            int length = current[active[0]].tokenIds().length;
            int[] ids = new int[active.length * length];
            for (int a = 0; a < active.length; a++) {
                System.arraycopy(current[active[a]].tokenIds(), 0, ids, a * length, length);
            }
            float[] last;
            try (NDManager turnManager = manager.newSubManager()) {
                NDArray tokens = turnManager.create(ids, new Shape(active.length, length));
                NDArray logits = policy.logits(store, tokens, null, false);
                last = logits.get(":, -1, :").toType(DataType.FLOAT32, false).toFloatArray();
            }
            int vocab = last.length / active.length;
            for (int a = 0; a < active.length; a++) {
                double[] p = new double[moves.length];
                double max = Double.NEGATIVE_INFINITY;
                for (int m = 0; m < moves.length; m++) {
                    p[m] = last[a * vocab + moves[m].token()];
                    max = Math.max(max, p[m]);
                }
                double sum = 0;
                for (int m = 0; m < moves.length; m++) {
                    p[m] = Math.exp(p[m] - max);
                    sum += p[m];
                }
                double u = random.nextDouble() * sum;
                int pick = 0;
                while (pick < moves.length - 1 && u >= p[pick]) {
                    u -= p[pick];
                    pick++;
                }
                int e = active[a];
                Transition t = worlds[e].step(new int[] {moves[pick].token()});
                if (t.done()) {
                    done[e] = true;
                } else {
                    current[e] = t.next();
                }
            }
        }
        return log.drain().successRate();
    }

    private static int[] activeEpisodes(boolean[] done) {
        int[] active = new int[done.length];
        int k = 0;
        for (int e = 0; e < done.length; e++) {
            if (!done[e]) {
                active[k++] = e;
            }
        }
        return Arrays.copyOf(active, k);
    }
}
