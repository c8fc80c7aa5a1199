package dev.expanse.engine;

import dev.expanse.kernels.Backend;
import dev.expanse.kernels.Buffer;
import dev.expanse.kernels.FrozenBlock;
import java.util.ArrayList;
import java.util.List;

/**
 * A trainable matrix that can grow in place, like an {@code ArrayList} in two directions.
 *
 * <p>The logical matrix is {@code [rows, cols]} (outputs x inputs), stored row-major with leading
 * dimension {@code ld >= cols} in a buffer of {@code capacityRows * ld} floats. Appending rows or
 * columns inside the capacity writes only the new cells; past it, every buffer of the parameter
 * (value, gradient and optimizer slots) is re-allocated with 1.5x geometric growth and the old
 * contents copied, so repeated growth costs O(log n) re-allocations. The Parameter object itself
 * is never replaced. Unused cells (padding and spare rows) stay zero.
 *
 * <p>A parameter holds one {@link FrozenBlock}, the top-left rectangle it freezes: optimizers never
 * write those cells, and ops skip computing their gradient where that is cheaper. The block goes
 * whole to every kernel that must respect it. Biases are parameters of one column, with a block
 * of their own.
 *
 * <p>"Old" is recorded once, here: {@link #markOld()} (called by {@code Sequential.grow} when an
 * expansion starts) notes the current rows and columns, and {@link #freezeOld()} freezes those
 * rows over all their columns, old and new, which is what frozen EXPANSE needs. A parameter that
 * has never been through an expansion has no old part.
 */
public final class Parameter implements AutoCloseable {
    /** The most floats one buffer may hold on any backend (the largest Java array; OpenCL keeps the same limit). */
    public static final long MAX_CELLS = Integer.MAX_VALUE - 8;

    private final String name;
    private final Backend backend;
    private int rows, cols, capRows, ld;
    private Buffer data, grad;
    private final List<Buffer> slots = new ArrayList<>();
    private FrozenBlock frozen = FrozenBlock.NONE;
    private int reallocations;
    private int oldRows, oldCols;

    /**
     * A zero-filled parameter with room for {@code capRows x capCols} before any re-allocation.
     *
     * @throws IllegalArgumentException naming the parameter if a size is negative or the
     *         capacity is smaller than the size
     */
    public Parameter(String name, Backend backend, int rows, int cols, int capRows, int capCols) {
        if (rows < 0 || cols < 0 || capRows < rows || capCols < cols) {
            throw new IllegalArgumentException("parameter '" + name + "': bad size " + rows + "x" + cols
                    + " with capacity " + capRows + "x" + capCols);
        }
        this.name = name;
        this.backend = backend;
        this.rows = rows;
        this.cols = cols;
        this.capRows = capRows;
        this.ld = Math.max(1, capCols);
        this.data = backend.allocate((long) capRows * ld);
        this.grad = backend.allocate((long) capRows * ld);
    }

    public Parameter(String name, Backend backend, int rows, int cols) {
        this(name, backend, rows, cols, rows, cols);
    }

    public String name() { return name; }

    public Backend backend() { return backend; }

    public int rows() { return rows; }

    public int cols() { return cols; }

    /** Leading dimension: the column capacity. */
    public int ld() { return ld; }

    public int capacityRows() { return capRows; }

    public int capacityCols() { return ld; }

    /** Logical element count, rows * cols. */
    public long size() { return (long) rows * cols; }

    /** The value buffer; its identity changes only on re-allocation. */
    public Buffer data() { return data; }

    /** The gradient buffer, same layout as {@link #data()}. */
    public Buffer grad() { return grad; }

    /** How many times growth had to re-allocate the buffers. */
    public int reallocations() { return reallocations; }

    // ---------------------------------------------------------------- old and new

    /** Rows that existed when the last expansion started ({@link #markOld()}); 0 before any. */
    public int oldRows() { return Math.min(oldRows, rows); }

    /** Columns that existed when the last expansion started; 0 before any. */
    public int oldCols() { return Math.min(oldCols, cols); }

