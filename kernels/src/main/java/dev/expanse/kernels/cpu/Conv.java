package dev.expanse.kernels.cpu;

import dev.expanse.kernels.ConvShape;

/** STUB: to be written (scalar reference + Vector API twin). */
final class Conv {
    private Conv() {
    }

    private static UnsupportedOperationException todo() {
        return new UnsupportedOperationException("Conv: not written yet");
    }

    static void forwardScalar(ConvShape s, float[] x, float[] w, int ldw, float[] bias, float[] y) { throw todo(); }
    static void forwardVector(Parallel par, ConvShape s, float[] x, float[] w, int ldw, float[] bias, float[] y) { throw todo(); }
    static void backwardDataScalar(ConvShape s, float[] dy, float[] w, int ldw, float[] dx) { throw todo(); }
    static void backwardDataVector(Parallel par, ConvShape s, float[] dy, float[] w, int ldw, float[] dx) { throw todo(); }
    static void backwardWeightsScalar(ConvShape s, float[] x, float[] dy, float[] dw, int lddw, float[] db, int frozenRows, int frozenCols) { throw todo(); }
    static void backwardWeightsVector(Parallel par, ConvShape s, float[] x, float[] dy, float[] dw, int lddw, float[] db, int frozenRows, int frozenCols) { throw todo(); }
}
