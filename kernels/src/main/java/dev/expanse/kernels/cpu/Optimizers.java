package dev.expanse.kernels.cpu;

/**
 * Masked optimizer steps on a [rows, cols] matrix with leading dimension ld; w, g and the state
 * share that layout. Only cells outside the frozen rectangle [0, frozenRows) x [0, frozenCols) are
 * read or written, and never the padding columns [cols, ld). See {@link dev.expanse.kernels.Backend#sgdStep}.
 */
final class Optimizers {
    private Optimizers() {
    }

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
        sgdScalar(rows, cols, ld, frozenRows, frozenCols, w, g, v, lr, momentum, weightDecay);
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
        adamScalar(rows, cols, ld, frozenRows, frozenCols, w, g, m, v, lr, beta1, beta2, eps, t);
    }

    /** {@code 1 - beta^t}, computed in double. */
    static float biasCorrection(float beta, int t) {
        return (float) (1.0 - Math.pow(beta, t));
    }
}
