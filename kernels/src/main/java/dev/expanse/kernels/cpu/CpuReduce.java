package dev.expanse.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Row and column sums and the row-wise argmax; see {@link dev.expanse.kernels.Backend}.
 *
 * <p>The vector column sums and argmax give bit-identical results to the scalar twins (each
 * column is still summed in row order); the vector row sums add lane-wise partial sums, so they
 * differ from the scalar ones by rounding only. Every output depends on one row or one column,
 * so the thread count never changes a result.
 */
final class CpuReduce {
    private CpuReduce() {
    }

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int GRAIN = CpuElementwise.GRAIN;

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
        int lanes = S.length();
        par.forRange(cols, Math.max(lanes, GRAIN / Math.max(1, rows)), (lo, hi) -> {
            int c = lo;
            // four column vectors at a time, so each row is read in 4-vector runs
            for (; c + 4 * lanes <= hi; c += 4 * lanes) {
                FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
                for (int r = 0; r < rows; r++) {
                    int i = r * ldx + c;
                    a0 = a0.add(FloatVector.fromArray(S, x, i));
                    a1 = a1.add(FloatVector.fromArray(S, x, i + lanes));
                    a2 = a2.add(FloatVector.fromArray(S, x, i + 2 * lanes));
                    a3 = a3.add(FloatVector.fromArray(S, x, i + 3 * lanes));
                }
                storeColumnSums(a0, beta, out, c);
                storeColumnSums(a1, beta, out, c + lanes);
                storeColumnSums(a2, beta, out, c + 2 * lanes);
                storeColumnSums(a3, beta, out, c + 3 * lanes);
            }
            for (; c + lanes <= hi; c += lanes) {
                FloatVector a = FloatVector.zero(S);
                for (int r = 0; r < rows; r++) {
                    a = a.add(FloatVector.fromArray(S, x, r * ldx + c));
                }
                storeColumnSums(a, beta, out, c);
            }
            for (; c < hi; c++) {
                float acc = 0f;
                for (int r = 0; r < rows; r++) {
                    acc += x[r * ldx + c];
                }
                out[c] = beta == 0f ? acc : beta * out[c] + acc;
            }
        });
    }

    private static void storeColumnSums(FloatVector sums, float beta, float[] out, int c) {
        if (beta == 0f) {
            sums.intoArray(out, c);
        } else {
            FloatVector.fromArray(S, out, c).mul(beta).add(sums).intoArray(out, c);
        }
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
        par.forRange(rows, Math.max(1, GRAIN / Math.max(1, cols)), (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                float acc = sum(x, r * ldx, cols);
                out[r] = beta == 0f ? acc : beta * out[r] + acc;
            }
        });
    }

    /** Sum of x[off .. off+n): lane-wise partial sums, then the lanes, then the tail. */
    static float sum(float[] x, int off, int n) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += S.length()) {
            acc = acc.add(FloatVector.fromArray(S, x, off + i));
        }
        float sum = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            sum += x[off + i];
        }
        return sum;
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
        if (cols == 0) {
            return;
        }
        par.forRange(rows, Math.max(1, GRAIN / cols), (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                out[r] = argmaxVector(x, r * cols, cols);
            }
        });
    }

    /**
     * The same index as {@link #argmax}: finds the largest value with vector max, then the first
     * element equal to it. Rows holding NaN (where max and {@code >} disagree) go to the scalar loop.
     */
    private static int argmaxVector(float[] x, int off, int n) {
        int lanes = S.length();
        if (n < lanes) {
            return argmax(x, off, n);
        }
        FloatVector maxv = FloatVector.fromArray(S, x, off);
        int i = lanes;
        for (int end = S.loopBound(n); i < end; i += lanes) {
            maxv = maxv.max(FloatVector.fromArray(S, x, off + i));
        }
        float max = maxv.reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) {
            max = Math.max(max, x[off + i]);
        }
        if (Float.isNaN(max)) {
            return argmax(x, off, n);
        }
        i = 0;
        for (int end = S.loopBound(n); i < end; i += lanes) {
            var hit = FloatVector.fromArray(S, x, off + i).compare(VectorOperators.EQ, max);
            if (hit.anyTrue()) {
                return i + hit.firstTrue();
            }
        }
        for (; i < n; i++) {
            if (x[off + i] == max) {
                break;
            }
        }
        return i;
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
