package dev.expanse.kernels.cpu;

import dev.expanse.kernels.ConvShape;
import dev.expanse.kernels.FrozenBlock;

/**
 * 2-D convolution (cross-correlation, zero padding) forward and both backward kernels; see
 * {@link dev.expanse.kernels.Backend#conv2dForward}.
 *
 * <p>Legend as in {@link ConvShape}: x is [N, C, H, W], y and dy are [N, F, OH, OW], W and dW are
 * [F, C*KH*KW] with leading dimensions ldw and lddw, column {@code c*KH*KW + i*KW + j} holding
 * tap (i, j) of channel c.
 *
 * <p>Scalar twins: {@link #forward}, {@link #backwardData} and {@link #backwardWeights}, direct
 * loops over the taps. The vector twins ({@link Vector}) lower each image to GEMM through im2col
 * ({@link CpuIm2col}), so they sum in another order and agree with the scalar ones to rounding;
 * they are bit-identical to themselves for any thread count (forward and backward data) or for a
 * fixed thread count (backward weights).
 *
 * <p>The weight gradient skips the cells of its {@link FrozenBlock} (it computes its two trainable
 * rectangles, {@link FrozenBlock#below} and {@link FrozenBlock#right}); the bias gradient has its
 * own block and skips only that block's rows, whatever the weight's block.
 */
final class CpuConv {
    private CpuConv() {
    }

    /** {@code y[n,f,oh,ow] = bias[f] + sum_{c,i,j} W[f, c,i,j] * x[n, c, oh*s-pad+i, ow*s-pad+j]}. */
    static void forward(ConvShape s, float[] x, float[] w, int ldw, float[] bias, float[] y) {
        int oh = s.oh(), ow = s.ow();
        for (int n = 0; n < s.n(); n++) {
            for (int f = 0; f < s.f(); f++) {
                for (int r = 0; r < oh; r++) {
                    for (int q = 0; q < ow; q++) {
                        float acc = 0f;
                        for (int c = 0; c < s.c(); c++) {
                            for (int i = 0; i < s.kh(); i++) {
                                int ih = r * s.stride() - s.pad() + i;
                                if (ih < 0 || ih >= s.h()) {
                                    continue;
                                }
                                for (int j = 0; j < s.kw(); j++) {
                                    int iw = q * s.stride() - s.pad() + j;
                                    if (iw < 0 || iw >= s.w()) {
                                        continue;
                                    }
                                    acc += w[f * ldw + weightColumn(s, c, i, j)] * x[inputIndex(s, n, c, ih, iw)];
                                }
                            }
                        }
                        y[((n * s.f() + f) * oh + r) * ow + q] = bias == null ? acc : acc + bias[f];
                    }
                }
            }
        }
    }

