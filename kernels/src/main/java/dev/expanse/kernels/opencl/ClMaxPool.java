package dev.expanse.kernels.opencl;

import dev.expanse.kernels.PoolShape;
import org.jocl.cl_mem;

/** Host side of max_pool.cl: max-pool forward and backward, one row of a plane per work-group. */
final class ClMaxPool {
    private static final String FILE = "max_pool.cl";
    private final ClRuntime rt;

    ClMaxPool(ClRuntime rt) {
        this.rt = rt;
    }

    void forward(PoolShape s, cl_mem x, cl_mem y) {
        rt.kernel(FILE, "", "max_pool_forward").launch(
                ClRuntime.rowGlobal(s.ow(), s.oh(), s.n() * s.c()), ClRuntime.rowLocal(s.ow()), s.h(), s.w(), s.k(), s.stride(), s.oh(), s.ow(), x, y);
    }

    void backward(PoolShape s, cl_mem x, cl_mem dy, cl_mem dx) {
        rt.kernel(FILE, "", "max_pool_backward").launch(
                ClRuntime.rowGlobal(s.w(), s.h(), s.n() * s.c()), ClRuntime.rowLocal(s.w()), s.h(), s.w(), s.k(), s.stride(), s.oh(), s.ow(), x, dy, dx);
    }
}
