package dev.expanse.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Row and column sums and the row-wise argmax; see {@link dev.expanse.kernels.Backend}.
 *
 * <p>Scalar twins: {@link #sumOverRows} over a range of columns, {@link #sumOverColumns},
 * {@link #argmaxRows}, and the running reductions {@link #accumulate} and {@link #max}, which take
 * the value to continue from so that a vector kernel finishes its lanes' result with them.
 *
 * <p>The vector column sums and argmax give bit-identical results to the scalar twins (each
 * column is still summed in row order); the vector row sums add lane-wise partial sums, so they
 * differ from the scalar ones by rounding only. Every output depends on one row or one column,
 * so the thread count never changes a result.
 */
final class CpuReduce {
    private CpuReduce() {
    }

    private static final int GRAIN = CpuElementwise.GRAIN;

    /**
     * Column sums of x [rows, cols] (leading dimension ldx) for the columns c in [lo, hi):
     * {@code out[c] = beta*out[c] + sum_r x[r][c]}, summed in row order. With beta == 0, out is not read.
     */
    static void sumOverRows(int lo, int hi, int rows, float[] x, int ldx, float beta, float[] out) {
        for (int c = lo; c < hi; c++) {
            float acc = 0f;
            for (int r = 0; r < rows; r++) {
                acc += x[r * ldx + c];
            }
            store(out, c, beta, acc);
        }
    }

    /**
     * Row sums of x [rows, cols] (leading dimension ldx): {@code out[r] = beta*out[r] + sum_c x[r][c]},
     * summed in column order. With beta == 0, out is not read.
     */
    static void sumOverColumns(int rows, int cols, float[] x, int ldx, float beta, float[] out) {
        for (int r = 0; r < rows; r++) {
            store(out, r, beta, accumulate(0f, x, r * ldx, r * ldx + cols));
        }
    }

    /** {@code out[i] = beta*out[i] + sum}; with beta == 0, out[i] is not read (NaN there does not propagate). */
    static void store(float[] out, int i, float beta, float sum) {
        out[i] = beta == 0f ? sum : beta * out[i] + sum;
    }

    /** {@code acc + x[lo] + ... + x[hi - 1]}, added left to right. */
    static float accumulate(float acc, float[] x, int lo, int hi) {
        for (int i = lo; i < hi; i++) {
            acc += x[i];
        }
        return acc;
    }

    /** {@code Math.max} of acc and x[lo .. hi), taken left to right (NaN wins, as in Math.max). */
    static float max(float acc, float[] x, int lo, int hi) {
        for (int i = lo; i < hi; i++) {
            acc = Math.max(acc, x[i]);
        }
        return acc;
    }

    /**
     * {@code out[r]} = index of the first largest element of row r of the dense x [rows, cols].
     * NaN never compares larger, so it is chosen only in column 0. With cols == 0, out is untouched.
     */
    static void argmaxRows(int rows, int cols, float[] x, float[] out) {
        if (cols == 0) {
            return;
        }
        for (int r = 0; r < rows; r++) {
            out[r] = argmax(x, r * cols, cols);
        }
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

    /** The first i in [lo, n) with {@code x[off + i] == value}, or n. */
    static int indexOf(float[] x, int off, int lo, int n, float value) {
        int i = lo;
        while (i < n && x[off + i] != value) {
            i++;
        }
        return i;
    }

    /** The Vector API twins. */
    static final class Vector {
        private Vector() {
        }

        private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

        static void sumOverRows(Parallel par, int rows, int cols, float[] x, int ldx, float beta, float[] out) {
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
                CpuReduce.sumOverRows(c, hi, rows, x, ldx, beta, out);
            });
        }

        private static void storeColumnSums(FloatVector sums, float beta, float[] out, int c) {
            if (beta == 0f) {
                sums.intoArray(out, c);
            } else {
                FloatVector.fromArray(S, out, c).mul(beta).add(sums).intoArray(out, c);
            }
        }

        static void sumOverColumns(Parallel par, int rows, int cols, float[] x, int ldx, float beta, float[] out) {
            par.forRange(rows, Math.max(1, GRAIN / Math.max(1, cols)), (lo, hi) -> {
                for (int r = lo; r < hi; r++) {
                    store(out, r, beta, sum(x, r * ldx, cols));
                }
            });
        }

        /** Sum of x[off .. off+n): lane-wise partial sums, then the lanes, then the tail (also used by the conv kernels). */
        static float sum(float[] x, int off, int n) {
            FloatVector acc = FloatVector.zero(S);
            int i = 0;
            for (int end = S.loopBound(n); i < end; i += S.length()) {
                acc = acc.add(FloatVector.fromArray(S, x, off + i));
            }
            return accumulate(sumLanes(acc), x, off + i, off + n);
        }

        /**
         * The lanes of v added in lane order. Not {@code reduceLanes(ADD)}: its order is unspecified,
         * and on JDK 25 the JIT-compiled one gives other bits than the interpreted one (586 of 1024
         * sums of random vectors), so a kernel's result would depend on when it was compiled.
         */
        static float sumLanes(FloatVector v) {
            float sum = v.lane(0);
            for (int l = 1; l < S.length(); l++) {
                sum += v.lane(l);
            }
            return sum;
        }

        /** {@code Math.max} over x[off .. off+n), n >= 1: lane-wise, then the lanes, then the tail. */
        static float max(float[] x, int off, int n) {
            int end = S.loopBound(n);
            if (end == 0) {
                return CpuReduce.max(x[off], x, off, off + n);
            }
            FloatVector m = FloatVector.fromArray(S, x, off);
            for (int i = S.length(); i < end; i += S.length()) {
                m = m.max(FloatVector.fromArray(S, x, off + i));
            }
            return CpuReduce.max(m.reduceLanes(VectorOperators.MAX), x, off + end, off + n);
        }

        static void argmaxRows(Parallel par, int rows, int cols, float[] x, float[] out) {
            if (cols == 0) {
                return;
            }
            par.forRange(rows, Math.max(1, GRAIN / cols), (lo, hi) -> {
                for (int r = lo; r < hi; r++) {
                    out[r] = argmax(x, r * cols, cols);
                }
            });
        }

        /**
         * The same index as the scalar {@link CpuReduce#argmax}: finds the largest value with vector
         * max, then the first element equal to it. Rows holding NaN (where max and {@code >}
         * disagree) go to the scalar loop.
         */
        private static int argmax(float[] x, int off, int n) {
            int lanes = S.length();
            if (n < lanes) {
                return CpuReduce.argmax(x, off, n);
            }
            float max = max(x, off, n);
            if (Float.isNaN(max)) {
                return CpuReduce.argmax(x, off, n);
            }
            int i = 0;
            for (int end = S.loopBound(n); i < end; i += lanes) {
                var hit = FloatVector.fromArray(S, x, off + i).compare(VectorOperators.EQ, max);
                if (hit.anyTrue()) {
                    return i + hit.firstTrue();
                }
            }
            return indexOf(x, off, i, n, max);
        }
    }
}
