package dev.expanse.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Elementwise kernels: axpy, scale, add, mul and the bias add; see {@link dev.expanse.kernels.Backend}.
 *
 * <p>The scalar twins work on an index range {@code [lo, hi)}: the scalar backend calls them over
 * the whole extent, and the vector kernels of {@link Vector} call them for the tail that does not
 * fill a vector. Both do the same float operations in the same order (no fused multiply-add), so
 * they give bit-identical results.
 */
final class CpuElementwise {
    private CpuElementwise() {
    }

    /** Elements per parallel chunk at least: below this a second thread costs more than it saves. */
    static final int GRAIN = 1 << 15;

    /** {@code y[i] += alpha * x[i]} for i in [lo, hi). */
    static void axpy(int lo, int hi, float alpha, float[] x, float[] y) {
        for (int i = lo; i < hi; i++) {
            y[i] += alpha * x[i];
        }
    }

    /** {@code x[i] *= alpha} for i in [lo, hi). */
    static void scale(int lo, int hi, float alpha, float[] x) {
        for (int i = lo; i < hi; i++) {
            x[i] *= alpha;
        }
    }

    /** {@code z[i] = x[i] + y[i]} for i in [lo, hi); z may alias x or y. */
    static void add(int lo, int hi, float[] x, float[] y, float[] z) {
        for (int i = lo; i < hi; i++) {
            z[i] = x[i] + y[i];
        }
    }

    /** {@code z[i] = x[i] * y[i]} for i in [lo, hi); z may alias x or y. */
    static void mul(int lo, int hi, float[] x, float[] y, float[] z) {
        for (int i = lo; i < hi; i++) {
            z[i] = x[i] * y[i];
        }
    }

    /** {@code y[r*ldy + c] += v[c]}: y is [rows, cols] with leading dimension ldy, v is [cols]. */
    static void addRowVector(int rows, int cols, float[] y, int ldy, float[] v) {
        for (int r = 0; r < rows; r++) {
            addInto(0, cols, v, 0, y, r * ldy);
        }
    }

    /** {@code y[yOff + i] += v[vOff + i]} for i in [lo, hi). */
    static void addInto(int lo, int hi, float[] v, int vOff, float[] y, int yOff) {
        for (int i = lo; i < hi; i++) {
            y[yOff + i] += v[vOff + i];
        }
    }

    /** {@code y[i] += value} for i in [lo, hi) (the conv bias). */
    static void addConstant(int lo, int hi, float value, float[] y) {
        for (int i = lo; i < hi; i++) {
            y[i] += value;
        }
    }

    /** The Vector API twins, split over the pool's threads in chunks of at least {@link #GRAIN}. */
    static final class Vector {
        private Vector() {
        }

        private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

        /** Lanes of the preferred float species (16 with AVX-512). */
        static int lanes() {
            return S.length();
        }

        static void axpy(Parallel par, int n, float alpha, float[] x, float[] y) {
            par.forRange(n, GRAIN, (lo, hi) -> {
                int i = lo;
                for (int end = lo + S.loopBound(hi - lo); i < end; i += S.length()) {
                    FloatVector xv = FloatVector.fromArray(S, x, i);
                    FloatVector.fromArray(S, y, i).add(xv.mul(alpha)).intoArray(y, i);
                }
                CpuElementwise.axpy(i, hi, alpha, x, y);
            });
        }

        static void scale(Parallel par, int n, float alpha, float[] x) {
            par.forRange(n, GRAIN, (lo, hi) -> {
                int i = lo;
                for (int end = lo + S.loopBound(hi - lo); i < end; i += S.length()) {
                    FloatVector.fromArray(S, x, i).mul(alpha).intoArray(x, i);
                }
                CpuElementwise.scale(i, hi, alpha, x);
            });
        }

        static void add(Parallel par, int n, float[] x, float[] y, float[] z) {
            par.forRange(n, GRAIN, (lo, hi) -> {
                int i = lo;
                for (int end = lo + S.loopBound(hi - lo); i < end; i += S.length()) {
                    FloatVector.fromArray(S, x, i).add(FloatVector.fromArray(S, y, i)).intoArray(z, i);
                }
                CpuElementwise.add(i, hi, x, y, z);
            });
        }

        static void mul(Parallel par, int n, float[] x, float[] y, float[] z) {
            par.forRange(n, GRAIN, (lo, hi) -> {
                int i = lo;
                for (int end = lo + S.loopBound(hi - lo); i < end; i += S.length()) {
                    FloatVector.fromArray(S, x, i).mul(FloatVector.fromArray(S, y, i)).intoArray(z, i);
                }
                CpuElementwise.mul(i, hi, x, y, z);
            });
        }

        static void addRowVector(Parallel par, int rows, int cols, float[] y, int ldy, float[] v) {
            if (cols == 0) {
                return;
            }
            par.forRange(rows, Math.max(1, GRAIN / cols), (lo, hi) -> {
                for (int r = lo; r < hi; r++) {
                    addInto(cols, v, 0, y, r * ldy);
                }
            });
        }

        /** {@code y[yOff + i] += v[vOff + i]} for i < n, on the calling thread (also used by the conv kernels). */
        static void addInto(int n, float[] v, int vOff, float[] y, int yOff) {
            int i = 0;
            for (int end = S.loopBound(n); i < end; i += S.length()) {
                FloatVector.fromArray(S, y, yOff + i).add(FloatVector.fromArray(S, v, vOff + i)).intoArray(y, yOff + i);
            }
            CpuElementwise.addInto(i, n, v, vOff, y, yOff);
        }

        /** {@code dst[to .. to + n) = src[from .. from + n)}: whole vectors, then the tail (short runs, as in im2col). */
        static void copyRun(float[] src, int from, float[] dst, int to, int n) {
            int i = 0;
            for (int end = S.loopBound(n); i < end; i += S.length()) {
                FloatVector.fromArray(S, src, from + i).intoArray(dst, to + i);
            }
            for (; i < n; i++) {
                dst[to + i] = src[from + i];
            }
        }

        /** {@code y[off .. off+n) += value}, on the calling thread (the conv bias). */
        static void addConstant(float[] y, int off, int n, float value) {
            int i = 0;
            for (int end = S.loopBound(n); i < end; i += S.length()) {
                FloatVector.fromArray(S, y, off + i).add(value).intoArray(y, off + i);
            }
            CpuElementwise.addConstant(off + i, off + n, value, y);
        }
    }
}
