package dev.expanse.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Masked optimizer steps on a [rows, cols] matrix with leading dimension ld; w, g and the state
 * share that layout. Only cells outside the frozen rectangle [0, frozenRows) x [0, frozenCols) are
 * read or written, and never the padding columns [cols, ld). See {@link dev.expanse.kernels.Backend#sgdStep}.
 *
 * <p>The vector twins walk the rows and vectorise the trainable span of each row, with the same
 * float operations in the same order as the scalar loops, so both give bit-identical results.
 */
final class CpuOptimizers {
    private CpuOptimizers() {
    }

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int GRAIN = CpuElementwise.GRAIN / 4;

    /** {@code v = momentum*v + g + weightDecay*w; w -= lr*v}. */
    static void sgdScalar(int rows, int cols, int ld, int frozenRows, int frozenCols,
                          float[] w, float[] g, float[] v, float lr, float momentum, float weightDecay) {
        for (int r = 0; r < rows; r++) {
            int c0 = r < frozenRows ? Math.min(frozenCols, cols) : 0;
            for (int c = c0; c < cols; c++) {
                int i = r * ld + c;
                v[i] = momentum * v[i] + g[i] + weightDecay * w[i];
                w[i] -= lr * v[i];
            }
        }
    }

    static void sgdVector(Parallel par, int rows, int cols, int ld, int frozenRows, int frozenCols,
                          float[] w, float[] g, float[] v, float lr, float momentum, float weightDecay) {
        if (cols == 0) {
            return;
        }
        par.forRange(rows, Math.max(1, GRAIN / cols), (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                int c = r < frozenRows ? Math.min(frozenCols, cols) : 0;
                int row = r * ld;
                for (int end = c + S.loopBound(cols - c); c < end; c += S.length()) {
                    int i = row + c;
                    FloatVector wv = FloatVector.fromArray(S, w, i);
                    FloatVector vv = FloatVector.fromArray(S, v, i).mul(momentum)
                            .add(FloatVector.fromArray(S, g, i)).add(wv.mul(weightDecay));
                    vv.intoArray(v, i);
                    wv.sub(vv.mul(lr)).intoArray(w, i);
                }
                for (; c < cols; c++) {
                    int i = row + c;
                    v[i] = momentum * v[i] + g[i] + weightDecay * w[i];
                    w[i] -= lr * v[i];
                }
            }
        });
    }

    /**
     * Adam with bias correction for step t >= 1: {@code m = b1*m + (1-b1)*g; v = b2*v + (1-b2)*g*g;
     * w -= lr * (m/(1-b1^t)) / (sqrt(v/(1-b2^t)) + eps)}.
     */
    static void adamScalar(int rows, int cols, int ld, int frozenRows, int frozenCols,
                           float[] w, float[] g, float[] m, float[] v,
                           float lr, float beta1, float beta2, float eps, int t) {
        float oneMinusB1 = 1f - beta1, oneMinusB2 = 1f - beta2;
        float correction1 = biasCorrection(beta1, t), correction2 = biasCorrection(beta2, t);
        for (int r = 0; r < rows; r++) {
            int c0 = r < frozenRows ? Math.min(frozenCols, cols) : 0;
            for (int c = c0; c < cols; c++) {
                int i = r * ld + c;
                float gi = g[i];
                m[i] = beta1 * m[i] + oneMinusB1 * gi;
                v[i] = beta2 * v[i] + oneMinusB2 * gi * gi;
                float mHat = m[i] / correction1;
                float vHat = v[i] / correction2;
                w[i] -= lr * mHat / ((float) Math.sqrt(vHat) + eps);
            }
        }
    }

    static void adamVector(Parallel par, int rows, int cols, int ld, int frozenRows, int frozenCols,
                           float[] w, float[] g, float[] m, float[] v,
                           float lr, float beta1, float beta2, float eps, int t) {
        if (cols == 0) {
            return;
        }
        float oneMinusB1 = 1f - beta1, oneMinusB2 = 1f - beta2;
        float correction1 = biasCorrection(beta1, t), correction2 = biasCorrection(beta2, t);
        par.forRange(rows, Math.max(1, GRAIN / cols), (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                int c = r < frozenRows ? Math.min(frozenCols, cols) : 0;
                int row = r * ld;
                for (int end = c + S.loopBound(cols - c); c < end; c += S.length()) {
                    int i = row + c;
                    FloatVector gv = FloatVector.fromArray(S, g, i);
                    FloatVector mv = FloatVector.fromArray(S, m, i).mul(beta1).add(gv.mul(oneMinusB1));
                    FloatVector vv = FloatVector.fromArray(S, v, i).mul(beta2).add(gv.mul(oneMinusB2).mul(gv));
                    mv.intoArray(m, i);
                    vv.intoArray(v, i);
                    FloatVector step = mv.div(correction1).mul(lr).div(vv.div(correction2).sqrt().add(eps));
                    FloatVector.fromArray(S, w, i).sub(step).intoArray(w, i);
                }
                for (; c < cols; c++) {
                    int i = row + c;
                    float gi = g[i];
                    m[i] = beta1 * m[i] + oneMinusB1 * gi;
                    v[i] = beta2 * v[i] + oneMinusB2 * gi * gi;
                    float mHat = m[i] / correction1;
                    float vHat = v[i] / correction2;
                    w[i] -= lr * mHat / ((float) Math.sqrt(vHat) + eps);
                }
            }
        });
    }

    /** {@code 1 - beta^t}, computed in double. */
    static float biasCorrection(float beta, int t) {
        return (float) (1.0 - Math.pow(beta, t));
    }
}
