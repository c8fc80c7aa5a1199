package dev.expanse.kernels.cpu;

import java.util.Objects;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register tile shared by the GEMM (below 512-bit vectors) and the stride-1 conv kernels:
 * {@code tile[MR][2L] = A * B} over kc steps, MR rows of A times two vectors of B.
 *
 * <p>A is a packed GEMM panel [kc][MR] (of a GEMM operand, conv weights, or the weight gradient's
 * im2col matrices); B is a strip [kc][2L] (a packed GEMM strip, a strip copied from an image's
 * implicit im2col matrix or from dy, or dy transposed by strips). Both are addressed linearly in k
 * with constant strides: with operands addressed through offset tables it ran 25-30% slower, and
 * with A as six separate rows (six streams from L2 instead of one) the MLP's GEMMs ran 10% slower.
 *
 * <p>MR is 6 or 5, fixed when the class loads. A 6 x 2 tile needs 12 accumulators + 2 B vectors
 * + 1 A broadcast = 15 of AVX2's 16 vector registers. JDK 17's C2 keeps them all in registers (the
 * 6 x 2 tile ran at 69-78 GFLOP/s on one core of a 2.45 GHz AMD EPYC, its peak); JDK 25's spills
 * (39 GFLOP/s), and its 5 x 2 tile, 10 + 2 + 1 registers, runs at 67. So MR is 6 on JDK 17 and
 * with 512-bit vectors (32 registers, where the GEMM's 6 x 4 tile is used), 5 on later JDKs;
 * {@code -Dexpanse.tileRows=5|6} overrides it. The tile shape changes no element's arithmetic:
 * every tile element is a fused multiply-add chain over the kc steps, in step order, starting from
 * zero (the arithmetic of {@link CpuGemm}'s blocked path for one k block), so results are the same
 * bits with either MR.
 */
final class CpuMicroKernel {
    private CpuMicroKernel() {
    }

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    /**
     * Whether kernels may use a float species narrower than {@link #S} (8-lane runs, half vectors)
     * beside it: after JDK 17. JDK 17's C2 compiles the shared methods of {@code FloatVector}
     * (intoArray and the like) from their type profiles, and where one JVM runs two float species
     * those profiles see two vector classes: the intrinsics then fail and the Vector API runs its
     * Java fallback. With 256-bit vectors beside 512-bit ones, a LeNet step took 117 ms on JDK 17
     * against 27 on JDK 25 (AVX-512; JFR: {@code FloatVector.stOp}, "failed to inline (intrinsic)").
     */
    static final boolean NARROW_SPECIES = Runtime.version().feature() > 17;
    /** Rows of a tile, and the GEMM's panel height, so its packing serves the conv kernels too. */
    static final int MR = rows();
    /**
     * Rows of the stride-1 conv forward's tile ({@link #forwardTile}), and its weight panels'
     * height: 8 with 512-bit vectors, whose 32 registers hold the 8 x 2 tile (16 accumulators), MR
     * otherwise. Filter counts are mostly multiples of 8 (16, 32, 64), which six-row panels pad:
     * 32 filters took 36 rows of work, 64 took 66. The 8 x 2 tile runs at the 6 x 2 tile's rate
     * (116 against 116.5 GFLOP/s, kc = 256, data in L1, one core of an AMD EPYC 9004, JDK 25;
     * 112 against 114.5 on JDK 17).
     */
    static final int FORWARD_ROWS = S.vectorBitSize() >= 512 ? 8 : MR;
    /** Floats of a tile buffer: [rows][2L] (the most rows of any tile, so a buffer serves each). */
    static final int TILE = Math.max(6, FORWARD_ROWS) * 2 * L;

    private static int rows() {
        String forced = System.getProperty("expanse.tileRows");
        if (forced != null && S.vectorBitSize() < 512) {
            if (!forced.equals("5") && !forced.equals("6")) {
                throw new IllegalArgumentException("-Dexpanse.tileRows must be 5 or 6, got '" + forced + "'");
            }
            return Integer.parseInt(forced);
        }
        return S.vectorBitSize() >= 512 || Runtime.version().feature() <= 17 ? 6 : 5;
    }

    /** {@code tile[FORWARD_ROWS][2L] = A * B}: the conv forward's {@link #FORWARD_ROWS} x 2 tile. */
    static void forwardTile(int kc, float[] ap, int aOff, float[] b, int bOff, float[] tile) {
        if (FORWARD_ROWS == 8) {
            tile8x2(kc, ap, aOff, b, bOff, tile);
        } else {
            tile(kc, ap, aOff, b, bOff, tile);
        }
    }

    /** {@code tile[MR][2L] = A * B}: the {@link #MR} x 2 tile. */
    static void tile(int kc, float[] ap, int aOff, float[] b, int bOff, float[] tile) {
        if (MR == 6) {
            tile6x2(kc, ap, aOff, b, bOff, tile);
        } else {
            tile5x2(kc, ap, aOff, b, bOff, tile);
        }
    }

    /**
     * The 6 x 2 tile: {@code tile[6][2L] = A * B} over kc steps, A a panel [kc][6] at
     * ap[aOff], B a strip [kc][2L] at b[bOff]; tile row r holds its two vectors at {@code tile[2rL]}.
     * The bounds are checked once, before the loop, and the loop steps its two indices, which lets
     * the JIT drop every check inside it (with the indices computed from k, JDK 17 ran 20-30% slower).
     */
    static void tile6x2(int kc, float[] ap, int aOff, float[] b, int bOff, float[] tile) {
        Objects.checkFromIndexSize(aOff, kc * 6, ap.length);
        Objects.checkFromIndexSize(bOff, kc * 2 * L, b.length);
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
        FloatVector c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
        for (int ai = aOff, bi = bOff, end = aOff + kc * 6; ai < end; ai += 6, bi += 2 * L) {
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

    /**
     * The 8 x 2 tile: as {@link #tile6x2}, with A panels [kc][8] and a tile [8][2L]. Written out
     * beside the 6 x 2 one rather than shared with it: both run in one JVM (the GEMM's 6 rows, the
     * conv forward's 8), so a shared body would take the row count as an argument, and its
     * branches would stay in the loop instead of folding away as a class constant's do
     * ({@link #tileOneGroup}).
     */
    static void tile8x2(int kc, float[] ap, int aOff, float[] b, int bOff, float[] tile) {
        Objects.checkFromIndexSize(aOff, kc * 8, ap.length);
        Objects.checkFromIndexSize(bOff, kc * 2 * L, b.length);
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
        FloatVector c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
        FloatVector c60 = c00, c61 = c00, c70 = c00, c71 = c00;
        for (int ai = aOff, bi = bOff, end = aOff + kc * 8; ai < end; ai += 8, bi += 2 * L) {
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
            av = FloatVector.broadcast(S, ap[ai + 6]);
            c60 = av.fma(b0, c60);
            c61 = av.fma(b1, c61);
            av = FloatVector.broadcast(S, ap[ai + 7]);
            c70 = av.fma(b0, c70);
            c71 = av.fma(b1, c71);
        }
        store(tile, 0, c00, c01);
        store(tile, 2 * L, c10, c11);
        store(tile, 4 * L, c20, c21);
        store(tile, 6 * L, c30, c31);
        store(tile, 8 * L, c40, c41);
        store(tile, 10 * L, c50, c51);
        store(tile, 12 * L, c60, c61);
        store(tile, 14 * L, c70, c71);
    }

    /** The 5 x 2 tile: as {@link #tile6x2}, with A panels [kc][5] and a tile [5][2L]. */
    static void tile5x2(int kc, float[] ap, int aOff, float[] b, int bOff, float[] tile) {
        Objects.checkFromIndexSize(aOff, kc * 5, ap.length);
        Objects.checkFromIndexSize(bOff, kc * 2 * L, b.length);
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
        FloatVector c30 = c00, c31 = c00, c40 = c00, c41 = c00;
        for (int ai = aOff, bi = bOff, end = aOff + kc * 5; ai < end; ai += 5, bi += 2 * L) {
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
        }
        store(tile, 0, c00, c01);
        store(tile, 2 * L, c10, c11);
        store(tile, 4 * L, c20, c21);
        store(tile, 6 * L, c30, c31);
        store(tile, 8 * L, c40, c41);
    }

    /**
     * The forward tile's first column alone: {@code tile[r][0 .. L) = A * B[.., 0 .. L)} for the
     * {@link #FORWARD_ROWS} rows, over a strip of the same layout, [kc][2L], whose second vectors
     * are not read; the second vector of each tile row is left as it was. For a group without a
     * partner (an odd number of groups): the pair's tile ran a copy of the group in its other half.
     * Each element has the arithmetic of {@link #forwardTile}'s.
     */
    static void tileOneGroup(int kc, float[] ap, int aOff, float[] b, int bOff, float[] tile) {
        final int rows = FORWARD_ROWS;
        Objects.checkFromIndexSize(aOff, kc * rows, ap.length);
        Objects.checkFromIndexSize(bOff, kc * 2 * L, b.length);
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
        for (int ai = aOff, bi = bOff, end = aOff + kc * rows; ai < end; ai += rows, bi += 2 * L) {
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            c0 = FloatVector.broadcast(S, ap[ai]).fma(b0, c0);
            c1 = FloatVector.broadcast(S, ap[ai + 1]).fma(b0, c1);
            c2 = FloatVector.broadcast(S, ap[ai + 2]).fma(b0, c2);
            c3 = FloatVector.broadcast(S, ap[ai + 3]).fma(b0, c3);
            c4 = FloatVector.broadcast(S, ap[ai + 4]).fma(b0, c4);
            // rows is a constant: the JIT keeps one of the loops
            if (rows >= 6) {
                c5 = FloatVector.broadcast(S, ap[ai + 5]).fma(b0, c5);
            }
            if (rows == 8) {
                c6 = FloatVector.broadcast(S, ap[ai + 6]).fma(b0, c6);
                c7 = FloatVector.broadcast(S, ap[ai + 7]).fma(b0, c7);
            }
        }
        c0.intoArray(tile, 0);
        c1.intoArray(tile, 2 * L);
        c2.intoArray(tile, 4 * L);
        c3.intoArray(tile, 6 * L);
        c4.intoArray(tile, 8 * L);
        if (rows >= 6) {
            c5.intoArray(tile, 10 * L);
        }
        if (rows == 8) {
            c6.intoArray(tile, 12 * L);
            c7.intoArray(tile, 14 * L);
        }
    }

    /** {@code tile[off ..] = u}, {@code tile[off + L ..] = v}. */
    private static void store(float[] tile, int off, FloatVector u, FloatVector v) {
        u.intoArray(tile, off);
        v.intoArray(tile, off + L);
    }
}
