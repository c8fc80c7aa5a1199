package dev.expanse.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * ReLU forward and backward; see {@link dev.expanse.kernels.Backend#reluForward}. The vector twins
 * give bit-identical results to the scalar ones.
 */
final class CpuActivation {
    private CpuActivation() {
    }

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int GRAIN = CpuElementwise.GRAIN;

    /** {@code y = max(x, 0)} with {@link Math#max} semantics (NaN stays NaN, -0 becomes +0). */
    static void forwardScalar(int n, float[] x, float[] y) {
        for (int i = 0; i < n; i++) {
            y[i] = Math.max(x[i], 0f);
        }
    }

    static void forwardVector(Parallel par, int n, float[] x, float[] y) {
        par.forRange(n, GRAIN, (lo, hi) -> {
            int i = lo;
            for (int end = lo + S.loopBound(hi - lo); i < end; i += S.length()) {
                // FloatVector.max has Math.max semantics, as the scalar twin
                FloatVector.fromArray(S, x, i).max(0f).intoArray(y, i);
            }
            for (; i < hi; i++) {
                y[i] = Math.max(x[i], 0f);
            }
        });
    }

    /** {@code dx += dy} where {@code x > 0}; elsewhere dx is left exactly as it was. */
    static void backwardScalar(int n, float[] x, float[] dy, float[] dx) {
        for (int i = 0; i < n; i++) {
            if (x[i] > 0f) {
                dx[i] += dy[i];
            }
        }
    }

    static void backwardVector(Parallel par, int n, float[] x, float[] dy, float[] dx) {
        par.forRange(n, GRAIN, (lo, hi) -> {
            int i = lo;
            for (int end = lo + S.loopBound(hi - lo); i < end; i += S.length()) {
                var positive = FloatVector.fromArray(S, x, i).compare(VectorOperators.GT, 0f);
                // a masked add leaves the other lanes exactly as they were, like the scalar branch
                FloatVector.fromArray(S, dx, i).add(FloatVector.fromArray(S, dy, i), positive).intoArray(dx, i);
            }
            for (; i < hi; i++) {
                if (x[i] > 0f) {
                    dx[i] += dy[i];
                }
            }
        });
    }
}
