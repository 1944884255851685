package dev.grpo4j.core.train.listener;

import dev.grpo4j.core.train.StepMetrics;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A one-line console progress bar with the step count, elapsed time, ETA and the current reward
 * ({@code [#########.........] 45/100 00:32<00:39 reward=0.612 kl=0.003}). On a terminal the line
 * is redrawn in place; otherwise (CI logs) a plain line is printed every {@code every} steps.
 */
public final class ProgressBar implements GrpoListener {

    private static final int WIDTH = 24;

    private final PrintStream out;
    private final boolean inPlace;
    private final int every;
    private final LongSupplier nanoClock;
    private long total;
    private long first;
    private long startNanos;

    /**
     * A progress bar on standard error, redrawn in place when a console is attached.
     *
     * @param every print a plain line every this many steps when not on a console
     */
    public ProgressBar(int every) {
        this(System.err, System.console() != null, every, System::nanoTime);
    }

    /**
     * A progress bar with explicit output, mode and clock (for tests).
     *
     * @param out where to print
     * @param inPlace redraw one line with carriage returns
     * @param every plain-mode interval in steps ({@code >= 1})
     * @param nanoClock the clock
     */
    public ProgressBar(PrintStream out, boolean inPlace, int every, LongSupplier nanoClock) {
        if (every < 1) {
            throw new IllegalArgumentException("progress interval must be >= 1 but was " + every);
        }
        this.out = out;
        this.inPlace = inPlace;
        this.every = every;
        this.nanoClock = nanoClock;
    }

    @Override
    public void onTrainingStart(long firstStep, long totalSteps) {
        this.first = firstStep;
        this.total = totalSteps;
        this.startNanos = nanoClock.getAsLong();
    }

    @Override
    public void onStepEnd(StepMetrics metrics) {
        long done = metrics.step();
        if (!inPlace && done % every != 0 && done != total) {
            return;
        }
        String line = render(metrics);
        if (inPlace) {
            out.print('\r' + line);
            if (done == total) {
                out.println();
            }
        } else {
            out.println(line);
        }
        out.flush();
    }

    /**
     * Renders the bar for a step.
     *
     * @param metrics the step's metrics
     * @return the line, without a line break
     */
    String render(StepMetrics metrics) {
        long done = metrics.step();
        double elapsed = (nanoClock.getAsLong() - startNanos) / 1e9;
        long ranHere = Math.max(1, done - first);
        double eta = elapsed / ranHere * Math.max(0, total - done);
        int filled = total > 0 ? (int) Math.min(WIDTH, WIDTH * done / total) : 0;
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < WIDTH; i++) {
            sb.append(i < filled ? '#' : '.');
        }
        sb.append("] ").append(done).append('/').append(total).append(' ');
        sb.append(clock(elapsed)).append('<').append(clock(eta));
        metrics.get("reward")
                .ifPresent(r -> sb.append(String.format(Locale.ROOT, " reward=%.3f", r)));
        metrics.get("kl").ifPresent(k -> sb.append(String.format(Locale.ROOT, " kl=%.4f", k)));
        return sb.toString();
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        long h = s / 3600;
        long m = (s % 3600) / 60;
        long sec = s % 60;
        return h > 0
                ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, sec)
                : String.format(Locale.ROOT, "%02d:%02d", m, sec);
    }

    @Override
    public void onTrainingEnd(List<StepMetrics> history) {
        out.flush();
    }
}
