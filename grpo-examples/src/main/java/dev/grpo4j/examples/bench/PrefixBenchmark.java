package dev.grpo4j.examples.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.grpo4j.core.policy.LogProbComputer;
import dev.grpo4j.core.policy.PlainLogProbComputer;
import dev.grpo4j.core.policy.TokenLogProbs;
import dev.grpo4j.core.rollout.Rollout;
import dev.grpo4j.core.rollout.RolloutBatch;
import dev.grpo4j.core.rollout.RolloutGroup;
import dev.grpo4j.prefix.PrefixCostModel;
import dev.grpo4j.prefix.SharedPrefixLogProbComputer;
import dev.grpo4j.prefix.model.CausalTransformer;
import dev.grpo4j.prefix.model.SamplingThroughput;
import dev.grpo4j.prefix.model.TransformerConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Plain vs shared-prefix (packed) forward+backward of the per-token log-probs of one group on a
 * {@link CausalTransformer}: wall time, peak memory, the largest log-prob difference, and the
 * speedup the FLOP model of {@link PrefixCostModel} predicts; then sampling throughput with and
 * without the key/value cache.
 *
 * <p>Usage: {@code PrefixBenchmark [--prefix P --suffix S --group G | --grid] [--repeats N]
 * [--warmup W] [--device cpu|gpu] [--dtype float32|float64] [--no-memory] [--no-sampling]}. Without
 * a point or {@code --grid} it measures prefix 1024, suffix 64, G 16. Every configuration ends with
 * one line
 *
 * <pre>
 * RESULT prefix=P suffix=S group=G plain_ms=.. packed_ms=.. speedup=.. theory=.. max_abs_diff=..
 * </pre>
 *
 * <p>Times are medians of {@code --repeats} runs (default 5) after {@code --warmup} runs of each
 * layout (default 5: while the JIT compiler works, the first runs cost up to 4 times more CPU),
 * alternating plain and packed, each ending with a read of a gradient element (a synchronisation
 * point on a GPU). Peak memory is measured by {@link PeakMemoryProbe} in a fresh JVM per layout and
 * configuration, because a process's high-water mark cannot be reset; see there for what is
 * counted.
 */
public final class PrefixBenchmark {

    private PrefixBenchmark() {}

    /**
     * The command line.
     *
     * @param points (prefix, suffix, group) triples to measure
     * @param repeats timed runs per layout
     * @param warmup untimed runs per layout before them
     * @param device where to run
     * @param dataType float32 or float64
     * @param memory whether to probe peak memory in child JVMs
     * @param sampling whether to measure sampling throughput
     */
    record Args(
            List<int[]> points,
            int repeats,
            int warmup,
            Device device,
            DataType dataType,
            boolean memory,
            boolean sampling) {

        static Args parse(String... argv) {
            int prefix = 1024;
            int suffix = 64;
            int group = 16;
            boolean grid = false;
            int repeats = 5;
            int warmup = 5;
            Device device = Device.cpu();
            DataType type = DataType.FLOAT32;
            boolean memory = true;
            boolean sampling = true;
            for (int i = 0; i < argv.length; i++) {
                String flag = argv[i];
                switch (flag) {
                    case "--prefix" -> prefix = Integer.parseInt(value(argv, ++i, flag));
                    case "--suffix" -> suffix = Integer.parseInt(value(argv, ++i, flag));
                    case "--group" -> group = Integer.parseInt(value(argv, ++i, flag));
                    case "--grid" -> grid = true;
                    case "--repeats" -> repeats = Integer.parseInt(value(argv, ++i, flag));
                    case "--warmup" -> warmup = Integer.parseInt(value(argv, ++i, flag));
                    case "--device" -> device = parseDevice(value(argv, ++i, flag));
                    case "--dtype" ->
                            type =
                                    DataType.valueOf(
                                            value(argv, ++i, flag).toUpperCase(Locale.ROOT));
                    case "--no-memory" -> memory = false;
                    case "--no-sampling" -> sampling = false;
                    default -> throw new IllegalArgumentException("unknown option " + flag);
                }
            }
            List<int[]> points = new ArrayList<>();
            if (grid) {
                for (int p : new int[] {256, 512, 1024, 2048}) {
                    for (int s : new int[] {16, 64, 256}) {
                        for (int g : new int[] {2, 4, 8, 16}) {
                            points.add(new int[] {p, s, g});
                        }
                    }
                }
            } else {
                points.add(new int[] {prefix, suffix, group});
            }
            if (repeats < 1) {
                throw new IllegalArgumentException("--repeats must be >= 1 but was " + repeats);
            }
            if (warmup < 1) {
                throw new IllegalArgumentException("--warmup must be >= 1 but was " + warmup);
            }
            return new Args(points, repeats, warmup, device, type, memory, sampling);
        }

        /** {@code cpu}, {@code gpu} (the first GPU) or {@code gpuN}. */
        static Device parseDevice(String name) {
            if ("gpu".equals(name)) {
                return Device.gpu();
            }
            Device device = Device.fromName(name);
            if (!device.isGpu() && !Device.Type.CPU.equals(device.getDeviceType())) {
                throw new IllegalArgumentException(
                        "--device must be cpu, gpu or gpuN, not " + name);
            }
            return device;
        }

        /** The inverse of {@link #parseDevice}, for the memory probe's command line. */
        static String deviceName(Device device) {
            return device.isGpu() ? "gpu" + device.getDeviceId() : "cpu";
        }

        private static String value(String[] argv, int i, String flag) {
            if (i >= argv.length) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            return argv[i];
        }
    }

