package dev.grpo4j.examples.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.grpo4j.core.policy.TokenLogProbs;
import dev.grpo4j.core.rollout.RolloutBatch;
import dev.grpo4j.core.rollout.RolloutGroup;
import dev.grpo4j.prefix.SharedPrefixLogProbComputer;
import dev.grpo4j.prefix.attention.MaskedAttention;
import dev.grpo4j.prefix.attention.SharedPrefixAttention;
import dev.grpo4j.prefix.layout.PrefixLayout;
import dev.grpo4j.prefix.layout.PrefixLayoutArrays;
import dev.grpo4j.prefix.model.CausalTransformer;
import dev.grpo4j.prefix.model.TransformerConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * Checks, one by one, what works on a device: the engine loads, the device is visible, matmul,
 * softmax and autograd agree with the CPU, the shared-prefix op agrees with the masked reference,
 * and a few training steps on packed log-probs raise them. Written for a first run against a
 * libtorch the JNI layer was not built for, where any op may fail with {@code undefined symbol}:
 * every check runs even if an earlier one failed, and each prints one line {@code CHECK name: ok
 * (detail)} or {@code CHECK name: FAILED (error)}.
 *
 * <p>Usage: {@code EngineSmokeCheck [--device gpu|cpu]} (default gpu). The exit status is the
 * number of failed checks.
 */
public final class EngineSmokeCheck {

    private EngineSmokeCheck() {}

    /**
     * Runs the checks.
     *
     * @param argv {@code --device NAME}, optional
     */
    public static void main(String[] argv) {
        String name = argv.length == 2 && "--device".equals(argv[0]) ? argv[1] : "gpu";
        int failed = run(name);
        System.exit(failed);
    }

    /**
     * Runs every check on the named device and prints one line per check.
     *
     * @param deviceName {@code cpu}, {@code gpu} or {@code gpuN}
     * @return the number of failed checks
     */
    static int run(String deviceName) {
        List<Pair<String, Callable<String>>> checks = new ArrayList<>();
        Device[] device = new Device[1];
        checks.add(
                new Pair<>(
                        "engine loads",
                        () -> {
                            Engine engine = Engine.getInstance();
                            return engine.getEngineName() + " " + engine.getVersion();
                        }));
        checks.add(
                new Pair<>(
                        "device visible",
                        () -> {
                            device[0] = PrefixBenchmark.Args.parseDevice(deviceName);
                            int gpus = Engine.getInstance().getGpuCount();
                            if (device[0].isGpu() && gpus <= device[0].getDeviceId()) {
                                throw new IllegalStateException(
                                        "the engine sees " + gpus + " GPUs, not " + device[0]);
                            }
                            return device[0] + ", " + gpus + " GPUs";
                        }));
        checks.add(new Pair<>("matmul", () -> compareWithCpu(device[0], "matmul")));
        checks.add(new Pair<>("softmax", () -> compareWithCpu(device[0], "softmax")));
        checks.add(new Pair<>("autograd", () -> autograd(device[0])));
        checks.add(new Pair<>("shared-prefix op", () -> prefixOp(device[0])));
        checks.add(new Pair<>("training steps", () -> training(device[0])));
        int failed = 0;
        for (Pair<String, Callable<String>> check : checks) {
            try {
                System.out.println(
                        "CHECK " + check.getKey() + ": ok (" + check.getValue().call() + ")");
            } catch (Exception | LinkageError e) {
                failed++;
                System.out.println("CHECK " + check.getKey() + ": FAILED (" + e + ")");
            }
        }
        return failed;
    }

    private static String compareWithCpu(Device device, String op) {
        try (NDManager cpu = NDManager.newBaseManager(Device.cpu());
                NDManager dev = NDManager.newBaseManager(device)) {
            cpu.getEngine().setRandomSeed(1);
            NDArray a = cpu.randomNormal(new Shape(64, 96));
            NDArray b = cpu.randomNormal(new Shape(96, 32));
            NDArray expected = "matmul".equals(op) ? a.matMul(b) : a.softmax(-1);
            NDArray da = a.toDevice(device, true);
            NDArray db = b.toDevice(device, true);
            da.attach(dev);
            db.attach(dev);
            NDArray actual = "matmul".equals(op) ? da.matMul(db) : da.softmax(-1);
            return "max abs diff "
                    + format(maxAbsDiff(actual.toDevice(Device.cpu(), true), expected));
        }
    }

