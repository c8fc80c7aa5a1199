package dev.expanse.kernels.opencl;

import dev.expanse.kernels.FrozenBlock;
import org.jocl.cl_mem;

/**
 * Host side of optimizers.cl: masked SGD with momentum and masked Adam over a [rows, cols] matrix
 * with leading dimension ld. The frozen block arrives whole and is clamped to the matrix here
 * (its columns may be {@link FrozenBlock#ALL}), so the kernels get plain sizes.
 */
final class ClOptimizers {
    private static final String FILE = "optimizers.cl";
    private final ClRuntime rt;

    ClOptimizers(ClRuntime rt) {
        this.rt = rt;
    }

    /** See {@link dev.expanse.kernels.Backend#sgdStep}. */
    void sgd(int rows, int cols, int ld, FrozenBlock frozen, cl_mem w, cl_mem g, cl_mem v,
             float lr, float momentum, float weightDecay) {
        if (frozen.coversAll(rows, cols)) {
            return;
        }
        FrozenBlock b = frozen.clampTo(rows, cols);
        rt.kernel(FILE, "", "sgd_step").launch(rt.global2d(cols, rows), rt.local2d(),
                rows, cols, ld, b.rows(), b.cols(), w, g, v, lr, momentum, weightDecay);
    }

    /** See {@link dev.expanse.kernels.Backend#adamStep}. */
    void adam(int rows, int cols, int ld, FrozenBlock frozen, cl_mem w, cl_mem g, cl_mem m, cl_mem v,
              float lr, float beta1, float beta2, float eps, int t) {
        if (frozen.coversAll(rows, cols)) {
            return;
        }
        FrozenBlock b = frozen.clampTo(rows, cols);
        // The bias corrections are the same for every cell: computed once, in double, then rounded.
        float bc1 = (float) (1.0 - Math.pow(beta1, t));
        float bc2 = (float) (1.0 - Math.pow(beta2, t));
        rt.kernel(FILE, "", "adam_step").launch(rt.global2d(cols, rows), rt.local2d(),
                rows, cols, ld, b.rows(), b.cols(), w, g, m, v, lr, beta1, beta2, eps, bc1, bc2);
    }
}
