package dev.expanse.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Elementwise kernels: axpy, scale, add, mul and the bias add; see {@link dev.expanse.kernels.Backend}.
 * The vector twins do the same float operations in the same order as the scalar ones (no fused
 * multiply-add), so both give bit-identical results.
 */
final class CpuElementwise {
    private CpuElementwise() {
    }

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Elements per parallel chunk at least: below this a second thread costs more than it saves. */
    static final int GRAIN = 1 << 15;

    /** {@code y += alpha * x} over n elements. */
    static void axpyScalar(int n, float alpha, float[] x, float[] y) {
        for (int i = 0; i < n; i++) {
            y[i] += alpha * x[i];
        }
    }

    static void axpyVector(Parallel par, int n, float alpha, float[] x, float[] y) {
        par.forRange(n, GRAIN, (lo, hi) -> {
            int i = lo;
            for (int end = lo + S.loopBound(hi - lo); i < end; i += S.length()) {
                FloatVector xv = FloatVector.fromArray(S, x, i);
                FloatVector.fromArray(S, y, i).add(xv.mul(alpha)).intoArray(y, i);
            }
            for (; i < hi; i++) {
                y[i] += alpha * x[i];
            }
        });
    }

    /** {@code x *= alpha} over n elements. */
    static void scaleScalar(int n, float alpha, float[] x) {
        for (int i = 0; i < n; i++) {
            x[i] *= alpha;
        }
    }

    static void scaleVector(Parallel par, int n, float alpha, float[] x) {
        par.forRange(n, GRAIN, (lo, hi) -> {
            int i = lo;
            for (int end = lo + S.loopBound(hi - lo); i < end; i += S.length()) {
                FloatVector.fromArray(S, x, i).mul(alpha).intoArray(x, i);
            }
            for (; i < hi; i++) {
                x[i] *= alpha;
            }
        });
    }

    /** {@code z = x + y} over n elements; z may alias x or y. */
    static void addScalar(int n, float[] x, float[] y, float[] z) {
        for (int i = 0; i < n; i++) {
            z[i] = x[i] + y[i];
        }
    }

    static void addVector(Parallel par, int n, float[] x, float[] y, float[] z) {
        par.forRange(n, GRAIN, (lo, hi) -> {
            int i = lo;
            for (int end = lo + S.loopBound(hi - lo); i < end; i += S.length()) {
                FloatVector.fromArray(S, x, i).add(FloatVector.fromArray(S, y, i)).intoArray(z, i);
            }
            for (; i < hi; i++) {
                z[i] = x[i] + y[i];
            }
        });
    }

    /** {@code z = x * y} over n elements; z may alias x or y. */
    static void mulScalar(int n, float[] x, float[] y, float[] z) {
        for (int i = 0; i < n; i++) {
            z[i] = x[i] * y[i];
        }
    }

    static void mulVector(Parallel par, int n, float[] x, float[] y, float[] z) {
        par.forRange(n, GRAIN, (lo, hi) -> {
            int i = lo;
            for (int end = lo + S.loopBound(hi - lo); i < end; i += S.length()) {
                FloatVector.fromArray(S, x, i).mul(FloatVector.fromArray(S, y, i)).intoArray(z, i);
            }
            for (; i < hi; i++) {
                z[i] = x[i] * y[i];
            }
        });
    }

    /** {@code y[r*ldy + c] += v[c]}: y is [rows, cols] with leading dimension ldy, v is [cols]. */
    static void addRowVectorScalar(int rows, int cols, float[] y, int ldy, float[] v) {
        for (int r = 0; r < rows; r++) {
            int row = r * ldy;
            for (int c = 0; c < cols; c++) {
                y[row + c] += v[c];
            }
        }
    }

    static void addRowVectorVector(Parallel par, int rows, int cols, float[] y, int ldy, float[] v) {
        if (cols == 0) {
            return;
        }
        par.forRange(rows, Math.max(1, GRAIN / cols), (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                addInto(cols, v, 0, y, r * ldy);
            }
        });
    }

    /** {@code y[yOff + i] += v[vOff + i]} for i < n, on the calling thread. */
    static void addInto(int n, float[] v, int vOff, float[] y, int yOff) {
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += S.length()) {
            FloatVector.fromArray(S, y, yOff + i).add(FloatVector.fromArray(S, v, vOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] += v[vOff + i];
        }
    }
}
