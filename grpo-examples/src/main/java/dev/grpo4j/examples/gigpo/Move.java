package dev.grpo4j.examples.gigpo;

import java.util.Optional;

/**
 * The four moves of the grid world, each with its action token and its effect on the agent's
 * position (rows grow downwards).
 */
public enum Move {
    /** One row up. */
    UP(-1, 0),
    /** One row down. */
    DOWN(1, 0),
    /** One column left. */
    LEFT(0, -1),
    /** One column right. */
    RIGHT(0, 1);

    private final int rowStep;
    private final int colStep;

    Move(int rowStep, int colStep) {
        this.rowStep = rowStep;
        this.colStep = colStep;
    }

    /**
     * The action token that selects this move.
     *
     * @return the token id in {@link GridVocabulary}
     */
    public int token() {
        return GridVocabulary.FIRST_MOVE + ordinal();
    }

    /**
     * The cell this move leads to from {@code from}, whether or not it is open.
     *
     * @param from the agent's cell
     * @return the neighbouring cell in this direction
     */
    public Cell apply(Cell from) {
        return new Cell(from.row() + rowStep, from.col() + colStep);
    }

    /**
     * The move an action token selects.
     *
     * @param token a token id
     * @return the move, or empty if the token is not an action token
     */
    public static Optional<Move> ofToken(int token) {
        int i = token - GridVocabulary.FIRST_MOVE;
        Move[] all = values();
        return i >= 0 && i < all.length ? Optional.of(all[i]) : Optional.empty();
    }

    /**
     * The lower-case name the vocabulary prints.
     *
     * @return e.g. {@code up}
     */
    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
