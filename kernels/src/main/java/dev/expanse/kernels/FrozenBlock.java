package dev.expanse.kernels;

/**
 * The frozen part of a matrix {@code [m, n]}: the top-left rectangle rows {@code [0, rows)} x
 * columns {@code [0, cols)}. Its cells are never written by an optimizer, and their weight
 * gradient need not be computed. After an expansion it is the old rows over all their columns
 * (old inputs and new), so {@code cols} may exceed the matrix's columns: every method clamps to
 * the matrix it is asked about.
 *
 * <p>The trainable cells are then two rectangles: the rows below the block over every column,
 * and the block's rows to the right of it ({@link #below}, {@link #right}). Every kernel that
 * must respect the block (weight gradients, optimizer steps) takes it whole, as one argument.
 *
 * @param rows frozen rows, from the top
 * @param cols frozen columns of those rows, from the left ({@link #ALL} for all, now and later)
 */
public record FrozenBlock(int rows, int cols) {

    /** Columns of a block that covers whole rows, including columns added later. */
    public static final int ALL = Integer.MAX_VALUE;

    /** Nothing frozen. */
    public static final FrozenBlock NONE = new FrozenBlock(0, 0);

    /** A rectangle of cells: rows {@code [row, row + rows)} x columns {@code [col, col + cols)}. */
    public record Rect(int row, int col, int rows, int cols) {
        /** True when it holds no cell. */
        public boolean isEmpty() {
            return rows <= 0 || cols <= 0;
        }
    }

    /** A block without rows or without columns is {@link #NONE}'s (0, 0). @throws IllegalArgumentException if a size is negative */
    public FrozenBlock {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("frozen block needs sizes >= 0, got " + rows + "x" + cols);
        }
        if (rows == 0 || cols == 0) {
            rows = 0;
            cols = 0;
        }
    }

    /** Rows {@code [0, rows)} over all their columns, now and after any growth. */
    public static FrozenBlock rows(int rows) {
        return rows == 0 ? NONE : new FrozenBlock(rows, ALL);
    }

    /** True when cell (r, c) is frozen. */
    public boolean contains(int r, int c) {
        return r < rows && c < cols;
    }

    /** This block clamped to a matrix {@code [m, n]}; {@link #NONE} when it holds no cell there. */
    public FrozenBlock clampTo(int m, int n) {
        int r = Math.min(rows, m), c = Math.min(cols, n);
        return r == 0 || c == 0 ? NONE : r == rows && c == cols ? this : new FrozenBlock(r, c);
    }

    /** Frozen cells of a matrix {@code [m, n]}. */
    public long count(int m, int n) {
        FrozenBlock b = clampTo(m, n);
        return (long) b.rows * b.cols;
    }

    /** True when every cell of a matrix {@code [m, n]} is frozen (an empty matrix included). */
    public boolean coversAll(int m, int n) {
        return m == 0 || n == 0 || (rows >= m && cols >= n);
    }

    /** The first trainable column of row {@code r} of a matrix with {@code n} columns. */
    public int firstTrainableColumn(int r, int n) {
        return r < rows ? Math.min(cols, n) : 0;
    }

    /** The first trainable row of column {@code c} of a matrix with {@code m} rows (a bias: c = 0). */
    public int firstTrainableRow(int c, int m) {
        return c < cols ? Math.min(rows, m) : 0;
    }

    /** Trainable rows below the block, over every column: rows [rows, m) x [0, n). */
    public Rect below(int m, int n) {
        int r = Math.min(rows, m);
        return new Rect(r, 0, m - r, n);
    }

    /** Trainable cells right of the block, in its rows: rows [0, rows) x [cols, n). */
    public Rect right(int m, int n) {
        int r = Math.min(rows, m), c = Math.min(cols, n);
        return new Rect(0, c, r, n - c);
    }

    @Override
    public String toString() {
        return rows + "x" + (cols == ALL ? "all" : String.valueOf(cols));
    }
}
