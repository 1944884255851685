package dev.grpo4j.core.env;

/**
 * An environment failed while the trainer was running an episode; names the task, the trajectory
 * and the turn.
 */
public final class EnvironmentException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String taskKey;
    private final int trajectory;
    private final int turn;

    /**
     * Creates the exception.
     *
     * @param taskKey the task's key
     * @param trajectory the trajectory index within the task's group
     * @param turn the 0-based turn ({@code -1} for reset)
     * @param cause what the environment threw
     */
    public EnvironmentException(String taskKey, int trajectory, int turn, Throwable cause) {
        super(
                String.format(
                        "environment failed on task '%s', trajectory %d, %s: %s",
                        taskKey, trajectory, turn < 0 ? "reset" : "turn " + turn, cause),
                cause);
        this.taskKey = taskKey;
        this.trajectory = trajectory;
        this.turn = turn;
    }

    /**
     * The task's key.
     *
     * @return the key
     */
    public String taskKey() {
        return taskKey;
    }

    /**
     * The trajectory index within the task's group.
     *
     * @return the index
     */
    public int trajectory() {
        return trajectory;
    }

    /**
     * The 0-based turn, or -1 if {@code reset} failed.
     *
     * @return the turn
     */
    public int turn() {
        return turn;
    }
}
