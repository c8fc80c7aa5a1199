package dev.expanse.kernels.opencl;

import dev.expanse.kernels.PoolShape;
import org.jocl.cl_mem;

/** Host side of pool.cl: max-pool forward and backward. */
final class ClPool {
    private static final String FILE = "pool.cl";
    private final ClRuntime rt;

    ClPool(ClRuntime rt) {
        this.rt = rt;
    }

    void forward(PoolShape s, cl_mem x, cl_mem y) {
        int planes = s.n() * s.c();
        rt.kernel(FILE, "", "max_pool_forward").launch1d((long) planes * s.oh() * s.ow(), rt.local1d(),
                planes, s.h(), s.w(), s.k(), s.stride(), s.oh(), s.ow(), x, y);
    }

    void backward(PoolShape s, cl_mem x, cl_mem dy, cl_mem dx) {
        int planes = s.n() * s.c();
        rt.kernel(FILE, "", "max_pool_backward").launch1d((long) planes * s.h() * s.w(), rt.local1d(),
                planes, s.h(), s.w(), s.k(), s.stride(), s.oh(), s.ow(), x, dy, dx);
    }
}
