package dev.expanse.kernels.cpu;

import dev.expanse.kernels.PoolShape;

/** STUB: to be written (scalar reference + Vector API twin). */
final class Pool {
    private Pool() {
    }

    private static UnsupportedOperationException todo() {
        return new UnsupportedOperationException("Pool: not written yet");
    }

    static void forwardScalar(PoolShape s, float[] x, float[] y) { throw todo(); }
    static void forwardVector(Parallel par, PoolShape s, float[] x, float[] y) { throw todo(); }
    static void backwardScalar(PoolShape s, float[] x, float[] dy, float[] dx) { throw todo(); }
    static void backwardVector(Parallel par, PoolShape s, float[] x, float[] dy, float[] dx) { throw todo(); }
}
