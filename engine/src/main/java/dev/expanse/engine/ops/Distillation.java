package dev.expanse.engine.ops;

import dev.expanse.engine.Tape;
import dev.expanse.engine.Tensor;
import dev.expanse.kernels.Backend;
import dev.expanse.kernels.Buffer;

/**
 * Knowledge distillation as Learning without Forgetting uses it (Li and Hoiem 2017; Avalanche's
 * {@code LwFPlugin}): the KL divergence from a teacher's softened distribution over the first
 * {@code k} outputs to the student's, {@code weight * 1/N * sum_i KL(q_i || p_i)} with
 * {@code p_i = softmax(z_i[0..k) / T)} and {@code q_i = softmax(t_i[0..k) / T)}. Forward and
 * backward side by side; they run on the host, since {@code k} is a handful of classes.
 */
public final class Distillation {
    private Distillation() {
    }

    /**
     * @param logits  [N, K'] dense student logits, K' >= k; outputs from k on are not distilled
     * @param teacher [N * k] the teacher's logits over the first k outputs, row-major
     * @param k       outputs distilled, >= 1
     * @param t       temperature, > 0
     * @param weight  factor of the loss (LwF's alpha)
     * @return the scalar loss, shape [1]
     */
    public static Tensor forward(Tape tape, Tensor logits, float[] teacher, int k, float t, float weight) {
        int n = logits.rows(), cols = logits.cols();
        if (logits.ld() != cols || k < 1 || k > cols || teacher.length != n * k || !(t > 0)) {
            throw new IllegalArgumentException("distillation needs dense [N, K] logits, 1 <= k <= K, N*k teacher logits and "
                    + "a temperature > 0, got " + logits + ", k " + k + ", " + teacher.length + " teacher logits, T " + t);
        }
        Backend be = tape.backend();
        float[] z = logits.toArray();
        float[] p = new float[n * k];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            float[] q = softmax(teacher, i * k, k, t, new float[k]);
            softmaxInto(z, i * cols, k, t, p, i * k);
            for (int c = 0; c < k; c++) {
                if (q[c] > 0) sum += q[c] * (Math.log(q[c]) - Math.log(Math.max(p[i * k + c], Float.MIN_NORMAL)));
            }
        }
        Tensor loss = tape.alloc(true, 1);
        be.upload(new float[] {n == 0 ? 0f : (float) (weight * sum / n)}, 0, loss.data(), 0, 1);
        tape.record(() -> {
            if (!loss.hasGrad() || !logits.requiresGrad() || n == 0) return;
            float[] seed = new float[1];
            be.download(loss.grad(), 0, seed, 0, 1);
            // d/dz_ic of KL(q || softmax(z/T)) is (p_ic - q_ic) / T.
            float[] g = new float[n * cols];
            float f = seed[0] * weight / (n * t);
            for (int i = 0; i < n; i++) {
                float[] q = softmax(teacher, i * k, k, t, new float[k]);
                for (int c = 0; c < k; c++) g[i * cols + c] = f * (p[i * k + c] - q[c]);
            }
            try (Buffer scratch = be.allocate((long) n * cols)) {
                be.upload(g, 0, scratch, 0, g.length);
                be.axpy(n * cols, 1f, scratch, logits.grad());
            }
        });
        return loss;
    }

    private static float[] softmax(float[] x, int off, int k, float t, float[] out) {
        softmaxInto(x, off, k, t, out, 0);
        return out;
    }

    /** {@code out[o..o+k) = softmax(x[off..off+k) / t)}, shifted by the maximum for stability. */
    private static void softmaxInto(float[] x, int off, int k, float t, float[] out, int o) {
        float max = Float.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) max = Math.max(max, x[off + c]);
        double s = 0;
        for (int c = 0; c < k; c++) s += Math.exp((x[off + c] - max) / t);
        for (int c = 0; c < k; c++) out[o + c] = (float) (Math.exp((x[off + c] - max) / t) / s);
    }
}
