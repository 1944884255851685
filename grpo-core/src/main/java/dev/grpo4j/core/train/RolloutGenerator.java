package dev.grpo4j.core.train;

import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.grpo4j.core.env.Environment;
import dev.grpo4j.core.env.EnvironmentException;
import dev.grpo4j.core.env.EnvironmentFactory;
import dev.grpo4j.core.env.Observation;
import dev.grpo4j.core.env.Transition;
import dev.grpo4j.core.policy.CausalLmPolicy;
import dev.grpo4j.core.policy.SampledCompletion;
import dev.grpo4j.core.policy.Sampler;
import dev.grpo4j.core.rollout.Prompt;
import dev.grpo4j.core.rollout.Rollout;
import dev.grpo4j.core.rollout.RolloutGroup;
import dev.grpo4j.core.rollout.Step;
import dev.grpo4j.core.rollout.Trajectory;
import dev.grpo4j.core.rollout.TrajectoryGroup;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Produces a step's experience with the current policy: G completions per prompt (single-turn), or
 * G episodes per task played turn by turn against environments (multi-turn).
 */
final class RolloutGenerator {

    private final CausalLmPolicy policy;
    private final ParameterStore store;
    private final Sampler sampler;
    private final GrpoConfig config;

    RolloutGenerator(
            CausalLmPolicy policy, ParameterStore store, Sampler sampler, GrpoConfig config) {
        this.policy = policy;
        this.store = store;
        this.sampler = sampler;
        this.config = config;
    }

    /** Keeps the last {@code max_prompt_length} tokens, as TRL truncates prompts from the left. */
    int[] truncate(int[] prompt) {
        int max = config.maxPromptLength();
        return prompt.length <= max
                ? prompt
                : Arrays.copyOfRange(prompt, prompt.length - max, prompt.length);
    }

    List<RolloutGroup> sample(List<Prompt> prompts, RandomGenerator random, NDManager manager) {
        int[][] ids = new int[prompts.size()][];
        for (int p = 0; p < ids.length; p++) {
            ids[p] = truncate(prompts.get(p).ids());
        }
        List<List<SampledCompletion>> sampled =
                sampler.sample(policy, store, manager, ids, config.numGenerations(), random);
        List<RolloutGroup> groups = new ArrayList<>(prompts.size());
        for (int p = 0; p < ids.length; p++) {
            List<Rollout> rollouts = new ArrayList<>();
            for (SampledCompletion c : sampled.get(p)) {
                rollouts.add(
                        Rollout.builder()
                                .setPromptIds(ids[p])
                                .setCompletionIds(c.tokenIds())
                                .optSamplingLogProbs(c.logProbs())
                                .optTruncated(c.truncated())
                                .build());
            }
            groups.add(RolloutGroup.of(prompts.get(p).key(), rollouts));
        }
        return groups;
    }

    List<TrajectoryGroup> runEpisodes(
            List<Prompt> tasks,
            EnvironmentFactory factory,
            RandomGenerator random,
            NDManager manager) {
        int g = config.numGenerations();
        int n = tasks.size() * g;
        Environment[] envs = new Environment[n];
        Observation[] current = new Observation[n];
        List<List<Step>> steps = new ArrayList<>(n);
        boolean[] done = new boolean[n];
        for (int e = 0; e < n; e++) {
            Prompt task = tasks.get(e / g);
            try {
                envs[e] = factory.create();
                current[e] = envs[e].reset(task);
            } catch (RuntimeException ex) {
                throw new EnvironmentException(task.key(), e % g, -1, ex);
            }
            if (current[e] == null) {
                throw new EnvironmentException(
                        task.key(), e % g, -1, new IllegalStateException("reset returned null"));
            }
            steps.add(new ArrayList<>());
        }
        for (int turn = 0; turn < config.maxTurns(); turn++) {
            List<Integer> active = new ArrayList<>();
            for (int e = 0; e < n; e++) {
                if (!done[e]) {
                    active.add(e);
                }
            }
            if (active.isEmpty()) {
                break;
            }
            int[][] inputs = new int[active.size()][];
            for (int a = 0; a < inputs.length; a++) {
                inputs[a] = truncate(current[active.get(a)].tokenIds());
            }
            List<List<SampledCompletion>> actions =
                    sampler.sample(policy, store, manager, inputs, 1, random);
            for (int a = 0; a < inputs.length; a++) {
                int e = active.get(a);
                SampledCompletion action = actions.get(a).get(0);
                Transition t;
                try {
                    t = envs[e].step(action.tokenIds());
                } catch (RuntimeException ex) {
                    throw new EnvironmentException(tasks.get(e / g).key(), e % g, turn, ex);
                }
                if (t == null) {
                    throw new EnvironmentException(
                            tasks.get(e / g).key(),
                            e % g,
                            turn,
                            new IllegalStateException("step returned null"));
                }
                steps.get(e)
                        .add(
                                Step.builder()
                                        .setAnchorState(current[e].anchorState())
                                        .setObservationIds(inputs[a])
                                        .setActionIds(action.tokenIds())
                                        .optActionLogProbs(action.logProbs())
                                        .optReward(t.reward())
                                        .optTruncated(action.truncated())
                                        .build());
                if (t.done()) {
                    done[e] = true;
                } else {
                    current[e] = t.next();
                }
            }
        }
        List<TrajectoryGroup> groups = new ArrayList<>(tasks.size());
        for (int j = 0; j < tasks.size(); j++) {
            List<Trajectory> trajectories = new ArrayList<>(g);
            for (int i = 0; i < g; i++) {
                trajectories.add(Trajectory.of(steps.get(j * g + i)));
            }
            groups.add(TrajectoryGroup.of(tasks.get(j).key(), trajectories));
        }
        return groups;
    }
}
