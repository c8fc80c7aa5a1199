package dev.expanse.kernels.cpu;

/**
 * Fused softmax and cross-entropy over rows of dense logits [rows, cols]; labels [rows] are floats
 * holding class indices. See {@link dev.expanse.kernels.Backend#softmaxCrossEntropyForward}.
 */
final class SoftmaxCrossEntropy {
    private SoftmaxCrossEntropy() {
    }

    /**
     * {@code probs = softmax(logits)} row-wise, {@code losses[r] = -log(probs[r][label])}. Both are
     * computed from {@code logits - rowMax}, and the loss as {@code log(sum) - (logit[label] - max)}
     * (log-sum-exp), so neither overflows nor takes the log of an underflowed probability.
     */
    static void forwardScalar(int rows, int cols, float[] logits, float[] labels, float[] probs, float[] losses) {
        if (cols == 0) {
            return;
        }
        for (int r = 0; r < rows; r++) {
            int row = r * cols;
            float max = logits[row];
            for (int c = 1; c < cols; c++) {
                max = Math.max(max, logits[row + c]);
            }
            float sum = 0f;
            for (int c = 0; c < cols; c++) {
                float e = (float) Math.exp(logits[row + c] - max);
                probs[row + c] = e;
                sum += e;
            }
            for (int c = 0; c < cols; c++) {
                probs[row + c] /= sum;
            }
            int label = (int) labels[r];
            losses[r] = (float) Math.log(sum) - (logits[row + label] - max);
        }
    }

    static void forwardVector(Parallel par, int rows, int cols, float[] logits, float[] labels,
                              float[] probs, float[] losses) {
        forwardScalar(rows, cols, logits, labels, probs, losses);
    }

    /** {@code dlogits += scale * (probs - onehot(labels))}. */
    static void backwardScalar(int rows, int cols, float[] probs, float[] labels, float scale, float[] dlogits) {
        for (int r = 0; r < rows; r++) {
            int row = r * cols;
            int label = (int) labels[r];
            for (int c = 0; c < cols; c++) {
                float d = c == label ? probs[row + c] - 1f : probs[row + c];
                dlogits[row + c] += scale * d;
            }
        }
    }

    static void backwardVector(Parallel par, int rows, int cols, float[] probs, float[] labels, float scale,
                               float[] dlogits) {
        backwardScalar(rows, cols, probs, labels, scale, dlogits);
    }
}
