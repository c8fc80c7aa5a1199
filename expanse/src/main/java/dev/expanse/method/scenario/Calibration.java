package dev.expanse.method.scenario;

import dev.expanse.engine.Parameter;
import dev.expanse.engine.nn.Dense;
import java.io.Serializable;

/**
 * Bias correction for class-incremental learning (after BiC, Wu et al. 2019): the logits of the
 * classes learnt last are mapped to {@code alpha * z + beta}, with the two numbers chosen to
 * maximise accuracy on held-out validation data. Applied to the output rows of the new classes
 * only, so the old classes' logits are untouched (bit for bit).
 *
 * @param alpha scale of the new classes' logits
 * @param beta  shift of the new classes' logits
 */
public record Calibration(double alpha, double beta) implements Serializable {

    /** The identity: alpha 1, beta 0. */
    public static final Calibration NONE = new Calibration(1, 0);

    static final double[] ALPHAS = {0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2, 1.35, 1.5};
    static final double BETA_STEP = 0.25, BETA_MAX = 12;

    /**
     * The (alpha, beta) on a grid (alpha 0.5 to 1.5, beta -12 to 12 by 0.25) with the best
     * accuracy; ties go to the one nearest the identity.
     *
     * @param logits   {@code [N, cols]} row-major
     * @param labels   {@code [N]}
     * @param firstNew the first column of the new classes; columns from it on are adjusted
     */
    public static Calibration fit(float[] logits, int[] labels, int cols, int firstNew) {
        Calibration best = NONE;
        long bestOk = correct(logits, labels, cols, firstNew, 1, 0);
        for (double a : ALPHAS) {
            for (double b = -BETA_MAX; b <= BETA_MAX + 1e-9; b += BETA_STEP) {
                long ok = correct(logits, labels, cols, firstNew, a, b);
                double dist = Math.abs(a - 1) + Math.abs(b) / BETA_MAX;
                double bestDist = Math.abs(best.alpha - 1) + Math.abs(best.beta) / BETA_MAX;
                if (ok > bestOk || (ok == bestOk && dist < bestDist)) {
                    best = new Calibration(a, b);
                    bestOk = ok;
                }
            }
        }
        return best;
    }

    /** Examples whose argmax after the adjustment equals the label. */
    static long correct(float[] logits, int[] labels, int cols, int firstNew, double a, double b) {
        long ok = 0;
        for (int i = 0; i < labels.length; i++) {
            int arg = 0;
            double best = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < cols; c++) {
                double z = logits[i * cols + c];
                if (c >= firstNew) z = a * z + b;
                if (z > best) {
                    best = z;
                    arg = c;
                }
            }
            if (arg == labels[i]) ok++;
        }
        return ok;
    }

    /** Scales the weights and bias of {@code head}'s rows from {@code firstNew} on by alpha, and adds beta to their bias. */
    public void apply(Dense head, int firstNew) {
        scaleRows(head.weight(), firstNew, alpha, 0);
        scaleRows(head.bias(), firstNew, alpha, beta);
    }

    private static void scaleRows(Parameter p, int firstRow, double a, double b) {
        float[] v = p.toArray();
        for (int r = firstRow; r < p.rows(); r++) {
            for (int c = 0; c < p.cols(); c++) v[r * p.cols() + c] = (float) (a * v[r * p.cols() + c] + b);
        }
        p.set(v);
    }
}
