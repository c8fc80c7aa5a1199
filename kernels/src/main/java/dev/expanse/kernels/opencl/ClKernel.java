package dev.expanse.kernels.opencl;

import static dev.expanse.kernels.opencl.Cl.check;

import java.lang.ref.Reference;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;

/**
 * One built kernel plus the queue it runs on. {@link #launch} sets every argument and enqueues
 * the kernel in one call; arguments are Integer (cl_int), Float (cl_float), {@link cl_mem},
 * {@link OpenClBuffer} or {@link Local} (local memory of a given size).
 */
final class ClKernel {
    /** A {@code __local} argument of {@code bytes} bytes. */
    record Local(long bytes) {
    }

    private final cl_kernel kernel;
    private final cl_command_queue queue;
    private final String name;

    ClKernel(cl_kernel kernel, cl_command_queue queue, String name) {
        this.kernel = kernel;
        this.queue = queue;
        this.name = name;
    }

    String name() {
        return name;
    }

    /** 1-D launch over {@code n} work-items rounded up to a multiple of {@code local}; kernels guard the tail. */
    void launch1d(long n, int local, Object... args) {
        launch(new long[] {roundUp(n, local)}, new long[] {local}, args);
    }

    /**
     * Enqueues the kernel over {@code global} (each a multiple of {@code local}; local may be null
     * to let the implementation choose). Does nothing when any global size is 0.
     */
    synchronized void launch(long[] global, long[] local, Object... args) {
        for (long g : global) {
            if (g <= 0) {
                return;
            }
        }
        for (int i = 0; i < args.length; i++) {
            setArg(i, args[i]);
        }
        check(CL.clEnqueueNDRangeKernel(queue, kernel, global.length, null, global, local, 0, null, null),
                "clEnqueueNDRangeKernel(" + name + ")");
        // A buffer passed only through args must not be released by its cleaner before the enqueue.
        Reference.reachabilityFence(args);
    }

    private void setArg(int i, Object arg) {
        int err;
        if (arg instanceof Integer v) {
            err = CL.clSetKernelArg(kernel, i, Sizeof.cl_int, Pointer.to(new int[] {v}));
        } else if (arg instanceof Float v) {
            err = CL.clSetKernelArg(kernel, i, Sizeof.cl_float, Pointer.to(new float[] {v}));
        } else if (arg instanceof OpenClBuffer b) {
            err = CL.clSetKernelArg(kernel, i, Sizeof.cl_mem, Pointer.to(b.mem()));
        } else if (arg instanceof cl_mem m) {
            err = CL.clSetKernelArg(kernel, i, Sizeof.cl_mem, Pointer.to(m));
        } else if (arg instanceof Local l) {
            err = CL.clSetKernelArg(kernel, i, l.bytes(), null);
        } else {
            throw new IllegalArgumentException("kernel " + name + ": unsupported argument " + i + ": " + arg);
        }
        check(err, "clSetKernelArg(" + name + ", " + i + ")");
    }

    void release() {
        check(CL.clReleaseKernel(kernel), "clReleaseKernel(" + name + ")");
    }

    static long roundUp(long n, long multiple) {
        return (n + multiple - 1) / multiple * multiple;
    }
}
