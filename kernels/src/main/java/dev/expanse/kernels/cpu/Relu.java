package dev.expanse.kernels.cpu;

/** STUB: to be written (scalar reference + Vector API twin). */
final class Relu {
    private Relu() {
    }

    private static UnsupportedOperationException todo() {
        return new UnsupportedOperationException("Relu: not written yet");
    }

    static void forwardScalar(int n, float[] x, float[] y) { throw todo(); }
    static void forwardVector(Parallel par, int n, float[] x, float[] y) { throw todo(); }
    static void backwardScalar(int n, float[] x, float[] dy, float[] dx) { throw todo(); }
    static void backwardVector(Parallel par, int n, float[] x, float[] dy, float[] dx) { throw todo(); }
}
