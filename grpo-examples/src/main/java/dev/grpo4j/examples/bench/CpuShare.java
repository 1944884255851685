package dev.grpo4j.examples.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * How busy the machine was with other processes during a measurement, from Linux's {@code
 * /proc/stat} (all CPUs) and {@code /proc/self/stat} (this process): benchmark figures taken on a
 * shared machine come with this figure, so that a reader can tell a contended run from a quiet one.
 */
final class CpuShare {

    private final long[] start;

    private CpuShare(long[] start) {
        this.start = start;
    }

    /**
     * Starts a measurement window.
     *
     * @return the window, or one that reports {@code n/a} where the proc files are missing
     */
    static CpuShare start() {
        return new CpuShare(sample());
    }

    /**
     * The share of all CPU time since {@link #start()} that other processes used.
     *
     * @return e.g. {@code 35%}, or {@code n/a}
     */
    String othersSinceStart() {
        long[] end = sample();
        if (start == null || end == null) {
            return "n/a";
        }
        double total = (end[0] + end[1]) - (start[0] + start[1]);
        double others = (end[0] - start[0]) - (end[2] - start[2]);
        return total <= 0 ? "n/a" : String.format(Locale.ROOT, "%.0f%%", 100 * others / total);
    }

    /** {busy ticks of all CPUs, idle ticks of all CPUs, ticks used by this process}. */
    private static long[] sample() {
        try {
            String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            // user nice system idle iowait irq softirq steal: everything but idle and iowait.
            for (int i = 1; i <= 8 && i < cpu.length; i++) {
                busy += i == 4 || i == 5 ? 0 : Long.parseLong(cpu[i]);
            }
            long idle = Long.parseLong(cpu[4]) + Long.parseLong(cpu[5]);
            String self = Files.readString(Path.of("/proc/self/stat"));
            String[] fields = self.substring(self.lastIndexOf(')') + 2).split(" ");
            // utime and stime are fields 14 and 15 of the file, 12 and 13 after the name.
            long mine = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            return new long[] {busy, idle, mine};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