    /** {@code dx[n,c,ih,iw] += sum over the outputs (f, oh, ow) that tap it of W * dy}. */
    static void backwardData(ConvShape s, float[] dy, float[] w, int ldw, float[] dx) {
        int oh = s.oh(), ow = s.ow();
        for (int n = 0; n < s.n(); n++) {
            for (int f = 0; f < s.f(); f++) {
                for (int r = 0; r < oh; r++) {
                    for (int q = 0; q < ow; q++) {
                        float g = dy[((n * s.f() + f) * oh + r) * ow + q];
                        for (int c = 0; c < s.c(); c++) {
                            for (int i = 0; i < s.kh(); i++) {
                                int ih = r * s.stride() - s.pad() + i;
                                if (ih < 0 || ih >= s.h()) {
                                    continue;
                                }
                                for (int j = 0; j < s.kw(); j++) {
                                    int iw = q * s.stride() - s.pad() + j;
                                    if (iw < 0 || iw >= s.w()) {
                                        continue;
                                    }
                                    dx[inputIndex(s, n, c, ih, iw)] += w[f * ldw + weightColumn(s, c, i, j)] * g;
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * {@code dW[f, c,i,j] += sum_{n,oh,ow} dy[n,f,oh,ow] * x[n, c, oh*s-pad+i, ow*s-pad+j]} on the cells
     * outside {@code dwFrozen}, and {@code db[f] += sum_{n,oh,ow} dy[n,f,oh,ow]} on the rows of db
     * below {@code dbFrozen}. db may be null.
     */
    static void backwardWeights(ConvShape s, float[] x, float[] dy, float[] dw, int lddw, FrozenBlock dwFrozen,
                                float[] db, FrozenBlock dbFrozen) {
        for (FrozenBlock.Rect t : trainable(s, dwFrozen)) {
            for (int f = t.row(); f < t.row() + t.rows(); f++) {
                for (int col = t.col(); col < t.col() + t.cols(); col++) {
                    dw[f * lddw + col] += weightGradient(s, x, dy, f, col);
                }
            }
        }
        if (db != null) {
            for (int f = dbFrozen.firstTrainableRow(0, s.f()); f < s.f(); f++) {
                float acc = 0f;
                for (int n = 0; n < s.n(); n++) {
                    int base = (n * s.f() + f) * s.oh() * s.ow();
                    acc = CpuReduce.accumulate(acc, dy, base, base + s.oh() * s.ow());
                }
                db[f] += acc;
            }
        }
    }

    /** {@code sum_{n,oh,ow} dy[n,f,oh,ow] * x[n, c, oh*s-pad+i, ow*s-pad+j]} for weight column col = (c, i, j). */
    private static float weightGradient(ConvShape s, float[] x, float[] dy, int f, int col) {
        int oh = s.oh(), ow = s.ow();
        int c = col / (s.kh() * s.kw()), i = col / s.kw() % s.kh(), j = col % s.kw();
        float acc = 0f;
        for (int n = 0; n < s.n(); n++) {
            for (int r = 0; r < oh; r++) {
                int ih = r * s.stride() - s.pad() + i;
                if (ih < 0 || ih >= s.h()) {
                    continue;
                }
                for (int q = 0; q < ow; q++) {
                    int iw = q * s.stride() - s.pad() + j;
                    if (iw < 0 || iw >= s.w()) {
                        continue;
                    }
                    acc += dy[((n * s.f() + f) * oh + r) * ow + q] * x[inputIndex(s, n, c, ih, iw)];
                }
            }
        }
        return acc;
    }

    /** The trainable rectangles of a weight gradient [F, patch]: below the frozen block, then right of it. */
    static FrozenBlock.Rect[] trainable(ConvShape s, FrozenBlock frozen) {
        return new FrozenBlock.Rect[] {frozen.below(s.f(), s.patch()), frozen.right(s.f(), s.patch())};
    }

    private static int weightColumn(ConvShape s, int c, int i, int j) {
        return (c * s.kh() + i) * s.kw() + j;
    }

    private static int inputIndex(ConvShape s, int n, int c, int ih, int iw) {
        return ((n * s.c() + c) * s.h() + ih) * s.w() + iw;
    }

    /** The Vector API twins: im2col and the packed GEMM per image. */
    static final class Vector {
        private Vector() {
        }

        /** Runs the per-image GEMMs of a batch-parallel loop on their own thread, so pools never nest. */
        private static final Parallel SERIAL = new Parallel(1);

        /**
         * Per image n: {@code y_n [F, OH*OW] = W [F, patch] * col_n [patch, OH*OW] + bias}, where col_n
         * is the im2col matrix of image n. Images are split over threads; a single image gives all
         * threads to its GEMM instead.
         */
        static void forward(Parallel par, ConvShape s, float[] x, float[] w, int ldw, float[] bias, float[] y) {
            if (s.n() == 0 || s.f() == 0) {
                return;
            }
            if (s.stride() == 1) {
                CpuConvImplicit.forward(par, s, x, w, ldw, bias, y);
                return;
            }
            forEachImage(par, s, (n, gemmPar) -> {
                int spatial = s.oh() * s.ow(), yOff = n * s.outPerImage();
                float[] col = CpuIm2col.isPointwise(s) ? x : CpuIm2col.im2col(s, x, n);
                int colOff = CpuIm2col.isPointwise(s) ? n * s.inPerImage() : 0;
                CpuGemm.Vector.gemm(gemmPar, false, false, s.f(), spatial, s.patch(), 1f, w, 0, ldw, col, colOff, spatial,
                        0f, y, yOff, spatial);
                if (bias != null) {
                    for (int f = 0; f < s.f(); f++) {
                        CpuElementwise.Vector.addConstant(y, yOff + f * spatial, spatial, bias[f]);
                    }
                }
            });
        }

        /**
         * Per image n: {@code col = W^T [patch, F] * dy_n [F, OH*OW]}, then col2im adds every entry of
         * col back onto the input pixel it was gathered from.
         */
        static void backwardData(Parallel par, ConvShape s, float[] dy, float[] w, int ldw, float[] dx) {
            if (s.n() == 0 || s.f() == 0) {
                return;
            }
            if (s.stride() == 1) {
                CpuConvImplicit.backwardData(par, s, dy, w, ldw, dx);
                return;
            }
            forEachImage(par, s, (n, gemmPar) -> {
                int spatial = s.oh() * s.ow(), dyOff = n * s.outPerImage();
                if (CpuIm2col.isPointwise(s)) {
                    // col is dx_n itself: accumulate in place with beta = 1
                    CpuGemm.Vector.gemm(gemmPar, true, false, s.patch(), spatial, s.f(), 1f, w, 0, ldw, dy, dyOff, spatial,
                            1f, dx, n * s.inPerImage(), spatial);
                    return;
                }
                float[] col = CpuIm2col.columns(s);
                CpuGemm.Vector.gemm(gemmPar, true, false, s.patch(), spatial, s.f(), 1f, w, 0, ldw, dy, dyOff, spatial,
                        0f, col, 0, spatial);
                CpuIm2col.col2imAdd(s, col, dx, n);
            });
        }

        /**
         * {@code dW += sum_n dy_n [F, OH*OW] * col_n^T [OH*OW, patch]} outside {@code dwFrozen}, and
         * {@code db[f] += sum of dy[., f, .]} for the rows of db below {@code dbFrozen}. The frozen
         * weight block is skipped by one GEMM per trainable rectangle. Each chunk of images sums into
         * its own buffer (the first chunk straight into dW), and the buffers are added in chunk
         * order, so the result is reproducible for a fixed thread count.
         */
        static void backwardWeights(Parallel par, ConvShape s, float[] x, float[] dy, float[] dw, int lddw,
                                    FrozenBlock dwFrozen, float[] db, FrozenBlock dbFrozen) {
            if (s.n() == 0 || s.f() == 0) {
                return;
            }
            int dbFrom = dbFrozen.firstTrainableRow(0, s.f());
            boolean weights = !dwFrozen.coversAll(s.f(), s.patch());
            if (weights && s.stride() == 1) {
                // sums the bias too, from each image's dy while it is in cache for the weights
                // small patches with positions in the lanes, larger ones as a GEMM (see CpuConvWeights.MAX_PATCH)
                if (CpuConvWeights.suits(s)) {
                    CpuConvWeights.backwardWeights(par, s, x, dy, dw, lddw, dwFrozen, db, dbFrom);
                } else {
                    CpuConvImplicit.backwardWeights(par, s, x, dy, dw, lddw, dwFrozen, db, dbFrom);
                }
                return;
            }
            if (weights) {
                weightGradient(par, s, x, dy, dw, lddw, dwFrozen);
            }
            if (db != null) {
                biasGradient(par, s, dy, db, dbFrom);
            }
        }

        private static void weightGradient(Parallel par, ConvShape s, float[] x, float[] dy, float[] dw, int lddw,
                                           FrozenBlock frozen) {
            if (s.n() == 1) {
                accumulateWeights(par, s, x, dy, 0, 1, dw, lddw, frozen);
                return;
            }
            float[][] partials = new float[s.n()][];
            par.forRange(s.n(), imagesPerChunk(s), (lo, hi) -> {
                if (lo == 0) {
                    accumulateWeights(SERIAL, s, x, dy, lo, hi, dw, lddw, frozen);
                } else {
                    float[] partial = new float[s.f() * s.patch()];
                    accumulateWeights(SERIAL, s, x, dy, lo, hi, partial, s.patch(), frozen);
                    partials[lo] = partial;
                }
            });
            for (float[] partial : partials) {
                if (partial != null) {
                    for (int f = 0; f < s.f(); f++) {
                        int c0 = frozen.firstTrainableColumn(f, s.patch());
                        CpuElementwise.Vector.addInto(s.patch() - c0, partial, f * s.patch() + c0, dw, f * lddw + c0);
                    }
                }
            }
        }

        /**
         * {@code d[F, patch] (leading dimension ldd) += sum over images [lo, hi) of dy_n * col_n^T},
         * one GEMM per trainable rectangle.
         */
        private static void accumulateWeights(Parallel gemmPar, ConvShape s, float[] x, float[] dy, int lo, int hi,
                                              float[] d, int ldd, FrozenBlock frozen) {
            int spatial = s.oh() * s.ow();
            for (int n = lo; n < hi; n++) {
                float[] col = CpuIm2col.isPointwise(s) ? x : CpuIm2col.im2col(s, x, n);
                int colOff = CpuIm2col.isPointwise(s) ? n * s.inPerImage() : 0;
                int dyOff = n * s.outPerImage();
                for (FrozenBlock.Rect t : trainable(s, frozen)) {
                    if (!t.isEmpty()) {
                        CpuGemm.Vector.gemm(gemmPar, false, true, t.rows(), t.cols(), spatial, 1f,
                                dy, dyOff + t.row() * spatial, spatial, col, colOff + t.col() * spatial, spatial,
                                1f, d, t.row() * ldd + t.col(), ldd);
                    }
                }
            }
        }

        /** {@code db[f] += sum over n and positions of dy[n, f, .]} for f >= f0; one thread per filter range. */
        private static void biasGradient(Parallel par, ConvShape s, float[] dy, float[] db, int f0) {
            int spatial = s.oh() * s.ow();
            par.forRange(s.f() - f0, Math.max(1, CpuElementwise.GRAIN / (s.n() * spatial)), (lo, hi) -> {
                // images outer, so dy is read in order; each filter still adds its images' sums in image order
                float[] acc = new float[hi - lo];
                for (int n = 0; n < s.n(); n++) {
                    for (int f = f0 + lo; f < f0 + hi; f++) {
                        acc[f - f0 - lo] += CpuReduce.Vector.sum(dy, n * s.outPerImage() + f * spatial, spatial);
                    }
                }
                for (int f = f0 + lo; f < f0 + hi; f++) {
                    db[f] += acc[f - f0 - lo];
                }
            });
        }

        /**
         * {@code sums[n*F + f] = } the sum of dy[n, f, .] for f in [fLo, fHi), taken as
         * {@link #biasGradient} takes it: for the stride-1 weight gradients, which take each image's
         * sums while its dy is in cache.
         */
        static void imageSums(ConvShape s, float[] dy, int n, int fLo, int fHi, float[] sums) {
            int spatial = s.oh() * s.ow();
            for (int f = fLo; f < fHi; f++) {
                sums[n * s.f() + f] = CpuReduce.Vector.sum(dy, n * s.outPerImage() + f * spatial, spatial);
            }
        }

        /** {@code db[f] += } the images' {@link #imageSums} for f from f0, added in image order as {@link #biasGradient} does. */
        static void addImageSums(ConvShape s, float[] sums, float[] db, int f0) {
            for (int f = f0; f < s.f(); f++) {
                float sum = 0f;
                for (int n = 0; n < s.n(); n++) {
                    sum += sums[n * s.f() + f];
                }
                db[f] += sum;
            }
        }

        @FunctionalInterface
        private interface ImageBody {
            void run(int n, Parallel gemmPar);
        }

        /**
         * Runs {@code body} for every image. Several images: split over threads, each GEMM on its own
         * thread. One image: all threads go to its GEMM.
         */
        private static void forEachImage(Parallel par, ConvShape s, ImageBody body) {
            if (s.n() == 1) {
                body.run(0, par);
                return;
            }
            par.forRange(s.n(), imagesPerChunk(s), (lo, hi) -> {
                for (int n = lo; n < hi; n++) {
                    body.run(n, SERIAL);
                }
            });
        }

        /** Enough images per chunk for about 2^18 multiply-adds, so tiny batches stay on one thread. */
        private static int imagesPerChunk(ConvShape s) {
            long macs = (long) s.f() * s.patch() * s.oh() * s.ow();
            return (int) Math.max(1, (1L << 18) / Math.max(1, macs));
        }
    }
}
