package dev.expanse.kernels.opencl;

import org.jocl.cl_mem;

/** Host side of softmax_xent.cl: fused softmax and cross-entropy, forward and backward. */
final class ClSoftmaxXent {
    private static final String FILE = "softmax_xent.cl";
    private final ClRuntime rt;

    ClSoftmaxXent(ClRuntime rt) {
        this.rt = rt;
    }

    void forward(int rows, int cols, cl_mem logits, cl_mem labels, cl_mem probs, cl_mem losses) {
        if (cols <= 0) {
            return;
        }
        rt.kernel(FILE, "", "softmax_xent_forward").launch1d(rows, rt.local1d(),
                rows, cols, logits, labels, probs, losses);
    }

    void backward(int rows, int cols, cl_mem probs, cl_mem labels, float scale, cl_mem dlogits) {
        rt.kernel(FILE, "", "softmax_xent_backward").launch(rt.global2d(cols, rows), rt.local2d(),
                rows, cols, probs, labels, scale, dlogits);
    }
}
