package dev.expanse.kernels.opencl;

import org.jocl.cl_mem;

/** Host side of softmax_cross_entropy.cl: fused softmax and cross-entropy, forward and backward. */
final class ClSoftmaxCrossEntropy {
    private static final String FILE = "softmax_cross_entropy.cl";
    private final ClRuntime rt;

    ClSoftmaxCrossEntropy(ClRuntime rt) {
        this.rt = rt;
    }

    void forward(int rows, int cols, cl_mem logits, cl_mem labels, cl_mem probs, cl_mem losses) {
        if (cols <= 0) {
            return;
        }
        rt.kernel(FILE, "", "softmax_cross_entropy_forward").launch1d(rows, rt.local1d(),
                rows, cols, logits, labels, probs, losses);
    }

    void backward(int rows, int cols, cl_mem probs, cl_mem labels, float scale, cl_mem dlogits) {
        rt.kernel(FILE, "", "softmax_cross_entropy_backward").launch(rt.global2d(cols, rows), rt.local2d(),
                rows, cols, probs, labels, scale, dlogits);
    }
}
