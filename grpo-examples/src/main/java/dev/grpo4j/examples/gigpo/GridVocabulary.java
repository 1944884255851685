package dev.grpo4j.examples.gigpo;

import java.util.Optional;
import java.util.StringJoiner;

/**
 * The grid world's token vocabulary: numbers, map names, a wall, "level with", and the four moves,
 * which serve both as actions and, in observations, as directions.
 *
 * <table>
 *   <caption>token ids</caption>
 *   <tr><th>ids</th><th>text</th><th>meaning</th></tr>
 *   <tr><td>0 to 7</td><td>{@code 0} to {@code 7}</td><td>a row, column or distance</td></tr>
 *   <tr><td>8 to 11</td><td>{@code A} to {@code D}</td><td>the map</td></tr>
 *   <tr><td>12</td><td>{@code #}</td><td>no exit in that direction (wall or edge)</td></tr>
 *   <tr><td>13</td><td>{@code =}</td><td>the goal is level with the agent on that axis</td></tr>
 *   <tr><td>14 to 17</td><td>{@code up down left right}</td><td>the actions; in an observation, a
 *       direction</td></tr>
 * </table>
 */
public final class GridVocabulary {

    /** Largest number of rows or columns a map may have: {@value}. */
    public static final int MAX_SIDE = 8;

    /** Largest number of maps: {@value}. */
    public static final int MAX_MAPS = 4;

    /** The first map-name token ({@code A}). */
    public static final int FIRST_MAP = MAX_SIDE;

    /** No exit: a wall or the edge of the map. */
    public static final int WALL = FIRST_MAP + MAX_MAPS;

    /** The goal lies level with the agent on this axis (same row, or same column). */
    public static final int LEVEL = WALL + 1;

    /** The first action token ({@link Move#UP}); the others follow in {@link Move} order. */
    public static final int FIRST_MOVE = LEVEL + 1;

    /** The vocabulary size: {@value}. */
    public static final int SIZE = FIRST_MOVE + 4;

    private GridVocabulary() {}

    /**
     * The token of a row or column number.
     *
     * @param coordinate a number in [0, {@link #MAX_SIDE})
     * @return its token id
     * @throws IllegalArgumentException naming the coordinate if it is out of range
     */
    public static int coordinate(int coordinate) {
        if (coordinate < 0 || coordinate >= MAX_SIDE) {
            throw new IllegalArgumentException(
                    "coordinate must lie in [0, " + MAX_SIDE + ") but was " + coordinate);
        }
        return coordinate;
    }

    /**
     * The token of a map.
     *
     * @param index the map's index in [0, {@link #MAX_MAPS})
     * @return its token id
     * @throws IllegalArgumentException naming the index if it is out of range
     */
    public static int map(int index) {
        if (index < 0 || index >= MAX_MAPS) {
            throw new IllegalArgumentException(
                    "map index must lie in [0, " + MAX_MAPS + ") but was " + index);
        }
        return FIRST_MAP + index;
    }

    /**
     * A token as text.
     *
     * @param token a token id
     * @return its text, or {@code <id>} for an id outside the vocabulary
     */
    public static String text(int token) {
        if (token >= 0 && token < FIRST_MAP) {
            return Integer.toString(token);
        }
        if (token >= FIRST_MAP && token < WALL) {
            return String.valueOf((char) ('A' + token - FIRST_MAP));
        }
        if (token == WALL) {
            return "#";
        }
        if (token == LEVEL) {
            return "=";
        }
        Optional<Move> move = Move.ofToken(token);
        return move.map(Move::word).orElse("<" + token + ">");
    }

    /**
     * Tokens as space-separated text.
     *
     * @param tokens token ids
     * @return the text
     */
    public static String text(int[] tokens) {
        StringJoiner j = new StringJoiner(" ");
        for (int t : tokens) {
            j.add(text(t));
        }
        return j.toString();
    }
}