    private static String autograd(Device device) {
        try (NDManager m = NDManager.newBaseManager(device)) {
            NDArray x = m.arange(0f, 6f).reshape(2, 3);
            x.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(x.mul(x).sum());
            }
            // d/dx sum(x^2) = 2x.
            double diff = maxAbsDiff(x.getGradient(), x.mul(2));
            if (diff > 1e-6) {
                throw new IllegalStateException("gradient of sum(x^2) is off by " + diff);
            }
            return "d sum(x^2)/dx = 2x, max abs diff " + format(diff);
        }
    }

    private static String prefixOp(Device device) {
        PrefixLayout layout =
                PrefixLayout.builder()
                        .setPrompts(new int[] {1, 2, 3}, new int[] {4})
                        .setGroupSizes(2, 1)
                        .setCompletions(new int[] {5, 6}, new int[] {7}, new int[] {8, 9, 1})
                        .build();
        try (NDManager m = NDManager.newBaseManager(device);
                PrefixLayoutArrays arrays = layout.toArrays(m)) {
            m.getEngine().setRandomSeed(2);
            Shape qShape = new Shape(2, layout.packedLength(), 4, 8);
            Shape kvShape = new Shape(2, layout.packedLength(), 2, 8);
            NDArray q = m.randomNormal(qShape);
            NDArray k = m.randomNormal(kvShape);
            NDArray v = m.randomNormal(kvShape);
            NDArray shared = new SharedPrefixAttention(arrays).attend(q, k, v);
            NDArray masked = new MaskedAttention(layout.visibilityMask(m)).attend(q, k, v);
            double diff = maxAbsDiff(shared, masked);
            if (diff > 1e-5) {
                throw new IllegalStateException("shared and masked attention differ by " + diff);
            }
            return "vs masked attention, max abs diff " + format(diff);
        }
    }

    private static String training(Device device) {
        TransformerConfig config =
                TransformerConfig.builder()
                        .setVocabSize(32)
                        .setWidth(32)
                        .setLayers(2)
                        .setHeads(4)
                        .optKvHeads(2)
                        .setMaxSequenceLength(64)
                        .build();
        try (NDManager m = NDManager.newBaseManager(device)) {
            CausalTransformer model = CausalTransformer.create(m, config, DataType.FLOAT32, 3);
            ParameterStore store = new ParameterStore(m, false);
            List<RolloutGroup> groups = PrefixBenchmark.group(16, 4, 4, 32, 5);
            double[] objective = new double[4];
            for (int step = 0; step < objective.length; step++) {
                try (NDManager scope = m.newSubManager();
                        RolloutBatch batch = RolloutBatch.of(scope, groups);
                        GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    TokenLogProbs lp =
                            new SharedPrefixLogProbComputer()
                                    .compute(model, store, batch, 1.0, true);
                    NDArray total = lp.logProbs().sum();
                    objective[step] = total.getFloat();
                    collector.backward(total.neg());
                }
                // Plain gradient descent on -sum(log-probs), then clear the gradients.
                for (Pair<String, Parameter> p : model.getParameters()) {
                    NDArray value = p.getValue().getArray();
                    NDArray grad = value.getGradient();
                    value.subi(grad.mul(0.05));
                    grad.subi(grad);
                }
            }
            if (!(objective[objective.length - 1] > objective[0])) {
                throw new IllegalStateException(
                        "log-probs did not rise: " + Arrays.toString(objective));
            }
            return String.format(
                    Locale.ROOT,
                    "sum of log-probs %.3f -> %.3f in %d steps",
                    objective[0],
                    objective[objective.length - 1],
                    objective.length - 1);
        }
    }

    private static double maxAbsDiff(NDArray a, NDArray b) {
        return a.toType(DataType.FLOAT64, false)
                .sub(b.toType(DataType.FLOAT64, false))
                .abs()
                .max()
                .getDouble();
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%.2e", value);
    }
}
