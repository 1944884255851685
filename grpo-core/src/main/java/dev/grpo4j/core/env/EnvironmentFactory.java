package dev.grpo4j.core.env;

/** Creates fresh {@link Environment} instances, one per trajectory. */
@FunctionalInterface
public interface EnvironmentFactory {

    /**
     * A new environment.
     *
     * @return the environment
     */
    Environment create();
}
