package dev.expanse.kernels.opencl;

import org.jocl.cl_mem;

/** Host side of reduce.cl: column sums, row sums and row-wise argmax. */
final class ClReduce {
    private static final String FILE = "reduce.cl";
    private final ClRuntime rt;

    ClReduce(ClRuntime rt) {
        this.rt = rt;
    }

    /** out[outOff + c] = beta*out[..] + sum_r x[xOff + r*ld + c]. */
    void sumOverRows(int rows, int cols, cl_mem x, int xOff, int ld, float beta, cl_mem out, int outOff) {
        rt.kernel(FILE, "", "sum_over_rows").launch1d(cols, rt.local1d(), rows, cols, x, xOff, ld, beta, out, outOff);
    }

    /** out[outOff + r] = beta*out[..] + sum_c x[xOff + r*ld + c]. */
    void sumOverColumns(int rows, int cols, cl_mem x, int xOff, int ld, float beta, cl_mem out, int outOff) {
        rt.kernel(FILE, "", "sum_over_columns").launch1d(rows, rt.local1d(), rows, cols, x, xOff, ld, beta, out, outOff);
    }

    void argmaxRows(int rows, int cols, cl_mem x, cl_mem out) {
        if (cols <= 0) {
            return;
        }
        rt.kernel(FILE, "", "argmax_rows").launch1d(rows, rt.local1d(), rows, cols, x, out);
    }
}