    /** Cells that existed when the last expansion started: the "old" part. */
    public long oldCount() { return (long) oldRows() * oldCols(); }

    /** Records the current rows and columns as "old", as an expansion starts. */
    public void markOld() {
        markOld(rows, cols);
    }

    /** Records {@code rows x cols} as the old part (a checkpoint restores it so); clamped to the size. */
    public void markOld(int rows, int cols) {
        if (rows < 0 || cols < 0) throw new IllegalArgumentException("parameter '" + name + "': negative old size " + rows + "x" + cols);
        oldRows = Math.min(rows, this.rows);
        oldCols = Math.min(cols, this.cols);
    }

    // ---------------------------------------------------------------- freezing

    /** The frozen block (its columns may be {@link FrozenBlock#ALL}); {@link FrozenBlock#NONE} when nothing is frozen. */
    public FrozenBlock frozen() { return frozen; }

    /** Freezes exactly {@code block}, replacing any earlier block. */
    public void freeze(FrozenBlock block) {
        frozen = block;
    }

    /**
     * Freezes the old rows ({@link #oldRows()}) over all their columns, including columns that
     * growth adds later: with zero new-to-old weights this keeps the old outputs bit-identical
     * for any amount of training. A parameter that has not been through an expansion (no old
     * rows) keeps its block as it is.
     */
    public void freezeOld() {
        if (oldRows() > 0) freeze(FrozenBlock.rows(oldRows()));
    }

    /** Freezes every current row over all its columns, including columns added later; new rows stay trainable. */
    public void freezeAll() {
        freeze(FrozenBlock.rows(rows));
    }

    public void unfreeze() { frozen = FrozenBlock.NONE; }

    /** True when no cell is trainable. */
    public boolean fullyFrozen() {
        return frozen.coversAll(rows, cols);
    }

    /** Number of cells in the frozen block. */
    public long frozenCount() { return frozen.count(rows, cols); }

    // ---------------------------------------------------------------- optimizer slots

    /** Adds an optimizer state buffer (zero-filled, same layout, grows with the parameter); returns its index. */
    public int addSlot() {
        slots.add(backend.allocate((long) capRows * ld));
        return slots.size() - 1;
    }

    public Buffer slot(int i) { return slots.get(i); }

    /** Slot {@code i} on the host, row-major {@code [rows, cols]}. */
    public float[] slotToArray(int i) { return download(slots.get(i)); }

    /** Overwrites slot {@code i} from host values, row-major {@code [rows, cols]}. */
    public void setSlot(int i, float[] values) { upload(values, slots.get(i)); }

    public int slotCount() { return slots.size(); }

    // ---------------------------------------------------------------- growth

    /**
     * Appends {@code k} rows (new outputs), filled from {@code values} ({@code k x cols},
     * row-major). Writes only the new cells when the capacity allows.
     */
    public void growRows(int k, float[] values) {
        if (k < 0) throw new IllegalArgumentException("parameter '" + name + "': cannot grow by " + k + " rows");
        checkValues(values, (long) k * cols, "rows");
        checkGrowth(k, 0);
        ensureCapacity(rows + k, cols);
        if (cols == ld) {
            backend.upload(values, 0, data, (long) rows * ld, k * cols);
        } else {
            for (int r = 0; r < k; r++) backend.upload(values, r * cols, data, (long) (rows + r) * ld, cols);
        }
        rows += k;
    }

    /**
     * Appends {@code k} rows of zeros. Inside the capacity this writes nothing: spare cells are
     * zero already.
     */
    public void growRows(int k) {
        if (k < 0) throw new IllegalArgumentException("parameter '" + name + "': cannot grow by " + k + " rows");
        checkGrowth(k, 0);
        ensureCapacity(rows + k, cols);
        rows += k;
    }

    /**
     * Appends {@code k} rows drawn by {@code init} with the given fans, in row-major order; when
     * {@code init} is all zeros nothing is drawn and nothing written ({@link #growRows(int)}).
     */
    public void growRows(int k, Init init, Rng rng, int fanIn, int fanOut) {
        if (k < 0) throw new IllegalArgumentException("parameter '" + name + "': cannot grow by " + k + " rows");
        checkGrowth(k, 0);
        if (init.isZero()) {
            growRows(k);
        } else {
            growRows(k, init.fill(rng, k * cols, fanIn, fanOut));
        }
    }

