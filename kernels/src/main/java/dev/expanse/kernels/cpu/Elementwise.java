package dev.expanse.kernels.cpu;

/** Elementwise kernels: axpy, scale, add, mul and the bias add; see {@link dev.expanse.kernels.Backend}. */
final class Elementwise {
    private Elementwise() {
    }

    /** {@code y += alpha * x} over n elements. */
    static void axpyScalar(int n, float alpha, float[] x, float[] y) {
        for (int i = 0; i < n; i++) {
            y[i] += alpha * x[i];
        }
    }

    static void axpyVector(Parallel par, int n, float alpha, float[] x, float[] y) {
        axpyScalar(n, alpha, x, y);
    }

    /** {@code x *= alpha} over n elements. */
    static void scaleScalar(int n, float alpha, float[] x) {
        for (int i = 0; i < n; i++) {
            x[i] *= alpha;
        }
    }

    static void scaleVector(Parallel par, int n, float alpha, float[] x) {
        scaleScalar(n, alpha, x);
    }

    /** {@code z = x + y} over n elements; z may alias x or y. */
    static void addScalar(int n, float[] x, float[] y, float[] z) {
        for (int i = 0; i < n; i++) {
            z[i] = x[i] + y[i];
        }
    }

    static void addVector(Parallel par, int n, float[] x, float[] y, float[] z) {
        addScalar(n, x, y, z);
    }

    /** {@code z = x * y} over n elements; z may alias x or y. */
    static void mulScalar(int n, float[] x, float[] y, float[] z) {
        for (int i = 0; i < n; i++) {
            z[i] = x[i] * y[i];
        }
    }

    static void mulVector(Parallel par, int n, float[] x, float[] y, float[] z) {
        mulScalar(n, x, y, z);
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
        addRowVectorScalar(rows, cols, y, ldy, v);
    }
}
