package dev.expanse.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register tile shared by the GEMM on 16-register machines (AVX2) and by the stride-1 conv
 * kernels: {@code tile[MR][2L] = A * B} over kc steps, with MR = 6 rows and two vectors of L
 * columns, 12 accumulators of the 16 AVX2 registers. Both operands are addressed through tables of
 * per-step offsets, so one kernel reads packed GEMM panels, an image's implicit im2col matrix, or
 * dy by lane groups, with no copy:
 * <pre>
 *   at step k:  A row r   = a[aRow_r + aStep[ak + k]]               (a scalar, broadcast)
 *               B vectors = b[bStep[bk + k] + base0], b[bStep[bk + k] + base1]
 * </pre>
 * Every element of the tile is a fused multiply-add chain over the kc steps, in step order,
 * starting from zero: the arithmetic of {@link CpuGemm}'s blocked path for one k block.
 */
final class CpuMicroKernel {
    private CpuMicroKernel() {
    }

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    /** Rows of a tile: the GEMM's panel height, so its packing serves the conv kernels too. */
    static final int MR = 6;
    /** Floats of a tile: [MR][2L]. */
    static final int TILE = MR * 2 * L;

    /** {@code [k] = k * step} for k < n: the offsets of a packed panel's or strip's rows. */
    static int[] steps(int step, int n) {
        int[] a = new int[n];
        for (int k = 0; k < n; k++) {
            a[k] = k * step;
        }
        return a;
    }

    /**
     * {@code tile[MR][2L] = A * B} over kc steps, A's and B's elements as in the class comment; tile
     * row r holds the vectors at {@code tile[2rL]} and {@code tile[(2r + 1)L]}.
     */
    static void tile6x2(int kc, float[] a, int a0, int a1, int a2, int a3, int a4, int a5, int[] aStep, int ak,
                        float[] b, int[] bStep, int bk, int base0, int base1, float[] tile) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
        FloatVector c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
        for (int k = 0; k < kc; k++) {
            int as = aStep[ak + k], bs = bStep[bk + k];
            FloatVector b0 = FloatVector.fromArray(S, b, bs + base0);
            FloatVector b1 = FloatVector.fromArray(S, b, bs + base1);
            FloatVector av = FloatVector.broadcast(S, a[a0 + as]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(S, a[a1 + as]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(S, a[a2 + as]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(S, a[a3 + as]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(S, a[a4 + as]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(S, a[a5 + as]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, L);
        c10.intoArray(tile, 2 * L);
        c11.intoArray(tile, 3 * L);
        c20.intoArray(tile, 4 * L);
        c21.intoArray(tile, 5 * L);
        c30.intoArray(tile, 6 * L);
        c31.intoArray(tile, 7 * L);
        c40.intoArray(tile, 8 * L);
        c41.intoArray(tile, 9 * L);
        c50.intoArray(tile, 10 * L);
        c51.intoArray(tile, 11 * L);
    }

    /** {@link #tile6x2} on packed operands: A a panel [kc][MR] at aOff, B a strip [kc][2L] at bOff (the GEMM's layout). */
    static void packed(int kc, float[] ap, int aOff, float[] bp, int bOff, float[] tile) {
        tile6x2(kc, ap, aOff, aOff + 1, aOff + 2, aOff + 3, aOff + 4, aOff + 5, PANEL_STEPS, 0,
                bp, STRIP_STEPS, 0, bOff, bOff + L, tile);
    }

    /** Row offsets of a packed A panel [KC][MR] and of a packed B strip [KC][2L]. */
    static final int[] PANEL_STEPS = steps(MR, CpuGemm.Vector.KC), STRIP_STEPS = steps(2 * L, CpuGemm.Vector.KC);
}