    /** Appends {@code k} columns of zeros to every row; inside the capacity this writes nothing. */
    public void growCols(int k) {
        if (k < 0) throw new IllegalArgumentException("parameter '" + name + "': cannot grow by " + k + " columns");
        checkGrowth(0, k);
        ensureCapacity(rows, cols + k);
        cols += k;
    }

    /**
     * Appends {@code k} columns to every row, drawn by {@code init} with the given fans
     * ({@code rows x k}, row-major); when {@code init} is all zeros nothing is drawn and nothing
     * written ({@link #growCols(int)}).
     */
    public void growCols(int k, Init init, Rng rng, int fanIn, int fanOut) {
        if (k < 0) throw new IllegalArgumentException("parameter '" + name + "': cannot grow by " + k + " columns");
        checkGrowth(0, k);
        if (init.isZero()) {
            growCols(k);
        } else {
            growCols(k, init.fill(rng, rows * k, fanIn, fanOut));
        }
    }

    /**
     * Appends {@code k} columns (new inputs) to every existing row, filled from {@code values}
     * ({@code rows x k}, row-major). Writes only the new cells when the capacity allows.
     */
    public void growCols(int k, float[] values) {
        if (k < 0) throw new IllegalArgumentException("parameter '" + name + "': cannot grow by " + k + " columns");
        checkValues(values, (long) rows * k, "columns");
        checkGrowth(0, k);
        ensureCapacity(rows, cols + k);
        if (k > 0 && rows > 0) {
            // One upload into a scratch buffer and one rectangular copy, instead of `rows` uploads.
            try (Buffer scratch = backend.allocate((long) rows * k)) {
                backend.upload(values, 0, scratch, 0, rows * k);
                backend.copy2d(rows, k, scratch, 0, k, data, cols, ld);
            }
        }
        cols += k;
    }

    /** Makes room for at least {@code r x c} cells, re-allocating at most once. */
    public void reserve(int r, int c) {
        checkGrowth((long) r - rows, (long) c - cols);
        ensureCapacity(r, c);
    }

    /**
     * Checks, changing nothing, that {@code addRows} rows and {@code addCols} columns (each may
     * be 0; negative values ask for nothing) could be appended: the sizes fit an int and the
     * buffers after growth hold at most {@link #MAX_CELLS} floats.
     *
     * @throws IllegalArgumentException naming the parameter and the sizes otherwise
     */
    public void checkGrowth(long addRows, long addCols) {
        long r = rows + Math.max(0, addRows), c = cols + Math.max(0, addCols);
        if (r > Integer.MAX_VALUE || c > Integer.MAX_VALUE || r * c > MAX_CELLS) {
            throw new IllegalArgumentException("parameter '" + name + "': growing " + rows + "x" + cols + " to " + r + "x"
                    + c + " needs " + r * c + " cells, more than the " + MAX_CELLS + " one buffer can hold");
        }
    }

    /**
     * Makes room for {@code needRows x needCols} (sizes {@link #checkGrowth} allowed). The value,
     * gradient and slot buffers are replaced together or not at all: every new buffer is
     * allocated before any old one is freed, so a failed allocation leaves the parameter as it was.
     */
    private void ensureCapacity(int needRows, int needCols) {
        if (needRows <= capRows && needCols <= ld) return;
        int newCapRows = needRows <= capRows ? capRows : grown(capRows, needRows);
        int newLd = needCols <= ld ? ld : grown(ld, needCols);
        if ((long) newCapRows * newLd > MAX_CELLS) { // geometric growth overshoots the largest buffer: take what is needed
            newCapRows = Math.max(capRows, needRows);
            newLd = Math.max(ld, needCols);
        }
        List<Buffer> old = new ArrayList<>(), fresh = new ArrayList<>();
        old.add(data);
        old.add(grad);
        old.addAll(slots);
        try {
            for (int i = 0; i < old.size(); i++) fresh.add(backend.allocate((long) newCapRows * newLd));
        } catch (RuntimeException | Error e) { // e.g. OutOfMemoryError: keep the old buffers, free the new
            fresh.forEach(Buffer::close);
            throw e;
        }
        for (int i = 0; i < old.size(); i++) {
            backend.copy2d(rows, cols, old.get(i), 0, ld, fresh.get(i), 0, newLd);
            old.get(i).close();
        }
        data = fresh.get(0);
        grad = fresh.get(1);
        for (int i = 0; i < slots.size(); i++) slots.set(i, fresh.get(i + 2));
        capRows = newCapRows;
        ld = newLd;
        reallocations++;
    }

