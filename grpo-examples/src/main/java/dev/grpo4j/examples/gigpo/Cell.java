package dev.grpo4j.examples.gigpo;

/**
 * A grid position.
 *
 * @param row the row, 0 at the top
 * @param col the column, 0 at the left
 */
public record Cell(int row, int col) {

    @Override
    public String toString() {
        return row + "," + col;
    }
}
