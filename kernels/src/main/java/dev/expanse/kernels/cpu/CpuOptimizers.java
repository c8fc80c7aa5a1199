package dev.expanse.kernels.cpu;

import dev.expanse.kernels.FrozenBlock;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Masked optimizer steps on a [rows, cols] matrix with leading dimension ld; w, g and the state
 * share that layout. Only cells outside the {@link FrozenBlock} are read or written (row r starts
 * at {@link FrozenBlock#firstTrainableColumn}), and never the padding columns [cols, ld). See
 * {@link dev.expanse.kernels.Backend#sgdStep} and {@link dev.expanse.kernels.Backend#adamStep}.
 *
 * <p>Scalar twins: {@link #sgd} and {@link #adam}, built from the per-row steps {@link #sgdRow}
 * and {@link #adamRow} over a span of one row. The vector twins walk the rows, vectorise the
 * trainable span of each row with the same float operations in the same order, and hand the tail
 * of the span to the row steps, so both give bit-identical results.
 */
final class CpuOptimizers {
    private CpuOptimizers() {
    }

    private static final int GRAIN = CpuElementwise.GRAIN / 4;

    /** {@code v = momentum*v + g + weightDecay*w; w -= lr*v} on every trainable cell. */
    static void sgd(int rows, int cols, int ld, FrozenBlock frozen,
                    float[] w, float[] g, float[] v, float lr, float momentum, float weightDecay) {
        for (int r = 0; r < rows; r++) {
            sgdRow(r * ld + frozen.firstTrainableColumn(r, cols), r * ld + cols, w, g, v, lr, momentum, weightDecay);
        }
    }

    /** The SGD step on the cells [lo, hi) of one row (flat indices). */
    static void sgdRow(int lo, int hi, float[] w, float[] g, float[] v, float lr, float momentum, float weightDecay) {
        for (int i = lo; i < hi; i++) {
            v[i] = momentum * v[i] + g[i] + weightDecay * w[i];
            w[i] -= lr * v[i];
        }
    }

    /**
     * The constants of one Adam step t >= 1: the hyper-parameters, {@code 1 - beta} and the bias
     * corrections {@code 1 - beta^t}, computed once per step.
     */
    record AdamStep(float lr, float beta1, float beta2, float eps,
                    float oneMinusB1, float oneMinusB2, float correction1, float correction2) {
        static AdamStep of(float lr, float beta1, float beta2, float eps, int t) {
            return new AdamStep(lr, beta1, beta2, eps, 1f - beta1, 1f - beta2,
                    biasCorrection(beta1, t), biasCorrection(beta2, t));
        }
    }

    /**
     * Adam with bias correction on every trainable cell: {@code m = b1*m + (1-b1)*g;
     * v = b2*v + (1-b2)*g*g; w -= lr * (m/(1-b1^t)) / (sqrt(v/(1-b2^t)) + eps)}.
     */
    static void adam(int rows, int cols, int ld, FrozenBlock frozen,
                     float[] w, float[] g, float[] m, float[] v, AdamStep a) {
        for (int r = 0; r < rows; r++) {
            adamRow(r * ld + frozen.firstTrainableColumn(r, cols), r * ld + cols, w, g, m, v, a);
        }
    }

    /** The Adam step on the cells [lo, hi) of one row (flat indices). */
    static void adamRow(int lo, int hi, float[] w, float[] g, float[] m, float[] v, AdamStep a) {
        for (int i = lo; i < hi; i++) {
            float gi = g[i];
            m[i] = a.beta1 * m[i] + a.oneMinusB1 * gi;
            v[i] = a.beta2 * v[i] + a.oneMinusB2 * gi * gi;
            float mHat = m[i] / a.correction1;
            float vHat = v[i] / a.correction2;
            w[i] -= a.lr * mHat / ((float) Math.sqrt(vHat) + a.eps);
        }
    }

    /** {@code 1 - beta^t}, computed in double. */
    static float biasCorrection(float beta, int t) {
        return (float) (1.0 - Math.pow(beta, t));
    }

    /** The Vector API twins, split over the pool's threads by rows. */
    static final class Vector {
        private Vector() {
        }

        private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

        static void sgd(Parallel par, int rows, int cols, int ld, FrozenBlock frozen,
                        float[] w, float[] g, float[] v, float lr, float momentum, float weightDecay) {
            if (cols == 0) {
                return;
            }
            par.forRange(rows, Math.max(1, GRAIN / cols), (lo, hi) -> {
                for (int r = lo; r < hi; r++) {
                    int i = r * ld + frozen.firstTrainableColumn(r, cols), rowEnd = r * ld + cols;
                    for (int end = i + S.loopBound(rowEnd - i); i < end; i += S.length()) {
                        FloatVector wv = FloatVector.fromArray(S, w, i);
                        FloatVector vv = FloatVector.fromArray(S, v, i).mul(momentum)
                                .add(FloatVector.fromArray(S, g, i)).add(wv.mul(weightDecay));
                        vv.intoArray(v, i);
                        wv.sub(vv.mul(lr)).intoArray(w, i);
                    }
                    sgdRow(i, rowEnd, w, g, v, lr, momentum, weightDecay);
                }
            });
        }

        static void adam(Parallel par, int rows, int cols, int ld, FrozenBlock frozen,
                         float[] w, float[] g, float[] m, float[] v, AdamStep a) {
            if (cols == 0) {
                return;
            }
            par.forRange(rows, Math.max(1, GRAIN / cols), (lo, hi) -> {
                for (int r = lo; r < hi; r++) {
                    int i = r * ld + frozen.firstTrainableColumn(r, cols), rowEnd = r * ld + cols;
                    for (int end = i + S.loopBound(rowEnd - i); i < end; i += S.length()) {
                        FloatVector gv = FloatVector.fromArray(S, g, i);
                        FloatVector mv = FloatVector.fromArray(S, m, i).mul(a.beta1).add(gv.mul(a.oneMinusB1));
                        FloatVector vv = FloatVector.fromArray(S, v, i).mul(a.beta2).add(gv.mul(a.oneMinusB2).mul(gv));
                        mv.intoArray(m, i);
                        vv.intoArray(v, i);
                        FloatVector step = mv.div(a.correction1).mul(a.lr).div(vv.div(a.correction2).sqrt().add(a.eps));
                        FloatVector.fromArray(S, w, i).sub(step).intoArray(w, i);
                    }
                    adamRow(i, rowEnd, w, g, m, v, a);
                }
            });
        }
    }
}