    /** 1.5x geometric growth, at least to {@code need}; computed in long so that it cannot wrap. */
    private static int grown(int cap, int need) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(need, cap + (cap >> 1) + 1L));
    }

    // ---------------------------------------------------------------- undoing a growth

    /** The logical size and the "old" marks, as {@link #extent()} recorded them. */
    public record Extent(int rows, int cols, int oldRows, int oldCols) {
    }

    /** The current size and old marks, for {@link #restore} if a growth fails part-way. */
    public Extent extent() {
        return new Extent(rows, cols, oldRows, oldCols);
    }

    /**
     * Undoes growth back to {@code e}: the size and old marks become {@code e}'s again and the
     * cells appended since are zeroed (unused cells stay zero). The capacity may stay larger,
     * which no result depends on. Allocates nothing, so it cannot run out of memory.
     *
     * @throws IllegalArgumentException if {@code e} is larger than the current size
     */
    public void restore(Extent e) {
        if (e.rows() > rows || e.cols() > cols) {
            throw new IllegalArgumentException("parameter '" + name + "': cannot restore " + e + " from " + rows + "x" + cols);
        }
        if (rows > e.rows()) backend.fill(data, (long) e.rows() * ld, (long) (rows - e.rows()) * ld, 0f);
        if (cols > e.cols()) {
            for (int r = 0; r < e.rows(); r++) backend.fill(data, (long) r * ld + e.cols(), cols - e.cols(), 0f);
        }
        rows = e.rows();
        cols = e.cols();
        oldRows = e.oldRows();
        oldCols = e.oldCols();
    }

    private void checkValues(float[] values, long need, String what) {
        if (values == null || values.length != need) {
            throw new IllegalArgumentException("parameter '" + name + "': new " + what + " need " + need
                    + " values, got " + (values == null ? "null" : values.length));
        }
    }

    // ---------------------------------------------------------------- host access

    /** The logical matrix on the host, row-major {@code [rows, cols]}. */
    public float[] toArray() { return download(data); }

    /** The gradient on the host, row-major {@code [rows, cols]}. */
    public float[] gradToArray() { return download(grad); }

    /** Overwrites the whole logical matrix from host values (frozen cells included). */
    public void set(float[] values) {
        upload(values, data);
    }

    private void upload(float[] values, Buffer b) {
        checkValues(values, size(), "values");
        for (int r = 0; r < rows; r++) backend.upload(values, r * cols, b, (long) r * ld, cols);
    }

    /** Sets the gradient to zero. */
    public void zeroGrad() {
        backend.fill(grad, 0, (long) rows * ld, 0f);
    }

    private float[] download(Buffer b) {
        float[] out = new float[(int) size()];
        if (cols == ld) {
            backend.download(b, 0, out, 0, out.length);
        } else {
            for (int r = 0; r < rows; r++) backend.download(b, (long) r * ld, out, r * cols, cols);
        }
        return out;
    }

    @Override
    public void close() {
        data.close();
        grad.close();
        slots.forEach(Buffer::close);
    }

    @Override
    public String toString() {
        return name + "[" + rows + "x" + cols + ", capacity " + capRows + "x" + ld
                + (frozenCount() > 0 ? ", frozen " + frozen : "") + "]";
    }
}
