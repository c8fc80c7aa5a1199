package dev.expanse.kernels.opencl;

import org.jocl.cl_mem;

/** Host side of optimizers.cl: masked SGD with momentum and masked Adam. */
final class ClOptimizers {
    private static final String FILE = "optimizers.cl";
    private final ClRuntime rt;

    ClOptimizers(ClRuntime rt) {
        this.rt = rt;
    }

    void sgd(int rows, int cols, int ld, int frozenRows, int frozenCols, cl_mem w, cl_mem g, cl_mem v,
             float lr, float momentum, float weightDecay) {
        rt.kernel(FILE, "", "sgd_step").launch(rt.global2d(cols, rows), rt.local2d(),
                rows, cols, ld, frozenRows, frozenCols, w, g, v, lr, momentum, weightDecay);
    }

    void adam(int rows, int cols, int ld, int frozenRows, int frozenCols, cl_mem w, cl_mem g, cl_mem m, cl_mem v,
              float lr, float beta1, float beta2, float eps, int t) {
        // The bias corrections are the same for every cell: computed once, in double, then rounded.
        float bc1 = (float) (1.0 - Math.pow(beta1, t));
        float bc2 = (float) (1.0 - Math.pow(beta2, t));
        rt.kernel(FILE, "", "adam_step").launch(rt.global2d(cols, rows), rt.local2d(),
                rows, cols, ld, frozenRows, frozenCols, w, g, m, v, lr, beta1, beta2, eps, bc1, bc2);
    }
}
