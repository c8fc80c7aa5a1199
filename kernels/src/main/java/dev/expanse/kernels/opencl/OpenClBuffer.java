package dev.expanse.kernels.opencl;

import dev.expanse.kernels.Backend;
import dev.expanse.kernels.Buffer;
import java.lang.ref.Cleaner;
import java.util.Set;
import org.jocl.CL;
import org.jocl.cl_mem;

/**
 * A buffer in device memory (a {@code cl_mem}). {@link #close()} releases it at once; a buffer
 * that becomes unreachable without being closed is released by a cleaner, and the rest are
 * released when the backend closes.
 */
public final class OpenClBuffer implements Buffer {
    private static final Cleaner CLEANER = Cleaner.create();

    private final OpenClBackend owner;
    private final long size;
    private final Memory memory;
    private final Cleaner.Cleanable cleanable;

    OpenClBuffer(OpenClBackend owner, cl_mem mem, long size, Set<Memory> live) {
        this.owner = owner;
        this.size = size;
        this.memory = new Memory(mem, live);
        live.add(memory);
        this.cleanable = CLEANER.register(this, memory);
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public Backend backend() {
        return owner;
    }

    /** The device memory; throws if the buffer was closed. */
    cl_mem mem() {
        cl_mem m = memory.mem;
        if (m == null) {
            throw new IllegalStateException("OpenCL buffer used after close()");
        }
        return m;
    }

    @Override
    public void close() {
        cleanable.clean();
    }

    /**
     * The releasable part of a buffer, kept apart so that the cleaner does not hold the buffer
     * itself. Releasing is idempotent and safe from any thread (clReleaseMemObject is thread-safe,
     * and OpenCL defers the free until queued commands using the memory have finished).
     */
    static final class Memory implements Runnable {
        private volatile cl_mem mem;
        private final Set<Memory> live;

        Memory(cl_mem mem, Set<Memory> live) {
            this.mem = mem;
            this.live = live;
        }

        @Override
        public void run() {
            cl_mem m;
            synchronized (this) {
                m = mem;
                mem = null;
            }
            if (m != null) {
                live.remove(this);
                Cl.check(CL.clReleaseMemObject(m), "clReleaseMemObject");
            }
        }
    }
}
