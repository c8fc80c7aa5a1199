package dev.expanse.kernels.cpu;

/** STUB: to be written (scalar reference + Vector API twin). */
final class SoftmaxCrossEntropy {
    private SoftmaxCrossEntropy() {
    }

    private static UnsupportedOperationException todo() {
        return new UnsupportedOperationException("SoftmaxCrossEntropy: not written yet");
    }

    static void forwardScalar(int rows, int cols, float[] logits, float[] labels, float[] probs, float[] losses) { throw todo(); }
    static void forwardVector(Parallel par, int rows, int cols, float[] logits, float[] labels, float[] probs, float[] losses) { throw todo(); }
    static void backwardScalar(int rows, int cols, float[] probs, float[] labels, float scale, float[] dlogits) { throw todo(); }
    static void backwardVector(Parallel par, int rows, int cols, float[] probs, float[] labels, float scale, float[] dlogits) { throw todo(); }
}
