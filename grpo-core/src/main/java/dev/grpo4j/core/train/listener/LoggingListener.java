package dev.grpo4j.core.train.listener;

import dev.grpo4j.core.train.StepMetrics;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs a step's metrics through SLF4J at INFO every {@code every} steps (TRL's logging_steps). */
public final class LoggingListener implements GrpoListener {

    private static final Logger LOG = LoggerFactory.getLogger(LoggingListener.class);

    private final int every;

    /**
     * Creates the listener.
     *
     * @param every log every this many steps ({@code >= 1})
     */
    public LoggingListener(int every) {
        if (every < 1) {
            throw new IllegalArgumentException("logging interval must be >= 1 but was " + every);
        }
        this.every = every;
    }

    @Override
    public void onStepEnd(StepMetrics metrics) {
        if (metrics.step() % every == 0 && LOG.isInfoEnabled()) {
            LOG.info("step {} {}", metrics.step(), format(metrics.values()));
        }
    }

    static String format(Map<String, Double> values) {
        StringBuilder sb = new StringBuilder("{");
        for (Map.Entry<String, Double> e : values.entrySet()) {
            if (sb.length() > 1) {
                sb.append(", ");
            }
            sb.append(e.getKey())
                    .append('=')
                    .append(String.format(Locale.ROOT, "%.4g", e.getValue()));
        }
        return sb.append('}').toString();
    }
}
