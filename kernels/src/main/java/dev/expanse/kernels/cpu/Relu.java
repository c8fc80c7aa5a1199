package dev.expanse.kernels.cpu;

/** ReLU forward and backward; see {@link dev.expanse.kernels.Backend#reluForward}. */
final class Relu {
    private Relu() {
    }

    /** {@code y = max(x, 0)} with {@link Math#max} semantics (NaN stays NaN, -0 becomes +0). */
    static void forwardScalar(int n, float[] x, float[] y) {
        for (int i = 0; i < n; i++) {
            y[i] = Math.max(x[i], 0f);
        }
    }

    static void forwardVector(Parallel par, int n, float[] x, float[] y) {
        forwardScalar(n, x, y);
    }

    /** {@code dx += dy} where {@code x > 0}; elsewhere dx is left exactly as it was. */
    static void backwardScalar(int n, float[] x, float[] dy, float[] dx) {
        for (int i = 0; i < n; i++) {
            if (x[i] > 0f) {
                dx[i] += dy[i];
            }
        }
    }

    static void backwardVector(Parallel par, int n, float[] x, float[] dy, float[] dx) {
        backwardScalar(n, x, dy, dx);
    }
}
