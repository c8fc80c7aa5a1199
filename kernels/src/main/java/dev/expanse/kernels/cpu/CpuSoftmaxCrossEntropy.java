package dev.expanse.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Fused softmax and cross-entropy over rows of dense logits [rows, cols]; labels [rows] are floats
 * holding class indices. See {@link dev.expanse.kernels.Backend#softmaxCrossEntropyForward}.
 *
 * <p>Scalar twins: {@link #forward} and {@link #backward}, built from the phases of one row
 * ({@link CpuReduce#max}, {@link #exponentials}, {@link #divide}, {@link #loss},
 * {@link #backwardRow}) over a range of columns, which the vector kernels call for their tails
 * (but for the exponentials, whose tail takes {@link CpuExp#exp} like the lanes).
 * The vector forward uses {@link CpuExp} (an exp of plain IEEE arithmetic, within 1 ulp of
 * {@link Math#exp}, the same bits compiled or not) and lane-wise sums, so it differs from the
 * scalar twin by rounding; the vector backward is bit-identical. Rows are independent, so the
 * thread count never changes a result.
 */
final class CpuSoftmaxCrossEntropy {
    private CpuSoftmaxCrossEntropy() {
    }

    private static final int GRAIN = CpuElementwise.GRAIN;

    /**
     * {@code probs = softmax(logits)} row-wise, {@code losses[r] = -log(probs[r][label])}. Both are
     * computed from {@code logits - rowMax}, and the loss as {@code log(sum) - (logit[label] - max)}
     * (log-sum-exp), so neither overflows nor takes the log of an underflowed probability.
     */
    static void forward(int rows, int cols, float[] logits, float[] labels, float[] probs, float[] losses) {
        if (cols == 0) {
            return;
        }
        for (int r = 0; r < rows; r++) {
            int row = r * cols;
            float max = CpuReduce.max(logits[row], logits, row + 1, row + cols);
            float sum = exponentials(0f, logits, row, row + cols, max, probs);
            divide(probs, row, row + cols, sum);
            losses[r] = loss(logits, row, labels[r], max, sum);
        }
    }

    /** {@code probs[c] = exp(logits[c] - max)} for c in [lo, hi); returns sum plus those values, added in order. */
    static float exponentials(float sum, float[] logits, int lo, int hi, float max, float[] probs) {
        for (int c = lo; c < hi; c++) {
            float e = (float) Math.exp(logits[c] - max);
            probs[c] = e;
            sum += e;
        }
        return sum;
    }

    /** {@code probs[c] /= sum} for c in [lo, hi). */
    static void divide(float[] probs, int lo, int hi, float sum) {
        for (int c = lo; c < hi; c++) {
            probs[c] /= sum;
        }
    }

    /** {@code -log(softmax[label]) = log(sum) - (logit[label] - max)} of the row starting at {@code row}. */
    static float loss(float[] logits, int row, float label, float max, float sum) {
        return (float) Math.log(sum) - (logits[row + (int) label] - max);
    }

    /** {@code dlogits += scale * (probs - onehot(labels))}. */
    static void backward(int rows, int cols, float[] probs, float[] labels, float scale, float[] dlogits) {
        for (int r = 0; r < rows; r++) {
            backwardRow(r * cols, 0, cols, (int) labels[r], scale, probs, dlogits);
        }
    }

    /** The backward of the row starting at {@code row}, for its columns c in [lo, hi). */
    static void backwardRow(int row, int lo, int hi, int label, float scale, float[] probs, float[] dlogits) {
        for (int c = lo; c < hi; c++) {
            float d = c == label ? probs[row + c] - 1f : probs[row + c];
            dlogits[row + c] += scale * d;
        }
    }

    /** The Vector API twins, split over the pool's threads by rows. */
    static final class Vector {
        private Vector() {
        }

        private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

        static void forward(Parallel par, int rows, int cols, float[] logits, float[] labels,
                            float[] probs, float[] losses) {
            if (cols == 0) {
                return;
            }
            int lanes = S.length(), end = S.loopBound(cols);
            par.forRange(rows, Math.max(1, GRAIN / cols), (lo, hi) -> {
                for (int r = lo; r < hi; r++) {
                    int row = r * cols;
                    float max = CpuReduce.Vector.max(logits, row, cols);
                    FloatVector sumv = FloatVector.zero(S);
                    for (int c = 0; c < end; c += lanes) {
                        FloatVector e = CpuExp.Vector.exp(FloatVector.fromArray(S, logits, row + c).sub(max));
                        e.intoArray(probs, row + c);
                        sumv = sumv.add(e);
                    }
                    float sum = CpuReduce.Vector.sumLanes(sumv);
                    for (int c = end; c < cols; c++) {
                        // the tail with the lanes' exp, so every column of a row is computed alike
                        float e = CpuExp.exp(logits[row + c] - max);
                        probs[row + c] = e;
                        sum += e;
                    }
                    for (int c = 0; c < end; c += lanes) {
                        FloatVector.fromArray(S, probs, row + c).div(sum).intoArray(probs, row + c);
                    }
                    divide(probs, row + end, row + cols, sum);
                    losses[r] = loss(logits, row, labels[r], max, sum);
                }
            });
        }

        static void backward(Parallel par, int rows, int cols, float[] probs, float[] labels, float scale,
                             float[] dlogits) {
            if (cols == 0) {
                return;
            }
            int lanes = S.length(), end = S.loopBound(cols);
            par.forRange(rows, Math.max(1, GRAIN / cols), (lo, hi) -> {
                for (int r = lo; r < hi; r++) {
                    int row = r * cols;
                    int label = (int) labels[r];
                    for (int c = 0; c < end; c += lanes) {
                        FloatVector d = FloatVector.fromArray(S, probs, row + c);
                        if (label >= c && label < c + lanes) {
                            // only the label's lane: lanes where 0 <= (c - label) + lane < 1
                            d = d.sub(1f, S.indexInRange(c - label, 1));
                        }
                        FloatVector.fromArray(S, dlogits, row + c).add(d.mul(scale)).intoArray(dlogits, row + c);
                    }
                    backwardRow(row, end, cols, label, scale, probs, dlogits);
                }
            });
        }
    }
}
