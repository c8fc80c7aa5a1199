package dev.expanse.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register tile for 16-register machines (AVX2), shared by the GEMM and the stride-1 conv
 * kernels: {@code tile[MR][2L] = A * B} over kc steps, MR = 6 rows of A times two vectors of B,
 * 12 accumulators of the 16 registers.
 *
 * <p>A is a packed GEMM panel [kc][MR] (of a GEMM operand, conv weights, or the weight gradient's
 * im2col matrices); B is a strip [kc][2L] (a packed GEMM strip, a strip copied from an image's
 * implicit im2col matrix or from dy, or dy transposed by strips). Both are addressed linearly in k
 * with constant strides, which lets the JIT drop the bounds checks from the loop: with operands
 * addressed through offset tables it ran 25-30% slower, and with A as six separate rows (six
 * streams from L2 instead of one) the MLP's GEMMs ran 10% slower.
 *
 * <p>Every tile element is a fused multiply-add chain over the kc steps, in step order, starting
 * from zero: the arithmetic of {@link CpuGemm}'s blocked path for one k block.
 */
final class CpuMicroKernel {
    private CpuMicroKernel() {
    }

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    /** Rows of a tile: the GEMM's panel height, so its packing serves the conv kernels too. */
    static final int MR = 6;
    /** Floats of a tile buffer: [MR][2L]. */
    static final int TILE = MR * 2 * L;

    /**
     * {@code tile[MR][2L] = A * B} over kc steps k: A a panel [kc][MR] at ap[aOff], B a strip [kc][2L]
     * at b[bOff]; tile row r holds its two vectors at {@code tile[2rL]}.
     */
    static void tile6x2(int kc, float[] ap, int aOff, float[] b, int bOff, float[] tile) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
        FloatVector c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
        for (int k = 0; k < kc; k++) {
            int ai = aOff + k * MR, bi = bOff + k * 2 * L;
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + L);
            FloatVector av = FloatVector.broadcast(S, ap[ai]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(S, ap[ai + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(S, ap[ai + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(S, ap[ai + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(S, ap[ai + 4]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(S, ap[ai + 5]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
        }
        store(tile, 0, c00, c01);
        store(tile, 2 * L, c10, c11);
        store(tile, 4 * L, c20, c21);
        store(tile, 6 * L, c30, c31);
        store(tile, 8 * L, c40, c41);
        store(tile, 10 * L, c50, c51);
    }

    /** {@code tile[off ..] = u}, {@code tile[off + L ..] = v}. */
    private static void store(float[] tile, int off, FloatVector u, FloatVector v) {
        u.intoArray(tile, off);
        v.intoArray(tile, off + L);
    }
}
