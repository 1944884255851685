package dev.grpo4j.examples.gigpo;

import java.util.List;

/**
 * The example's four 7 x 7 maps. Each has walls that turn the straight line to many goals into a
 * detour and corridors that end in dead ends, so the move that looks right from the coordinates is
 * often wrong and a wasted move costs turns the agent may need later.
 */
public final class GridMaps {

    private GridMaps() {}

    /**
     * The four maps, A to D.
     *
     * @return the maps in index order
     */
    public static List<GridMap> standard() {
        // The rows are drawn one per line so the mazes can be read; keep the formatter off them.
        // spotless:off
        return List.of(
                GridMap.parse(0,
                        ".......",
                        ".#####.",
                        ".#...#.",
                        ".#.#.#.",
                        "...#...",
                        "####.##",
                        "......."),
                GridMap.parse(1,
                        "...#...",
                        ".#.#.#.",
                        ".#...#.",
                        ".#####.",
                        ".......",
                        "##.#.##",
                        "......."),
                GridMap.parse(2,
                        "...#...",
                        "...#...",
                        ".......",
                        "##.##.#",
                        "...#...",
                        ".......",
                        "...#..."),
                GridMap.parse(3,
                        ".......",
                        ".#.#.#.",
                        ".#.#.#.",
                        ".#.#.#.",
                        ".#.#.#.",
                        ".#.#.#.",
                        "...#..."));
        // spotless:on
    }
}
