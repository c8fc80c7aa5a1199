package dev.expanse.kernels.cpu;

/** STUB: to be written (scalar reference + Vector API twin). */
final class Reductions {
    private Reductions() {
    }

    private static UnsupportedOperationException todo() {
        return new UnsupportedOperationException("Reductions: not written yet");
    }

    static void sumOverRowsScalar(int rows, int cols, float[] x, int ldx, float beta, float[] out) { throw todo(); }
    static void sumOverRowsVector(Parallel par, int rows, int cols, float[] x, int ldx, float beta, float[] out) { throw todo(); }
    static void sumOverColumnsScalar(int rows, int cols, float[] x, int ldx, float beta, float[] out) { throw todo(); }
    static void sumOverColumnsVector(Parallel par, int rows, int cols, float[] x, int ldx, float beta, float[] out) { throw todo(); }
    static void argmaxRowsScalar(int rows, int cols, float[] x, float[] out) { throw todo(); }
    static void argmaxRowsVector(Parallel par, int rows, int cols, float[] x, float[] out) { throw todo(); }
}
