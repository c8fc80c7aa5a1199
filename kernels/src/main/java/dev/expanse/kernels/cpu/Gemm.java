package dev.expanse.kernels.cpu;

/** GEMM: C = alpha*op(A)*op(B) + beta*C, see {@link dev.expanse.kernels.Backend#gemm}. */
final class Gemm {
    private Gemm() {
    }

    /** The reference: a plain triple loop, accumulating in float in k order. */
    static void scalar(boolean ta, boolean tb, int m, int n, int k, float alpha,
                       float[] a, int offA, int lda, float[] b, int offB, int ldb,
                       float beta, float[] c, int offC, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float acc = 0f;
                for (int p = 0; p < k; p++) {
                    float av = ta ? a[offA + p * lda + i] : a[offA + i * lda + p];
                    float bv = tb ? b[offB + j * ldb + p] : b[offB + p * ldb + j];
                    acc += av * bv;
                }
                int ci = offC + i * ldc + j;
                c[ci] = beta == 0f ? alpha * acc : alpha * acc + beta * c[ci];
            }
        }
    }

    /** Placeholder until the register-tiled Vector API kernel lands: runs the reference. */
    static void vector(Parallel par, boolean ta, boolean tb, int m, int n, int k, float alpha,
                       float[] a, int offA, int lda, float[] b, int offB, int ldb,
                       float beta, float[] c, int offC, int ldc) {
        scalar(ta, tb, m, n, k, alpha, a, offA, lda, b, offB, ldb, beta, c, offC, ldc);
    }
}
