package dev.grpo4j.examples.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import dev.grpo4j.core.policy.LogProbComputer;
import dev.grpo4j.core.policy.PlainLogProbComputer;
import dev.grpo4j.prefix.SharedPrefixLogProbComputer;
import dev.grpo4j.prefix.model.CausalTransformer;
import dev.grpo4j.prefix.model.TransformerConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Peak memory of one forward+backward of one layout, measured in a fresh JVM so that nothing
 * earlier in the benchmark has raised the high-water mark or filled the allocator's free lists.
 *
 * <p>On the CPU the figure is {@code VmHWM} after the step minus {@code VmRSS} just before it (from
 * {@code /proc/self/status}): the growth of resident memory the step caused, activations and
 * gradients included, the JVM, libtorch and the model's parameters excluded. On a GPU it is the
 * process's device memory after the step minus before it (from {@code nvidia-smi}); PyTorch's
 * caching allocator keeps what it reserved, so the figure after the step is its peak reservation.
 */
final class PeakMemoryProbe {

    private static final String PREFIX = "PEAK_BYTES ";

    private PeakMemoryProbe() {}

    /**
     * Runs the probe in a child JVM with this JVM's class path and options.
     *
     * @return the peak in bytes, or -1 if the probe failed (its output is printed)
     */
    static long inChild(String layout, int prefix, int suffix, int group, PrefixBenchmark.Args args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(PeakMemoryProbe.class.getName());
        command.add(layout);
        command.add(Integer.toString(prefix));
        command.add(Integer.toString(suffix));
        command.add(Integer.toString(group));
        command.add(PrefixBenchmark.Args.deviceName(args.device()));
        command.add(args.dataType().name());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        long peak = -1;
        StringBuilder output = new StringBuilder();
        try (BufferedReader reader =
                new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith(PREFIX)) {
                    peak = Long.parseLong(line.substring(PREFIX.length()).trim());
                } else {
                    output.append(line).append('\n');
                }
            }
        }
        if (!process.waitFor(30, TimeUnit.MINUTES) || process.exitValue() != 0 || peak < 0) {
            System.out.print("memory probe failed:\n" + output);
            return -1;
        }
        return peak;
    }

    /**
     * The child's entry point.
     *
     * @param argv layout (plain or packed), prefix, suffix, group, device, data type
     * @throws Exception if the measurement fails
     */
    public static void main(String[] argv) throws Exception {
        LogProbComputer computer =
                "plain".equals(argv[0])
                        ? new PlainLogProbComputer()
                        : new SharedPrefixLogProbComputer();
        int prefix = Integer.parseInt(argv[1]);
        int suffix = Integer.parseInt(argv[2]);
        int group = Integer.parseInt(argv[3]);
        Device device = PrefixBenchmark.Args.parseDevice(argv[4]);
        DataType type = DataType.valueOf(argv[5]);
        TransformerConfig config = PrefixBenchmark.modelConfig();
        try (NDManager root = NDManager.newBaseManager(device)) {
            CausalTransformer model = CausalTransformer.create(root, config, type, 7);
            ParameterStore store = new ParameterStore(root, false);
            var groups =
                    PrefixBenchmark.group(
                            prefix,
                            suffix,
                            group,
                            config.vocabSize(),
                            11L * prefix + suffix + group);
            long before = device.isGpu() ? gpuBytes() : statusBytes("VmRSS:");
            PrefixBenchmark.step(computer, model, store, root, groups, type, null);
            long after = device.isGpu() ? gpuBytes() : statusBytes("VmHWM:");
            System.out.println(PREFIX + Math.max(0, after - before));
        }
    }

    /** A {@code kB} field of {@code /proc/self/status}, in bytes. */
    private static long statusBytes(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(field)) {
                String kb = line.substring(field.length()).trim().split("\\s+")[0];
                return Long.parseLong(kb) * 1024;
            }
        }
        throw new IOException(field + " not found in /proc/self/status");
    }

    /** This process's device memory according to nvidia-smi, in bytes. */
    private static long gpuBytes() throws IOException, InterruptedException {
        Process smi =
                new ProcessBuilder(
                                "nvidia-smi",
                                "--query-compute-apps=pid,used_memory",
                                "--format=csv,noheader,nounits")
                        .redirectErrorStream(true)
                        .start();
        String pid = Long.toString(ProcessHandle.current().pid());
        long mib = -1;
        try (BufferedReader reader =
                new BufferedReader(
                        new InputStreamReader(smi.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                String[] parts = line.split(",");
                if (parts.length == 2 && parts[0].trim().equals(pid)) {
                    mib = Long.parseLong(parts[1].trim());
                }
            }
        }
        smi.waitFor();
        if (mib < 0) {
            throw new IOException("nvidia-smi lists no memory for process " + pid);
        }
        return mib * 1024 * 1024;
    }
}
