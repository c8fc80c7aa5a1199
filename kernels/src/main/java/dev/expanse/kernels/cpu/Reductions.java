package dev.expanse.kernels.cpu;

/** Row and column sums and the row-wise argmax; see {@link dev.expanse.kernels.Backend}. */
final class Reductions {
    private Reductions() {
    }

    /**
     * Column sums of x [rows, cols] (leading dimension ldx): {@code out[c] = beta*out[c] + sum_r x[r][c]},
     * summed in row order. With beta == 0, out is not read.
     */
    static void sumOverRowsScalar(int rows, int cols, float[] x, int ldx, float beta, float[] out) {
        for (int c = 0; c < cols; c++) {
            float acc = 0f;
            for (int r = 0; r < rows; r++) {
                acc += x[r * ldx + c];
            }
            out[c] = beta == 0f ? acc : beta * out[c] + acc;
        }
    }

    static void sumOverRowsVector(Parallel par, int rows, int cols, float[] x, int ldx, float beta, float[] out) {
        sumOverRowsScalar(rows, cols, x, ldx, beta, out);
    }

    /**
     * Row sums of x [rows, cols] (leading dimension ldx): {@code out[r] = beta*out[r] + sum_c x[r][c]},
     * summed in column order. With beta == 0, out is not read.
     */
    static void sumOverColumnsScalar(int rows, int cols, float[] x, int ldx, float beta, float[] out) {
        for (int r = 0; r < rows; r++) {
            float acc = 0f;
            int row = r * ldx;
            for (int c = 0; c < cols; c++) {
                acc += x[row + c];
            }
            out[r] = beta == 0f ? acc : beta * out[r] + acc;
        }
    }

    static void sumOverColumnsVector(Parallel par, int rows, int cols, float[] x, int ldx, float beta, float[] out) {
        sumOverColumnsScalar(rows, cols, x, ldx, beta, out);
    }

    /**
     * {@code out[r]} = index of the first largest element of row r of the dense x [rows, cols].
     * NaN never compares larger, so it is chosen only in column 0. With cols == 0, out is untouched.
     */
    static void argmaxRowsScalar(int rows, int cols, float[] x, float[] out) {
        if (cols == 0) {
            return;
        }
        for (int r = 0; r < rows; r++) {
            out[r] = argmax(x, r * cols, cols);
        }
    }

    static void argmaxRowsVector(Parallel par, int rows, int cols, float[] x, float[] out) {
        argmaxRowsScalar(rows, cols, x, out);
    }

    /** Index (relative to off) of the first largest of x[off .. off+n), n >= 1. */
    static int argmax(float[] x, int off, int n) {
        int best = 0;
        float bestValue = x[off];
        for (int c = 1; c < n; c++) {
            if (x[off + c] > bestValue) {
                bestValue = x[off + c];
                best = c;
            }
        }
        return best;
    }
}
