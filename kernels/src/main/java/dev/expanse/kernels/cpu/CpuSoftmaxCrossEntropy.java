package dev.expanse.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Fused softmax and cross-entropy over rows of dense logits [rows, cols]; labels [rows] are floats
 * holding class indices. See {@link dev.expanse.kernels.Backend#softmaxCrossEntropyForward}.
 *
 * <p>The vector forward uses the Vector API's exp and lane-wise sums, so it differs from the scalar
 * twin by rounding; the vector backward is bit-identical. Rows are independent, so the thread
 * count never changes a result.
 */
final class CpuSoftmaxCrossEntropy {
    private CpuSoftmaxCrossEntropy() {
    }

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int GRAIN = CpuElementwise.GRAIN;

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
        if (cols == 0) {
            return;
        }
        int lanes = S.length();
        par.forRange(rows, Math.max(1, GRAIN / cols), (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                int row = r * cols;
                int end = S.loopBound(cols);
                float max = logits[row];
                if (end > 0) {
                    FloatVector m = FloatVector.fromArray(S, logits, row);
                    for (int c = lanes; c < end; c += lanes) {
                        m = m.max(FloatVector.fromArray(S, logits, row + c));
                    }
                    max = m.reduceLanes(VectorOperators.MAX);
                }
                for (int c = end; c < cols; c++) {
                    max = Math.max(max, logits[row + c]);
                }
                FloatVector sumv = FloatVector.zero(S);
                for (int c = 0; c < end; c += lanes) {
                    FloatVector e = FloatVector.fromArray(S, logits, row + c).sub(max).lanewise(VectorOperators.EXP);
                    e.intoArray(probs, row + c);
                    sumv = sumv.add(e);
                }
                float sum = sumv.reduceLanes(VectorOperators.ADD);
                for (int c = end; c < cols; c++) {
                    float e = (float) Math.exp(logits[row + c] - max);
                    probs[row + c] = e;
                    sum += e;
                }
                for (int c = 0; c < end; c += lanes) {
                    FloatVector.fromArray(S, probs, row + c).div(sum).intoArray(probs, row + c);
                }
                for (int c = end; c < cols; c++) {
                    probs[row + c] /= sum;
                }
                int label = (int) labels[r];
                losses[r] = (float) Math.log(sum) - (logits[row + label] - max);
            }
        });
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
        if (cols == 0) {
            return;
        }
        int lanes = S.length();
        par.forRange(rows, Math.max(1, GRAIN / cols), (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                int row = r * cols;
                int label = (int) labels[r];
                int c = 0;
                for (int end = S.loopBound(cols); c < end; c += lanes) {
                    FloatVector d = FloatVector.fromArray(S, probs, row + c);
                    if (label >= c && label < c + lanes) {
                        // only the label's lane: lanes where 0 <= (c - label) + lane < 1
                        d = d.sub(1f, S.indexInRange(c - label, 1));
                    }
                    FloatVector.fromArray(S, dlogits, row + c).add(d.mul(scale)).intoArray(dlogits, row + c);
                }
                for (; c < cols; c++) {
                    float d = c == label ? probs[row + c] - 1f : probs[row + c];
                    dlogits[row + c] += scale * d;
                }
            }
        });
    }
}
