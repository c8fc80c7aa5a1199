package dev.expanse.method.explain;

import dev.expanse.engine.Parameter;
import dev.expanse.kernels.FrozenBlock;

/**
 * A copy of one weight matrix at one moment, with everything a picture of it needs: its logical
 * size, its capacity (the buffer's rows and leading dimension), the old part recorded by
 * {@link Parameter#markOld()} and the frozen block.
 *
 * @param values row-major {@code [rows, cols]}: the weights, or their gradient for {@link #gradientOf}
 */
public record MatrixState(String name, int rows, int cols, int capacityRows, int capacityCols, int oldRows, int oldCols,
                          FrozenBlock frozen, int reallocations, float[] values) {

    /** The weights of {@code p} now. */
    public static MatrixState of(Parameter p) {
        return copy(p, p.toArray());
    }

    /** The gradient buffer of {@code p} now (between a backward pass and the optimizer step). */
    public static MatrixState gradientOf(Parameter p) {
        return copy(p, p.gradToArray());
    }

    private static MatrixState copy(Parameter p, float[] values) {
        return new MatrixState(p.name(), p.rows(), p.cols(), p.capacityRows(), p.capacityCols(), p.oldRows(), p.oldCols(),
                p.frozen().clampTo(p.rows(), p.cols()), p.reallocations(), values);
    }

    /** The value at row {@code r}, column {@code c}. */
    public float at(int r, int c) { return values[r * cols + c]; }

    /** Logical cells, rows * cols. */
    public int cells() { return rows * cols; }

    /** Cells of the frozen block. */
    public int frozenCells() { return frozen.rows() * frozen.cols(); }

    /** True for a cell of a new column in an old row: a new-to-old connection. */
    public boolean newToOld(int r, int c) {
        return r < oldRows && c >= oldCols && oldCols > 0;
    }

    /** How many new-to-old cells there are, and how many of them are exactly zero. */
    public int[] newToOldZeros() {
        int n = 0, zeros = 0;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                if (!newToOld(r, c)) continue;
                n++;
                if (Float.floatToRawIntBits(at(r, c)) == 0) zeros++;
            }
        }
        return new int[] {n, zeros};
    }

    /** Cells whose value is not exactly zero, overall and inside the frozen block. */
    public Count nonZero() {
        int all = 0, frozenOnes = 0;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                if (at(r, c) == 0f) continue;
                all++;
                if (frozen.contains(r, c)) frozenOnes++;
            }
        }
        return new Count(all, frozenOnes, 0);
    }

    /**
     * Cells whose bits differ from {@code earlier} (a state of the same matrix and size): overall,
     * inside this state's frozen block, and inside the old rows over their old columns.
     *
     * @throws IllegalArgumentException if the sizes differ
     */
    public Count changedFrom(MatrixState earlier) {
        if (earlier.rows != rows || earlier.cols != cols) {
            throw new IllegalArgumentException(name + ": cannot compare " + earlier.rows + "x" + earlier.cols + " with " + rows + "x" + cols);
        }
        int all = 0, frozenOnes = 0, old = 0;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                if (Float.floatToRawIntBits(at(r, c)) == Float.floatToRawIntBits(earlier.at(r, c))) continue;
                all++;
                if (frozen.contains(r, c)) frozenOnes++;
                if (r < oldRows && c < oldCols) old++;
            }
        }
        return new Count(all, frozenOnes, old);
    }

    /** The largest absolute value (0 for an empty matrix). */
    public float maxAbs() {
        float m = 0;
        for (float v : values) m = Math.max(m, Math.abs(v));
        return m;
    }

    /**
     * Cell counts of one comparison.
     *
     * @param all      over the whole matrix
     * @param inFrozen inside the frozen block
     * @param inOld    inside the old rows over the old columns
     */
    public record Count(int all, int inFrozen, int inOld) {
    }
}
