package dev.grpo4j.examples.gigpo;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A fixed grid of walls and open cells, parsed from text rows of {@code #} (wall) and {@code .}
 * (open). Everything outside the grid counts as wall.
 *
 * <p>The map renders the agent's observation: the map's name, the agent's cell, where the goal lies
 * and what lies in each of the four directions, eleven tokens in all (see {@link #observation}).
 * The observation is a function of the agent's cell and the goal only, so an agent that comes back
 * to a cell sees exactly what it saw before: the anchor states GiGPO groups.
 */
public final class GridMap {

    /** The number of tokens of an observation: {@value}. */
    public static final int OBSERVATION_LENGTH = 11;

    private final int index;
    private final boolean[][] open;
    private final String[] rows;

    private GridMap(int index, boolean[][] open, String[] rows) {
        this.index = index;
        this.open = open;
        this.rows = rows;
    }

    /**
     * Parses a map.
     *
     * @param index the map's index, which also names it ({@code 0} is {@code A})
     * @param rows the rows, top first, all of one length, of {@code #} and {@code .} only
     * @return the map
     * @throws IllegalArgumentException naming the offending row or character, or if the map is
     *     larger than {@link GridVocabulary#MAX_SIDE} or has no open cell
     */
    public static GridMap parse(int index, String... rows) {
        GridVocabulary.map(index);
        if (rows.length == 0 || rows.length > GridVocabulary.MAX_SIDE) {
            throw new IllegalArgumentException(
                    "a map needs 1 to " + GridVocabulary.MAX_SIDE + " rows but has " + rows.length);
        }
        int cols = rows[0].length();
        if (cols == 0 || cols > GridVocabulary.MAX_SIDE) {
            throw new IllegalArgumentException(
                    "a map needs 1 to " + GridVocabulary.MAX_SIDE + " columns but has " + cols);
        }
        boolean[][] open = new boolean[rows.length][cols];
        int openCount = 0;
        for (int r = 0; r < rows.length; r++) {
            if (rows[r].length() != cols) {
                throw new IllegalArgumentException(
                        "row " + r + " has " + rows[r].length() + " cells but row 0 has " + cols);
            }
            for (int c = 0; c < cols; c++) {
                char ch = rows[r].charAt(c);
                if (ch != '#' && ch != '.') {
                    throw new IllegalArgumentException(
                            "cell "
                                    + r
                                    + ","
                                    + c
                                    + " is '"
                                    + ch
                                    + "'; only '#' and '.' are allowed");
                }
                open[r][c] = ch == '.';
                openCount += open[r][c] ? 1 : 0;
            }
        }
        if (openCount == 0) {
            throw new IllegalArgumentException("map " + index + " has no open cell");
        }
        return new GridMap(index, open, rows.clone());
    }

    /**
     * The map's index (its name token is {@code GridVocabulary.map(index)}).
     *
     * @return the index
     */
    public int index() {
        return index;
    }

    /**
     * The map's one-letter name.
     *
     * @return {@code A} for index 0, and so on
     */
    public String name() {
        return String.valueOf((char) ('A' + index));
    }

    /**
     * The number of rows.
     *
     * @return the height
     */
    public int rows() {
        return open.length;
    }

    /**
     * The number of columns.
     *
     * @return the width
     */
    public int cols() {
        return open[0].length;
    }

    /**
     * Whether a cell is inside the map and open.
     *
     * @param cell any cell, inside the map or not
     * @return true if the agent may stand there
     */
    public boolean isOpen(Cell cell) {
        return cell.row() >= 0
                && cell.row() < rows()
                && cell.col() >= 0
                && cell.col() < cols()
                && open[cell.row()][cell.col()];
    }

    /**
     * The open cells, row by row.
     *
     * @return a new list
     */
    public List<Cell> openCells() {
        List<Cell> cells = new ArrayList<>();
        for (int r = 0; r < rows(); r++) {
            for (int c = 0; c < cols(); c++) {
                if (open[r][c]) {
                    cells.add(new Cell(r, c));
                }
            }
        }
        return cells;
    }

    /**
     * The length of the shortest path from every cell to a target (breadth-first search).
     *
     * @param target an open cell
     * @return {@code [row][col]} moves to the target, -1 for walls and unreachable cells
     * @throws IllegalArgumentException if the target is not open
     */
    public int[][] distancesTo(Cell target) {
        requireOpen("target", target);
        int[][] d = new int[rows()][cols()];
        for (int[] row : d) {
            Arrays.fill(row, -1);
        }
        ArrayDeque<Cell> queue = new ArrayDeque<>();
        d[target.row()][target.col()] = 0;
        queue.add(target);
        while (!queue.isEmpty()) {
            Cell at = queue.poll();
            for (Move m : Move.values()) {
                Cell next = m.apply(at);
                if (isOpen(next) && d[next.row()][next.col()] < 0) {
                    d[next.row()][next.col()] = d[at.row()][at.col()] + 1;
                    queue.add(next);
                }
            }
        }
        return d;
    }

    /**
     * The observation of an agent at {@code agent} heading for {@code goal}:
     *
     * <pre>map  agent-row agent-col  vertical rows  horizontal cols  up down left right</pre>
     *
     * where {@code vertical} is {@code up}, {@code down} or {@code =} (same row) followed by the
     * number of rows to the goal, {@code horizontal} likewise with {@code left} or {@code right},
     * and each exit is its move word if open or {@code #} (wall or edge), e.g. {@code B 3 4 up 2
     * left 1 up # left right}.
     *
     * @param agent the agent's open cell
     * @param goal the goal's open cell
     * @return the {@value #OBSERVATION_LENGTH} token ids
     * @throws IllegalArgumentException if either cell is not open
     */
    public int[] observation(Cell agent, Cell goal) {
        requireOpen("agent", agent);
        requireOpen("goal", goal);
        int[] ids = new int[OBSERVATION_LENGTH];
        ids[0] = GridVocabulary.map(index);
        ids[1] = GridVocabulary.coordinate(agent.row());
        ids[2] = GridVocabulary.coordinate(agent.col());
        int dr = goal.row() - agent.row();
        int dc = goal.col() - agent.col();
        ids[3] = dr < 0 ? Move.UP.token() : dr > 0 ? Move.DOWN.token() : GridVocabulary.LEVEL;
        ids[4] = GridVocabulary.coordinate(Math.abs(dr));
        ids[5] = dc < 0 ? Move.LEFT.token() : dc > 0 ? Move.RIGHT.token() : GridVocabulary.LEVEL;
        ids[6] = GridVocabulary.coordinate(Math.abs(dc));
        Move[] moves = Move.values();
        for (int m = 0; m < moves.length; m++) {
            ids[7 + m] = isOpen(moves[m].apply(agent)) ? moves[m].token() : GridVocabulary.WALL;
        }
        return ids;
    }

    private void requireOpen(String what, Cell cell) {
        if (!isOpen(cell)) {
            throw new IllegalArgumentException(
                    "the " + what + " cell " + cell + " is not an open cell of map " + name());
        }
    }

    /**
     * The map as its text rows.
     *
     * @return the rows joined by newlines
     */
    @Override
    public String toString() {
        return String.join("\n", rows);
    }
}