    /**
     * The benchmark model: 2 layers, width 128, 4 query heads sharing 2 key/value heads, a SwiGLU
     * MLP of width 384 and 1024 tokens, long enough for prefix 2048 plus suffix 256.
     *
     * @return the config
     */
    static TransformerConfig modelConfig() {
        return TransformerConfig.builder()
                .setVocabSize(1024)
                .setWidth(128)
                .setLayers(2)
                .setHeads(4)
                .optKvHeads(2)
                .optMlpWidth(384)
                .setMaxSequenceLength(4096)
                .build();
    }

    /**
     * One group: a random prompt of {@code prefix} tokens and {@code group} random completions of
     * {@code suffix} tokens each.
     */
    static List<RolloutGroup> group(int prefix, int suffix, int group, int vocab, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] prompt = random.ints(prefix, 0, vocab).toArray();
        List<Rollout> rollouts = new ArrayList<>();
        for (int g = 0; g < group; g++) {
            int[] completion = random.ints(suffix, 0, vocab).toArray();
            rollouts.add(
                    Rollout.builder().setPromptIds(prompt).setCompletionIds(completion).build());
        }
        return List.of(RolloutGroup.of(rollouts));
    }

    /**
     * Runs forward and backward of one layout's log-probs; returns the wall time in nanoseconds
     * and, if {@code logProbs} is non-null, copies the log-probs into it.
     */
    static long step(
            LogProbComputer computer,
            CausalTransformer model,
            ParameterStore store,
            NDManager root,
            List<RolloutGroup> groups,
            DataType type,
            float[][] logProbs) {
        try (NDManager scope = root.newSubManager();
                RolloutBatch batch = RolloutBatch.of(scope, groups, type)) {
            long start = System.nanoTime();
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                TokenLogProbs out = computer.compute(model, store, batch, 1.0, true);
                collector.backward(out.logProbs().sum());
                if (logProbs != null) {
                    logProbs[0] = out.logProbs().toType(DataType.FLOAT32, false).toFloatArray();
                }
            }
            NDArray gradient = model.getParameters().get(0).getValue().getArray().getGradient();
            // Reading one element waits for the device to finish the backward pass.
            gradient.get(scope, 0, 0).toType(DataType.FLOAT32, false).getFloat();
            return System.nanoTime() - start;
        }
    }

    /**
     * Runs the benchmark.
     *
     * @param argv see the class documentation
     * @throws Exception if a memory probe cannot be run
     */
    public static void main(String[] argv) throws Exception {
        Args args = Args.parse(argv);
        TransformerConfig config = modelConfig();
        PrefixCostModel cost = PrefixCostModel.of(config);
        System.out.printf(
                "PrefixBenchmark: %s, %s on %s (engine %s %s), %d threads available%n",
                config,
                args.dataType(),
                args.device(),
                Engine.getInstance().getEngineName(),
                Engine.getInstance().getVersion(),
                Runtime.getRuntime().availableProcessors());
        List<String> table = new ArrayList<>();
        table.add(
                "| prefix | suffix | G | plain ms | packed ms | speedup | theory | speedup/theory"
                        + " | plain peak MiB | packed peak MiB | max abs diff |");
        table.add("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        try (NDManager root = NDManager.newBaseManager(args.device())) {
            CausalTransformer model = CausalTransformer.create(root, config, args.dataType(), 7);
            ParameterStore store = new ParameterStore(root, false);
            LogProbComputer plain = new PlainLogProbComputer();
            LogProbComputer packed = new SharedPrefixLogProbComputer();
            for (int[] point : args.points()) {
                int p = point[0];
                int s = point[1];
                int g = point[2];
                List<RolloutGroup> groups = group(p, s, g, config.vocabSize(), 11L * p + s + g);
                float[][] plainLp = new float[1][];
                float[][] packedLp = new float[1][];
                // The first warm-up run of each layout also gives the log-probs to compare.
                step(plain, model, store, root, groups, args.dataType(), plainLp);
                step(packed, model, store, root, groups, args.dataType(), packedLp);
                for (int w = 1; w < args.warmup(); w++) {
                    step(plain, model, store, root, groups, args.dataType(), null);
                    step(packed, model, store, root, groups, args.dataType(), null);
                }
                double diff = 0;
                for (int e = 0; e < plainLp[0].length; e++) {
                    diff = Math.max(diff, Math.abs(plainLp[0][e] - packedLp[0][e]));
                }
                CpuShare share = CpuShare.start();
                long[] plainNanos = new long[args.repeats()];
                long[] packedNanos = new long[args.repeats()];
                for (int r = 0; r < args.repeats(); r++) {
                    plainNanos[r] = step(plain, model, store, root, groups, args.dataType(), null);
                    packedNanos[r] =
                            step(packed, model, store, root, groups, args.dataType(), null);
                }
                String others = share.othersSinceStart();
                double plainMs = median(plainNanos) / 1e6;
                double packedMs = median(packedNanos) / 1e6;
                double theory = cost.speedup(p, s, g);
                String plainPeak = "n/a";
                String packedPeak = "n/a";
                if (args.memory()) {
                    plainPeak = mib(PeakMemoryProbe.inChild("plain", p, s, g, args));
                    packedPeak = mib(PeakMemoryProbe.inChild("packed", p, s, g, args));
                }
                System.out.printf(
                        Locale.ROOT,
                        "config prefix=%d suffix=%d group=%d: plain runs %s ms (min %.1f), packed"
                                + " runs %s ms (min %.1f), other processes used %s of the CPUs"
                                + " meanwhile; peak memory plain %s MiB, packed %s MiB%n",
                        p,
                        s,
                        g,
                        millis(plainNanos),
                        Arrays.stream(plainNanos).min().orElse(0) / 1e6,
                        millis(packedNanos),
                        Arrays.stream(packedNanos).min().orElse(0) / 1e6,
                        others,
                        plainPeak,
                        packedPeak);
                System.out.printf(
                        Locale.ROOT,
                        "RESULT prefix=%d suffix=%d group=%d plain_ms=%.1f packed_ms=%.1f"
                                + " speedup=%.2f theory=%.2f max_abs_diff=%.2e%n",
                        p,
                        s,
                        g,
                        plainMs,
                        packedMs,
                        plainMs / packedMs,
                        theory,
                        diff);
                table.add(
                        String.format(
                                Locale.ROOT,
                                "| %d | %d | %d | %.1f | %.1f | %.2f | %.2f | %.2f | %s | %s | %.1e"
                                        + " |",
                                p,
                                s,
                                g,
                                plainMs,
                                packedMs,
                                plainMs / packedMs,
                                theory,
                                plainMs / packedMs / theory,
                                plainPeak,
                                packedPeak,
                                diff));
            }
            if (args.sampling()) {
                sampling(model, store, root);
            }
        }
        System.out.println();
        table.forEach(System.out::println);
    }

    /** Sampling throughput with and without the key/value cache, on a warm model. */
    private static void sampling(CausalTransformer model, ParameterStore store, NDManager root) {
        int prompt = 256;
        int group = 8;
        int newTokens = 32;
        int[][] prompts = {new SplittableRandom(3).ints(prompt, 0, model.vocabSize()).toArray()};
        SamplingThroughput.measure(model, store, root, prompts, group, 4, 1);
        SamplingThroughput.Result r =
                SamplingThroughput.measure(model, store, root, prompts, group, newTokens, 2);
        System.out.printf(
                Locale.ROOT,
                "SAMPLING prompt=%d group=%d new_tokens=%d cached_tok_s=%.1f uncached_tok_s=%.1f"
                        + " speedup=%.2f max_abs_logit_diff=%.2e%n",
                prompt,
                group,
                newTokens,
                r.cachedTokensPerSecond(),
                r.uncachedTokensPerSecond(),
                r.speedup(),
                r.maxAbsLogitDiff());
    }

    static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    }

    private static String millis(long[] nanos) {
        StringBuilder sb = new StringBuilder();
        for (long n : nanos) {
            sb.append(sb.length() == 0 ? "" : " ")
                    .append(String.format(Locale.ROOT, "%.1f", n / 1e6));
        }
        return sb.toString();
    }

    private static String mib(long bytes) {
        return bytes < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f", bytes / (1024.0 * 1024.0));
    }
}
