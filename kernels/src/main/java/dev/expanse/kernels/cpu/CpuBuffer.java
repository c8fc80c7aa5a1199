package dev.expanse.kernels.cpu;

import dev.expanse.kernels.Backend;
import dev.expanse.kernels.Buffer;

/** A buffer on the CPU backend: a plain Java array. */
public final class CpuBuffer implements Buffer {
    private final CpuBackend owner;
    private float[] data;

    CpuBuffer(CpuBackend owner, float[] data) {
        this.owner = owner;
        this.data = data;
    }

    /** The backing array. Package code and tests only; throws if the buffer was closed. */
    public float[] array() {
        if (data == null) {
            throw new IllegalStateException("buffer used after close()");
        }
        return data;
    }

    @Override
    public long size() {
        return array().length;
    }

    @Override
    public Backend backend() {
        return owner;
    }

    /** Hands the array back to the backend's pool; using the buffer afterwards throws. Closing twice does nothing. */
    @Override
    public void close() {
        if (data != null) {
            owner.release(data);
            data = null;
        }
    }

    /** The array behind {@code b}, which must be a live buffer of a CPU backend. */
    static float[] of(Buffer b) {
        if (b == null) {
            return null;
        }
        if (!(b instanceof CpuBuffer cb)) {
            throw new IllegalArgumentException("buffer of backend '" + b.backend().name()
                    + "' passed to the CPU backend; move tensors between backends explicitly");
        }
        return cb.array();
    }
}
