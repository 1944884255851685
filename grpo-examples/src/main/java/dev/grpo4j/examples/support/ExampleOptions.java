package dev.grpo4j.examples.support;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The options every example accepts: {@code --steps N}, {@code --seed S}, {@code --out DIR}
 * (charts, metrics and a CSV go there) and {@code --quick} (the short CI run, which asserts
 * improvement), plus example-specific {@code --name value} options declared by the example.
 *
 * @param steps training steps per run
 * @param seed the seed of every random choice
 * @param out the output directory
 * @param quick whether this is the short CI run
 * @param extra the example-specific options that were given, by name without dashes
 */
public record ExampleOptions(
        int steps, long seed, Path out, boolean quick, Map<String, String> extra) {

    /**
     * Copies the extra options.
     *
     * @param steps the steps
     * @param seed the seed
     * @param out the output directory
     * @param quick the quick flag
     * @param extra the extra options
     */
    public ExampleOptions {
        extra = Collections.unmodifiableMap(new LinkedHashMap<>(extra));
    }

    /**
     * Parses the command line, and sets {@code ai.djl.offline=true} unless the system property is
     * already set, so that no example ever downloads anything.
     *
     * @param argv the arguments
     * @param name the example's name, for usage messages
     * @param defaultOut the default output directory
     * @param fullSteps the default number of steps
     * @param quickSteps the number of steps of a {@code --quick} run
     * @param extraOptions names (without dashes) of the example-specific options that take a value
     * @return the options
     * @throws IllegalArgumentException naming an unknown option or a bad value
     */
    public static ExampleOptions parse(
            String[] argv,
            String name,
            Path defaultOut,
            int fullSteps,
            int quickSteps,
            Set<String> extraOptions) {
        // Examples never download anything: DJL runs offline unless the user said otherwise. This
        // runs first in every example's main, before DJL loads its engine.
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        int steps = 0;
        long seed = 42;
        Path out = defaultOut;
        boolean quick = false;
        Map<String, String> extra = new LinkedHashMap<>();
        for (int i = 0; i < argv.length; i++) {
            String arg = argv[i];
            switch (arg) {
                case "--steps" -> steps = parseInt(value(argv, ++i, arg), arg);
                case "--seed" -> seed = parseLong(value(argv, ++i, arg), arg);
                case "--out" -> out = Path.of(value(argv, ++i, arg));
                case "--quick" -> quick = true;
                case "--help", "-h" ->
                        throw new IllegalArgumentException(usage(name, extraOptions));
                default -> {
                    String key = arg.startsWith("--") ? arg.substring(2) : "";
                    if (!extraOptions.contains(key)) {
                        throw new IllegalArgumentException(
                                "unknown option '" + arg + "'; " + usage(name, extraOptions));
                    }
                    extra.put(key, value(argv, ++i, arg));
                }
            }
        }
        if (steps == 0) {
            steps = quick ? quickSteps : fullSteps;
        }
        if (steps < 1) {
            throw new IllegalArgumentException("--steps must be >= 1 but was " + steps);
        }
        return new ExampleOptions(steps, seed, out, quick, extra);
    }

    /**
     * An example-specific option as a number.
     *
     * @param key the option's name without dashes
     * @param fallback the default
     * @return the value
     */
    public double number(String key, double fallback) {
        String v = extra.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "--" + key + " needs a number but was '" + v + "'", e);
        }
    }

    private static String usage(String name, Set<String> extraOptions) {
        StringBuilder sb = new StringBuilder("usage: ").append(name);
        sb.append(" [--steps N] [--seed S] [--out DIR] [--quick]");
        for (String e : extraOptions) {
            sb.append(" [--").append(e).append(" VALUE]");
        }
        return sb.toString();
    }

    private static String value(String[] argv, int i, String option) {
        if (i >= argv.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return argv[i];
    }

    private static int parseInt(String v, String option) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs an integer but was '" + v + "'", e);
        }
    }

    private static long parseLong(String v, String option) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs an integer but was '" + v + "'", e);
        }
    }
}
