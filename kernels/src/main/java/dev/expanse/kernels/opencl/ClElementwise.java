package dev.expanse.kernels.opencl;

import org.jocl.cl_mem;

/** Host side of elementwise.cl: vector arithmetic and bias add. */
final class ClElementwise {
    private static final String FILE = "elementwise.cl";
    private final ClRuntime rt;

    ClElementwise(ClRuntime rt) {
        this.rt = rt;
    }

    void axpy(int n, float alpha, cl_mem x, cl_mem y) {
        launch("axpy", n, n, alpha, x, y);
    }

    void scale(int n, float alpha, cl_mem x) {
        launch("scale", n, n, alpha, x);
    }

    void add(int n, cl_mem x, cl_mem y, cl_mem z) {
        launch("add", n, n, x, y, z);
    }

    void mul(int n, cl_mem x, cl_mem y, cl_mem z) {
        launch("mul", n, n, x, y, z);
    }

    void addRowVector(int rows, int cols, cl_mem y, int ldy, cl_mem v) {
        rt.kernel(FILE, "", "add_row_vector").launch(rt.global2d(cols, rows), rt.local2d(), rows, cols, y, ldy, v);
    }

    private void launch(String kernel, int n, Object... args) {
        rt.kernel(FILE, "", kernel).launch1d(n, rt.local1d(), args);
    }
}
