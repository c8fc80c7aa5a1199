package dev.expanse.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The write-backs of the stride-1 conv kernels ({@link CpuConvImplicit}): each moves one
 * {@link CpuMicroKernel} tile from its tile buffer to where it belongs.
 */
final class CpuConvTiles {
    private CpuConvTiles() {
    }

    private static final VectorSpecies<Float> S = CpuMicroKernel.S;
    private static final int L = CpuMicroKernel.L, MR = CpuMicroKernel.MR;

    /**
     * Forward write-back of tile row ii, group h (0 or 1), {@code v} valid lanes, into y at yOff:
     * the first k block stores, later ones add; the last adds the bias too, after the sum, as
     * {@code gemm} then a bias add would.
     */
    static void mergeForward(float[] tile, int ii, int h, int v, float[] y, int yOff, boolean first, boolean last,
                             float bias) {
        int t = (2 * ii + h) * L;
        if (v == L) {
            FloatVector r = FloatVector.fromArray(S, tile, t);
            if (!first) {
                r = r.add(FloatVector.fromArray(S, y, yOff));
            }
            if (last) {
                r = r.add(bias);
            }
            r.intoArray(y, yOff);
            return;
        }
        for (int l = 0; l < v; l++) {
            float r = first ? tile[t + l] : tile[t + l] + y[yOff + l];
            y[yOff + l] = last ? r + bias : r;
        }
    }

    /** Backward-data write-back: {@code d[dOff .. dOff + L) += tile row ii, group h} (padding lanes add zeros). */
    static void scatterAdd(float[] tile, int ii, int h, float[] d, int dOff) {
        FloatVector.fromArray(S, d, dOff).add(FloatVector.fromArray(S, tile, (2 * ii + h) * L)).intoArray(d, dOff);
    }

    /** {@code d[dOff + r*ldd .. + 2L) += tile row r} for the MR rows: a weight-gradient tile onto dW^T. */
    static void addTile(float[] tile, float[] d, int dOff, int ldd) {
        for (int r = 0; r < MR; r++) {
            for (int j = 0; j < 2; j++) {
                int o = dOff + r * ldd + j * L;
                FloatVector.fromArray(S, d, o).add(FloatVector.fromArray(S, tile, (2 * r + j) * L)).intoArray(d, o);
            }
        }
    }
}
