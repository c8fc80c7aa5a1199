package dev.expanse.kernels.cpu;

import dev.expanse.kernels.ConvShape;
import dev.expanse.kernels.FrozenBlock;
import java.util.Arrays;
import java.util.Objects;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The stride-1 conv weight gradient with output positions in the lanes: nothing is packed or
 * transposed. Legend as in {@link ConvShape}; L = lanes, P = C*KH*KW, WP = W + 2 pad.
 *
 * <p>Positions are "wide", as in {@link CpuConvForwardLayout}'s wide layout: q = oh*WP + ow over the
 * padded image's rows laid end to end, Q = (OH - 1)*WP + OW of them, rounded up to V vectors.
 * For tap p = (c, i, j), the inputs that positions q .. q + L read are the L floats of the padded
 * image at {@code tapOff[p] + q}, and dy is copied into the same positions ({@code dyw}, zero at
 * the columns from OW to WP - 1 of a row and past Q). So
 * {@code dW[f, p] = sum over images and vectors of dyw[f, q ..] * xp[tapOff[p] + q ..]}, lane by
 * lane, then the L lanes summed: a tile of {@link #FR} filters x {@link #TR} taps loads FR + TR
 * vectors for FR x TR multiply-adds, and none of its operands is rearranged in memory. Against the
 * GEMM form ({@link CpuConvImplicit#backwardWeights}), whose every tile needs dy transposed and
 * the im2col panel packed, it pays with the lanes past OW on each row and with a slower tile (24
 * multiply-adds to 10 vector loads, 6 of them unaligned), so it is used ({@link #suits}) on small
 * patches (first layers, where the GEMM form's transpose of dy is most of its time),
 * where at least {@link #MIN_USE} of the lanes are real, and with vectors of 16 lanes or more
 * (the tile's 24 accumulators, 4 dy vectors and an input need AVX-512's 32 registers).
 *
 * <p>Each filter block of FR filters is one work item, computed whole by one thread over the whole
 * batch, images in order, vectors in order; each cell's lanes are summed in lane order at the end.
 * So results are the same bits for any thread count, and a cell's arithmetic depends neither on
 * the filters nor on the channels beside it (a grown layer's old cells keep their bits).
 * A non-finite input can reach more cells than its own taps: the lanes past OW multiply inputs
 * of the next row by dy's zeros.
 */
final class CpuConvWeights {
    private CpuConvWeights() {
    }

    private static final VectorSpecies<Float> S = CpuMicroKernel.S;
    private static final int L = S.length();
    /** Filters and taps of a tile. */
    static final int FR = 4, TR = 6;
    /** The least share of real lanes (positions below OW) for which this form is used. */
    static final double MIN_USE = 0.8;
    /**
     * The largest patch for which this form is used. The GEMM form spreads its transpose of dy over
     * the taps and its packing over the filters, so it gains on larger patches. Against it, at
     * batch 64 (128 for LeNet's first layer) on one thread of an AVX-512 Xeon, JDK 17 and 25, this
     * form took: 0.72-0.73x the time on 1 -> 32 channels of 5 x 5 on 28 x 28 (P = 25), 0.29-0.31x
     * on 1 -> 16; 0.73-0.79x on 3 -> 32 of 3 x 3 on 32 x 32 padded (P = 27); 0.88-1.00x on 16 -> 32
     * on 16 x 16 (P = 144); but 1.13x on 32 -> 64 on 14 x 14 (P = 288) and 1.32x on 64 -> 64 on
     * 8 x 8 (P = 576), JDK 25.
     */
    static final int MAX_PATCH = 128;
    /**
     * Floats of dy copied per filter block at a time, as wide rows: about 16 KB, so that they stay
     * in L1 while every tap tile of the block reads them.
     */
    private static final int BLOCK_FLOATS = 4 * 1024;

    /**
     * Whether s's weight gradient is taken here: stride 1, 16 lanes or more, a patch of at most
     * {@link #MAX_PATCH} and {@link #MIN_USE} of the lanes real.
     */
    static boolean suits(ConvShape s) {
        return L >= 16 && s.stride() == 1 && s.patch() <= MAX_PATCH && realShare(s) >= MIN_USE;
    }

    /** Real positions over the lanes the wide positions take. */
    static double realShare(ConvShape s) {
        return (double) s.oh() * s.ow() / (vectors(s) * L);
    }

    private static int wp(ConvShape s) {
        return s.w() + 2 * s.pad();
    }

    /** V: vectors of wide positions per image. */
    private static int vectors(ConvShape s) {
        return ((s.oh() - 1) * wp(s) + s.ow() + L - 1) / L;
    }

    /**
     * dW [F, P] += sum_n dy_n * col_n^T on the cells outside {@code frozen}; with {@code db} not
     * null, also {@code db[f] += sum of dy[., f, .]} for f from {@code dbFrom}, each image's sum
     * taken as {@code CpuReduce.Vector.sum} does and the images added in order (the bits of
     * {@code CpuConv.Vector.biasGradient}). Any stride-1 shape works; {@link #suits} says where it
     * is the faster form.
     */
    static void backwardWeights(Parallel par, ConvShape s, float[] x, float[] dy, float[] dw, int lddw,
                                FrozenBlock frozen, float[] db, int dbFrom) {
        if (s.stride() != 1) {
            throw new IllegalArgumentException("the weight gradient by lanes needs stride 1, got " + s);
        }
        int wp = wp(s), hp = s.h() + 2 * s.pad(), plane = hp * wp, patch = s.patch();
        int[] tapOff = CpuConvLayout.tapOffsets(s, plane, wp, 1);
        int vectors = vectors(s), row = vectors * L;
        // an image's padded copy, with room for the last tap's whole vectors past its planes
        int image = Math.max(s.c() * plane, tapOff[patch - 1] + row);
        float[] xp = Scratch.get(Scratch.IMAGES, s.n() * image);
        par.forRange(s.n(), 1, (lo, hi) -> {
            for (int n = lo; n < hi; n++) {
                CpuConvLayout.padImage(s, x, n, xp, n * image, wp, plane, image);
            }
        });
        int blocks = (s.f() + FR - 1) / FR, tapTiles = (patch + TR - 1) / TR;
        int images = Math.max(1, Math.min(s.n(), BLOCK_FLOATS / (FR * row)));
        float[] sums = db == null ? null : Scratch.get(Scratch.SUMS, s.n() * s.f());
        par.forRange(blocks, 1, (lo, hi) -> {
            float[] dyw = Scratch.get(Scratch.DY_BLOCK, images * FR * row);
            float[] acc = Scratch.get(Scratch.LANE_SUMS, tapTiles * FR * TR * L);
            int[] taps = new int[TR];
            for (int fb = lo; fb < hi; fb++) {
                int f0 = fb * FR, fLast = Math.min(f0 + FR, s.f()) - 1;
                // tap tiles whose bottom-right cell is frozen hold no trainable cell
                int first = 0;
                while (first < tapTiles && frozen.contains(fLast, Math.min(first * TR + TR, patch) - 1)) {
                    first++;
                }
                if (first == tapTiles && (sums == null || fLast < dbFrom)) {
                    continue;
                }
                Arrays.fill(acc, first * FR * TR * L, tapTiles * FR * TR * L, 0f);
                for (int n0 = 0; n0 < s.n(); n0 += images) {
                    int count = Math.min(images, s.n() - n0);
                    for (int i = 0; i < count; i++) {
                        widen(s, dy, n0 + i, f0, dyw, i * FR * row, wp, row);
                        if (sums != null) {
                            CpuConv.Vector.imageSums(s, dy, n0 + i, Math.max(f0, dbFrom), fLast + 1, sums);
                        }
                    }
                    for (int t = first; t < tapTiles; t++) {
                        for (int j = 0; j < TR; j++) {
                            // taps past P read the last tap again; their cells are not kept
                            taps[j] = tapOff[Math.min(t * TR + j, patch - 1)];
                        }
                        for (int i = 0; i < count; i++) {
                            tile(row, xp, (n0 + i) * image, taps, dyw, i * FR * row, acc, t * FR * TR * L);
                        }
                    }
                }
                for (int fi = 0; fi < FR && f0 + fi < s.f(); fi++) {
                    int f = f0 + fi;
                    for (int p = frozen.firstTrainableColumn(f, patch); p < patch; p++) {
                        int cell = (p / TR * FR * TR + fi * TR + p % TR) * L;
                        float sum = 0f;
                        for (int l = 0; l < L; l++) {
                            sum += acc[cell + l];
                        }
                        dw[f * lddw + p] += sum;
                    }
                }
            }
        });
        if (sums != null) {
            CpuConv.Vector.addImageSums(s, sums, db, dbFrom);
        }
    }

    /**
     * Filters f0 .. f0 + FR of image n of dy [N, F, OH, OW] into dst[off ..] at their wide positions,
     * [FR][row]: output (oh, ow) at oh*wp + ow, zeros elsewhere and for filters past F. Row by row
     * with arraycopy: whole vectors, their extra lanes then zeroed, ran 20% slower (conv 1 -> 32 of
     * 5 x 5 on 28 x 28, JDK 25), where this copy is a third of the time: it is the one read of dy.
     */
    private static void widen(ConvShape s, float[] dy, int n, int f0, float[] dst, int off, int wp, int row) {
        Arrays.fill(dst, off, off + FR * row, 0f);
        int oh = s.oh(), ow = s.ow(), spatial = oh * ow;
        for (int fi = 0; fi < FR && f0 + fi < s.f(); fi++) {
            int src = n * s.outPerImage() + (f0 + fi) * spatial, d = off + fi * row;
            for (int r = 0; r < oh; r++) {
                System.arraycopy(dy, src + r * ow, dst, d + r * wp, ow);
            }
        }
    }

    /**
     * One tile over one image: for each of FR x TR cells (filter fi of the rows of dyw at dyOff,
     * {@code row} floats apart; tap j at {@code taps[j]} past xOff in xp),
     * {@code acc[cell] += dyw[fi][q ..] * xp[taps[j] + q ..]} lane by lane over the row's vectors
     * q; cell (fi, j) at {@code acc[accOff + (fi*TR + j)*L]}. One image a call: with the images'
     * loop around the vectors' inside it, JDK 17 kept the 24 accumulators as objects (2 GFLOP/s
     * against 55 on one core of an AVX-512 Xeon).
     */
    private static void tile(int row, float[] xp, int xOff, int[] taps, float[] dyw, int dyOff, float[] acc, int accOff) {
        Objects.checkFromIndexSize(accOff, FR * TR * L, acc.length);
        Objects.checkFromIndexSize(dyOff, FR * row, dyw.length);
        int t0 = taps[0], t1 = taps[1], t2 = taps[2], t3 = taps[3], t4 = taps[4], t5 = taps[5];
        Objects.checkFromIndexSize(xOff + Math.max(Math.max(Math.max(t0, t1), Math.max(t2, t3)), Math.max(t4, t5)),
                row, xp.length);
        Objects.checkFromIndexSize(xOff + Math.min(Math.min(Math.min(t0, t1), Math.min(t2, t3)), Math.min(t4, t5)),
                row, xp.length);
        FloatVector a00 = FloatVector.fromArray(S, acc, accOff), a01 = FloatVector.fromArray(S, acc, accOff + L);
        FloatVector a02 = FloatVector.fromArray(S, acc, accOff + 2 * L), a03 = FloatVector.fromArray(S, acc, accOff + 3 * L);
        FloatVector a04 = FloatVector.fromArray(S, acc, accOff + 4 * L), a05 = FloatVector.fromArray(S, acc, accOff + 5 * L);
        FloatVector a10 = FloatVector.fromArray(S, acc, accOff + 6 * L), a11 = FloatVector.fromArray(S, acc, accOff + 7 * L);
        FloatVector a12 = FloatVector.fromArray(S, acc, accOff + 8 * L), a13 = FloatVector.fromArray(S, acc, accOff + 9 * L);
        FloatVector a14 = FloatVector.fromArray(S, acc, accOff + 10 * L), a15 = FloatVector.fromArray(S, acc, accOff + 11 * L);
        FloatVector a20 = FloatVector.fromArray(S, acc, accOff + 12 * L), a21 = FloatVector.fromArray(S, acc, accOff + 13 * L);
        FloatVector a22 = FloatVector.fromArray(S, acc, accOff + 14 * L), a23 = FloatVector.fromArray(S, acc, accOff + 15 * L);
        FloatVector a24 = FloatVector.fromArray(S, acc, accOff + 16 * L), a25 = FloatVector.fromArray(S, acc, accOff + 17 * L);
        FloatVector a30 = FloatVector.fromArray(S, acc, accOff + 18 * L), a31 = FloatVector.fromArray(S, acc, accOff + 19 * L);
        FloatVector a32 = FloatVector.fromArray(S, acc, accOff + 20 * L), a33 = FloatVector.fromArray(S, acc, accOff + 21 * L);
        FloatVector a34 = FloatVector.fromArray(S, acc, accOff + 22 * L), a35 = FloatVector.fromArray(S, acc, accOff + 23 * L);
        for (int q = 0; q < row; q += L) {
            FloatVector d0 = FloatVector.fromArray(S, dyw, dyOff + q);
            FloatVector d1 = FloatVector.fromArray(S, dyw, dyOff + row + q);
            FloatVector d2 = FloatVector.fromArray(S, dyw, dyOff + 2 * row + q);
            FloatVector d3 = FloatVector.fromArray(S, dyw, dyOff + 3 * row + q);
            FloatVector v = FloatVector.fromArray(S, xp, xOff + t0 + q);
            a00 = d0.fma(v, a00);
            a10 = d1.fma(v, a10);
            a20 = d2.fma(v, a20);
            a30 = d3.fma(v, a30);
            v = FloatVector.fromArray(S, xp, xOff + t1 + q);
            a01 = d0.fma(v, a01);
            a11 = d1.fma(v, a11);
            a21 = d2.fma(v, a21);
            a31 = d3.fma(v, a31);
            v = FloatVector.fromArray(S, xp, xOff + t2 + q);
            a02 = d0.fma(v, a02);
            a12 = d1.fma(v, a12);
            a22 = d2.fma(v, a22);
            a32 = d3.fma(v, a32);
            v = FloatVector.fromArray(S, xp, xOff + t3 + q);
            a03 = d0.fma(v, a03);
            a13 = d1.fma(v, a13);
            a23 = d2.fma(v, a23);
            a33 = d3.fma(v, a33);
            v = FloatVector.fromArray(S, xp, xOff + t4 + q);
            a04 = d0.fma(v, a04);
            a14 = d1.fma(v, a14);
            a24 = d2.fma(v, a24);
            a34 = d3.fma(v, a34);
            v = FloatVector.fromArray(S, xp, xOff + t5 + q);
            a05 = d0.fma(v, a05);
            a15 = d1.fma(v, a15);
            a25 = d2.fma(v, a25);
            a35 = d3.fma(v, a35);
        }
        a00.intoArray(acc, accOff);
        a01.intoArray(acc, accOff + L);
        a02.intoArray(acc, accOff + 2 * L);
        a03.intoArray(acc, accOff + 3 * L);
        a04.intoArray(acc, accOff + 4 * L);
        a05.intoArray(acc, accOff + 5 * L);
        a10.intoArray(acc, accOff + 6 * L);
        a11.intoArray(acc, accOff + 7 * L);
        a12.intoArray(acc, accOff + 8 * L);
        a13.intoArray(acc, accOff + 9 * L);
        a14.intoArray(acc, accOff + 10 * L);
        a15.intoArray(acc, accOff + 11 * L);
        a20.intoArray(acc, accOff + 12 * L);
        a21.intoArray(acc, accOff + 13 * L);
        a22.intoArray(acc, accOff + 14 * L);
        a23.intoArray(acc, accOff + 15 * L);
        a24.intoArray(acc, accOff + 16 * L);
        a25.intoArray(acc, accOff + 17 * L);
        a30.intoArray(acc, accOff + 18 * L);
        a31.intoArray(acc, accOff + 19 * L);
        a32.intoArray(acc, accOff + 20 * L);
        a33.intoArray(acc, accOff + 21 * L);
        a34.intoArray(acc, accOff + 22 * L);
        a35.intoArray(acc, accOff + 23 * L);
    }
}
