package dev.expanse.kernels.cpu;

/** STUB: to be written (scalar reference + Vector API twin). */
final class Elementwise {
    private Elementwise() {
    }

    private static UnsupportedOperationException todo() {
        return new UnsupportedOperationException("Elementwise: not written yet");
    }

    static void axpyScalar(int n, float alpha, float[] x, float[] y) { throw todo(); }
    static void axpyVector(Parallel par, int n, float alpha, float[] x, float[] y) { throw todo(); }
    static void scaleScalar(int n, float alpha, float[] x) { throw todo(); }
    static void scaleVector(Parallel par, int n, float alpha, float[] x) { throw todo(); }
    static void addScalar(int n, float[] x, float[] y, float[] z) { throw todo(); }
    static void addVector(Parallel par, int n, float[] x, float[] y, float[] z) { throw todo(); }
    static void mulScalar(int n, float[] x, float[] y, float[] z) { throw todo(); }
    static void mulVector(Parallel par, int n, float[] x, float[] y, float[] z) { throw todo(); }
    static void addRowVectorScalar(int rows, int cols, float[] y, int ldy, float[] v) { throw todo(); }
    static void addRowVectorVector(Parallel par, int rows, int cols, float[] y, int ldy, float[] v) { throw todo(); }
}
