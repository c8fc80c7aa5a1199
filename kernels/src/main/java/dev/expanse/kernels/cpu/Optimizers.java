package dev.expanse.kernels.cpu;

/** STUB: to be written (scalar reference + Vector API twin). */
final class Optimizers {
    private Optimizers() {
    }

    private static UnsupportedOperationException todo() {
        return new UnsupportedOperationException("Optimizers: not written yet");
    }

    static void sgdScalar(int rows, int cols, int ld, int frozenRows, int frozenCols, float[] w, float[] g, float[] v, float lr, float momentum, float weightDecay) { throw todo(); }
    static void sgdVector(Parallel par, int rows, int cols, int ld, int frozenRows, int frozenCols, float[] w, float[] g, float[] v, float lr, float momentum, float weightDecay) { throw todo(); }
    static void adamScalar(int rows, int cols, int ld, int frozenRows, int frozenCols, float[] w, float[] g, float[] m, float[] v, float lr, float beta1, float beta2, float eps, int t) { throw todo(); }
    static void adamVector(Parallel par, int rows, int cols, int ld, int frozenRows, int frozenCols, float[] w, float[] g, float[] m, float[] v, float lr, float beta1, float beta2, float eps, int t) { throw todo(); }
}
