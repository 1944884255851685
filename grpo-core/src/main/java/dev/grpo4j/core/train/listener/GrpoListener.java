package dev.grpo4j.core.train.listener;

import dev.grpo4j.core.train.StepMetrics;
import java.nio.file.Path;
import java.util.List;

/**
 * Hooks into the training loop. Every method has an empty default, so a listener implements only
 * what it needs. Listeners are called on the training thread, in registration order; an exception
 * thrown by a listener stops training (after the trainer has made sure no checkpoint is
 * half-written).
 */
public interface GrpoListener {

    /**
     * Called once before the first step of a run (also after a resume).
     *
     * @param firstStep the 0-based index of the first step about to run
     * @param totalSteps the configured number of steps
     */
    default void onTrainingStart(long firstStep, long totalSteps) {}

    /**
     * Called after every step with its metrics.
     *
     * @param metrics the step's metrics
     */
    default void onStepEnd(StepMetrics metrics) {}

    /**
     * Called after a checkpoint has been written completely.
     *
     * @param step the number of completed steps it holds
     * @param directory the checkpoint's directory
     */
    default void onCheckpoint(long step, Path directory) {}

    /**
     * Called once when the run ends normally.
     *
     * @param history the metrics of every step of this run, in order
     */
    default void onTrainingEnd(List<StepMetrics> history) {}
}
