package dev.expanse.engine;

import dev.expanse.kernels.Backend;
import dev.expanse.kernels.Buffer;
import java.util.Arrays;

/**
 * A float32 tensor on one backend: a shape, a buffer, and (for autograd) a gradient buffer of the
 * same layout, made on first use.
 *
 * <p>Every tensor is also a 2-D matrix {@code [rows, cols]} where {@code rows = shape[0]} and
 * {@code cols} is the product of the other dimensions, stored row-major with a row stride
 * {@code ld >= cols}; the tensors the ops make are dense ({@code ld == cols}). Tensors are made
 * by a {@link Tape}, which frees them when it closes; weights are {@link Parameter}s, which ops
 * read in place with their own leading dimension.
 */
public final class Tensor {
    private final Backend backend;
    private final int[] shape;
    private final int ld;
    private final Buffer data;
    private final boolean requiresGrad;
    private final Tensor base;        // non-null for a reshaped view: the grad lives there
    private Buffer grad;              // lazily allocated, zero-filled

    Tensor(Backend backend, int[] shape, int ld, Buffer data, boolean requiresGrad, Tensor base) {
        this.backend = backend;
        this.shape = shape.clone();
        this.ld = ld;
        this.data = data;
        this.requiresGrad = requiresGrad;
        this.base = base;
        if (ld < cols()) {
            throw new IllegalArgumentException("row stride " + ld + " < columns " + cols() + " for shape "
                    + Arrays.toString(shape));
        }
    }

    public Backend backend() { return backend; }

    /** A copy of the shape. */
    public int[] shape() { return shape.clone(); }

    public int dim(int i) { return shape[i]; }

    public int rank() { return shape.length; }

    /** {@code shape[0]}. */
    public int rows() { return shape.length == 0 ? 1 : shape[0]; }

    /** Product of every dimension but the first. */
    public int cols() {
        int c = 1;
        for (int i = 1; i < shape.length; i++) c *= shape[i];
        return c;
    }

    /** Row stride (leading dimension) in elements. */
    public int ld() { return ld; }

    /** Number of logical elements, rows * cols. */
    public int size() { return rows() * cols(); }

    public Buffer data() { return data; }

    public boolean requiresGrad() { return requiresGrad; }

    /** The gradient buffer (same layout as the data), allocated zero-filled on first call. */
    public Buffer grad() {
        if (base != null) {
            return base.grad();
        }
        if (grad == null) {
            grad = backend.allocate(data.size());
        }
        return grad;
    }

    /**
     * The gradient buffer for a caller about to write every logical element rather than add onto
     * them (the first backward step to reach a tensor that has no gradient yet): as
     * {@link #grad()}, but a buffer allocated here is not zero-filled first when those elements are
     * all of it (no row padding, no spare capacity, not a view).
     */
    public Buffer gradToOverwrite() {
        if (base == null && grad == null && ld == cols() && data.size() == size()) {
            grad = backend.allocateUninitialized(data.size());
        }
        return grad();
    }

    /** True once some op has written a gradient into this tensor. */
    public boolean hasGrad() {
        return base != null ? base.hasGrad() : grad != null;
    }

    /** Copies the logical elements to the host, row by row (dropping any row padding). */
    public float[] toArray() {
        float[] out = new float[size()];
        if (ld == cols()) {
            backend.download(data, 0, out, 0, out.length);
        } else {
            for (int r = 0; r < rows(); r++) backend.download(data, (long) r * ld, out, r * cols(), cols());
        }
        return out;
    }

    /** The gradient's logical elements on the host (zeros if no gradient was written). */
    public float[] gradToArray() {
        float[] out = new float[size()];
        if (!hasGrad()) return out;
        Buffer g = grad();
        for (int r = 0; r < rows(); r++) backend.download(g, (long) r * ld, out, r * cols(), cols());
        return out;
    }

    /** A view with another shape of the same dense data and gradient; same element count. */
    Tensor reshape(int... newShape) {
        int n = 1;
        for (int d : newShape) n *= d;
        if (n != size() || ld != cols()) {
            throw new IllegalArgumentException("cannot view " + Arrays.toString(shape) + " as "
                    + Arrays.toString(newShape));
        }
        int newCols = newShape.length <= 1 ? 1 : n / newShape[0];
        Tensor root = base != null ? base : this;
        return new Tensor(backend, newShape, newCols, data, requiresGrad, root);
    }

    /** Frees the data and gradient buffers (a view frees nothing: they belong to its base). */
    void release() {
        if (base != null) return;
        data.close();
        if (grad != null) grad.close();
    }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape) + (ld != cols() ? " ld=" + ld : "") + " on " + backend.name();
    }
}
