package dev.grpo4j.examples.gigpo;

import dev.grpo4j.core.rollout.Prompt;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One task of the grid world: a map, a start cell and a goal cell. The trainer plays G episodes of
 * each task it draws, all from the same start, so the episodes of a group pass through the same
 * cells and GiGPO can compare the moves made there.
 *
 * @param map the map
 * @param start the agent's first cell, open
 * @param goal the cell to reach, open, reachable from the start and different from it
 */
public record GridTask(GridMap map, Cell start, Cell goal) {

    /** The metadata name under which {@link #prompt()} stores the task. */
    public static final String METADATA = "grid_task";

    /**
     * Validates.
     *
     * @param map the map
     * @param start the start
     * @param goal the goal
     */
    public GridTask {
        Objects.requireNonNull(map, "map");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(goal, "goal");
        if (start.equals(goal)) {
            throw new IllegalArgumentException("start and goal are the same cell " + start);
        }
        int d = map.distancesTo(goal)[checkOpen(map, "start", start).row()][start.col()];
        if (d < 0) {
            throw new IllegalArgumentException(
                    "goal " + goal + " cannot be reached from " + start + " on map " + map.name());
        }
    }

    private static Cell checkOpen(GridMap map, String what, Cell cell) {
        if (!map.isOpen(cell)) {
            throw new IllegalArgumentException(
                    "the " + what + " cell " + cell + " is not an open cell of map " + map.name());
        }
        return cell;
    }

    /**
     * The number of moves of a shortest path from start to goal.
     *
     * @return at least 1
     */
    public int shortestPath() {
        return map.distancesTo(goal)[start.row()][start.col()];
    }

    /**
     * The task's key, e.g. {@code B:3,4>1,5}.
     *
     * @return the key
     */
    public String key() {
        return map.name() + ":" + start + ">" + goal;
    }

    /**
     * The task as the trainer's prompt: the first observation as ids and text, the task itself in
     * the metadata under {@link #METADATA} (where {@link GridWorld#reset} finds it).
     *
     * @return the prompt
     */
    public Prompt prompt() {
        int[] ids = map.observation(start, goal);
        return new Prompt(key(), ids, GridVocabulary.text(ids), Map.of(METADATA, this));
    }

    /**
     * Every task on the given maps whose shortest path has between {@code minMoves} and {@code
     * maxMoves} moves, map by map, start by start, goal by goal.
     *
     * @param maps the maps
     * @param minMoves the shortest allowed shortest path, at least 1
     * @param maxMoves the longest allowed shortest path, at least {@code minMoves}
     * @return the tasks
     * @throws IllegalArgumentException if the bounds are inconsistent or no task qualifies
     */
    public static List<GridTask> all(List<GridMap> maps, int minMoves, int maxMoves) {
        if (minMoves < 1 || maxMoves < minMoves) {
            throw new IllegalArgumentException(
                    "task lengths need 1 <= min <= max but were min "
                            + minMoves
                            + ", max "
                            + maxMoves);
        }
        List<GridTask> tasks = new ArrayList<>();
        for (GridMap map : maps) {
            List<Cell> cells = map.openCells();
            for (Cell goal : cells) {
                int[][] d = map.distancesTo(goal);
                for (Cell start : cells) {
                    int moves = d[start.row()][start.col()];
                    if (moves >= minMoves && moves <= maxMoves) {
                        tasks.add(new GridTask(map, start, goal));
                    }
                }
            }
        }
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException(
                    "no task has a shortest path of " + minMoves + " to " + maxMoves + " moves");
        }
        return tasks;
    }
}
