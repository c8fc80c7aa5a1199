package dev.expanse.kernels.cpu;

import dev.expanse.kernels.ConvShape;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * 2-D convolution (cross-correlation, zero padding) forward and both backward kernels; see
 * {@link dev.expanse.kernels.Backend#conv2dForward}.
 *
 * <p>Legend as in {@link ConvShape}: x is [N, C, H, W], y and dy are [N, F, OH, OW], W and dW are
 * [F, C*KH*KW] with leading dimensions ldw and lddw, column {@code c*KH*KW + i*KW + j} holding
 * tap (i, j) of channel c.
 */
final class CpuConv {
    private CpuConv() {
    }

    // ---------------------------------------------------------------- scalar reference

    /** {@code y[n,f,oh,ow] = bias[f] + sum_{c,i,j} W[f, c,i,j] * x[n, c, oh*s-pad+i, ow*s-pad+j]}. */
    static void forwardScalar(ConvShape s, float[] x, float[] w, int ldw, float[] bias, float[] y) {
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
    static void backwardDataScalar(ConvShape s, float[] dy, float[] w, int ldw, float[] dx) {
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
     * {@code dW[f, c,i,j] += sum_{n,oh,ow} dy[n,f,oh,ow] * x[n, c, oh*s-pad+i, ow*s-pad+j]} and
     * {@code db[f] += sum_{n,oh,ow} dy[n,f,oh,ow]}, skipping the frozen cells (f < frozenRows and
     * column < frozenCols) and db[f] for f < frozenRows. db may be null.
     */
    static void backwardWeightsScalar(ConvShape s, float[] x, float[] dy, float[] dw, int lddw, float[] db,
                                      int frozenRows, int frozenCols) {
        int oh = s.oh(), ow = s.ow();
        for (int f = 0; f < s.f(); f++) {
            boolean frozenRow = f < frozenRows;
            for (int c = 0; c < s.c(); c++) {
                for (int i = 0; i < s.kh(); i++) {
                    for (int j = 0; j < s.kw(); j++) {
                        int col = weightColumn(s, c, i, j);
                        if (frozenRow && col < frozenCols) {
                            continue;
                        }
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
                        dw[f * lddw + col] += acc;
                    }
                }
            }
            if (db != null && !frozenRow) {
                float acc = 0f;
                for (int n = 0; n < s.n(); n++) {
                    int base = (n * s.f() + f) * oh * ow;
                    for (int o = 0; o < oh * ow; o++) {
                        acc += dy[base + o];
                    }
                }
                db[f] += acc;
            }
        }
    }

    // ---------------------------------------------------------------- Vector API

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Runs the per-image GEMMs of a batch-parallel loop on their own thread, so pools never nest. */
    private static final Parallel SERIAL = new Parallel(1);
    /** Per-thread im2col matrix [patch, OH*OW], grown on demand and reused across calls. */
    private static final ThreadLocal<float[]> COLUMNS = ThreadLocal.withInitial(() -> new float[0]);

    /**
     * Per image n: {@code y_n [F, OH*OW] = W [F, patch] * col_n [patch, OH*OW] + bias}, where col_n
     * is the im2col matrix of image n. Images are split over threads; a single image gives all
     * threads to its GEMM instead.
     */
    static void forwardVector(Parallel par, ConvShape s, float[] x, float[] w, int ldw, float[] bias, float[] y) {
        if (s.n() == 0 || s.f() == 0) {
            return;
        }
        forEachImage(par, s, (n, gemmPar) -> {
            int spatial = s.oh() * s.ow(), yOff = n * s.outPerImage();
            float[] col = isPointwise(s) ? x : im2col(s, x, n);
            int colOff = isPointwise(s) ? n * s.inPerImage() : 0;
            CpuGemm.vector(gemmPar, false, false, s.f(), spatial, s.patch(), 1f, w, 0, ldw, col, colOff, spatial,
                    0f, y, yOff, spatial);
            if (bias != null) {
                for (int f = 0; f < s.f(); f++) {
                    addConstant(y, yOff + f * spatial, spatial, bias[f]);
                }
            }
        });
    }

    /**
     * Per image n: {@code col = W^T [patch, F] * dy_n [F, OH*OW]}, then col2im adds every entry of
     * col back onto the input pixel it was gathered from.
     */
    static void backwardDataVector(Parallel par, ConvShape s, float[] dy, float[] w, int ldw, float[] dx) {
        if (s.n() == 0 || s.f() == 0) {
            return;
        }
        forEachImage(par, s, (n, gemmPar) -> {
            int spatial = s.oh() * s.ow(), dyOff = n * s.outPerImage();
            if (isPointwise(s)) {
                // col is dx_n itself: accumulate in place with beta = 1
                CpuGemm.vector(gemmPar, true, false, s.patch(), spatial, s.f(), 1f, w, 0, ldw, dy, dyOff, spatial,
                        1f, dx, n * s.inPerImage(), spatial);
                return;
            }
            float[] col = columns(s);
            CpuGemm.vector(gemmPar, true, false, s.patch(), spatial, s.f(), 1f, w, 0, ldw, dy, dyOff, spatial,
                    0f, col, 0, spatial);
            col2imAdd(s, col, dx, n);
        });
    }

    /**
     * {@code dW += sum_n dy_n [F, OH*OW] * col_n^T [OH*OW, patch]} and {@code db[f] += sum of dy[., f, .]}.
     * The frozen block is skipped by two GEMMs: rows [frozenRows, F) over all columns, and rows
     * [0, frozenRows) over columns [frozenCols, patch). Each chunk of images sums into its own
     * buffer (the first chunk straight into dW), and the buffers are added in chunk order, so the
     * result is reproducible for a fixed thread count.
     */
    static void backwardWeightsVector(Parallel par, ConvShape s, float[] x, float[] dy, float[] dw, int lddw,
                                      float[] db, int frozenRows, int frozenCols) {
        if (s.n() == 0 || s.f() == 0) {
            return;
        }
        int fr = Math.min(frozenRows, s.f()), fc = Math.min(frozenCols, s.patch());
        if (fr == s.f() && fc == s.patch()) {
            // the whole weight matrix is frozen, and so is the bias
            return;
        }
        if (s.n() == 1) {
            accumulateWeights(par, s, x, dy, 0, 1, dw, lddw, fr, fc);
        } else {
            float[][] partials = new float[s.n()][];
            par.forRange(s.n(), imagesPerChunk(s), (lo, hi) -> {
                if (lo == 0) {
                    accumulateWeights(SERIAL, s, x, dy, lo, hi, dw, lddw, fr, fc);
                } else {
                    float[] partial = new float[s.f() * s.patch()];
                    accumulateWeights(SERIAL, s, x, dy, lo, hi, partial, s.patch(), fr, fc);
                    partials[lo] = partial;
                }
            });
            for (float[] partial : partials) {
                if (partial != null) {
                    addTrainable(s, partial, dw, lddw, fr, fc);
                }
            }
        }
        if (db != null) {
            biasGradient(par, s, dy, db, fr);
        }
    }

    /** {@code d[F, patch] (leading dimension ldd) += sum over images [lo, hi) of dy_n * col_n^T}, outside the frozen block. */
    private static void accumulateWeights(Parallel gemmPar, ConvShape s, float[] x, float[] dy, int lo, int hi,
                                          float[] d, int ldd, int fr, int fc) {
        int spatial = s.oh() * s.ow(), patch = s.patch();
        for (int n = lo; n < hi; n++) {
            float[] col = isPointwise(s) ? x : im2col(s, x, n);
            int colOff = isPointwise(s) ? n * s.inPerImage() : 0;
            int dyOff = n * s.outPerImage();
            if (fr < s.f()) {
                CpuGemm.vector(gemmPar, false, true, s.f() - fr, patch, spatial, 1f, dy, dyOff + fr * spatial, spatial,
                        col, colOff, spatial, 1f, d, fr * ldd, ldd);
            }
            if (fr > 0 && fc < patch) {
                CpuGemm.vector(gemmPar, false, true, fr, patch - fc, spatial, 1f, dy, dyOff, spatial,
                        col, colOff + fc * spatial, spatial, 1f, d, fc, ldd);
            }
        }
    }

    /** {@code dw += partial} [F, patch] outside the frozen block. */
    private static void addTrainable(ConvShape s, float[] partial, float[] dw, int lddw, int fr, int fc) {
        int patch = s.patch();
        for (int f = 0; f < s.f(); f++) {
            int c0 = f < fr ? fc : 0;
            CpuElementwise.addInto(patch - c0, partial, f * patch + c0, dw, f * lddw + c0);
        }
    }

    /** {@code db[f] += sum over n and positions of dy[n, f, .]} for f >= fr; one thread per filter range. */
    private static void biasGradient(Parallel par, ConvShape s, float[] dy, float[] db, int fr) {
        int spatial = s.oh() * s.ow();
        par.forRange(s.f() - fr, Math.max(1, CpuElementwise.GRAIN / (s.n() * spatial)), (lo, hi) -> {
            for (int f = fr + lo; f < fr + hi; f++) {
                float acc = 0f;
                for (int n = 0; n < s.n(); n++) {
                    acc += CpuReduce.sum(dy, n * s.outPerImage() + f * spatial, spatial);
                }
                db[f] += acc;
            }
        });
    }

    // ---------------------------------------------------------------- batch split, im2col, col2im

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

    /** A 1x1 kernel with stride 1 and no padding: image n is its own im2col matrix [C, H*W]. */
    private static boolean isPointwise(ConvShape s) {
        return s.kh() == 1 && s.kw() == 1 && s.stride() == 1 && s.pad() == 0;
    }

    /** This thread's scratch matrix, at least [patch, OH*OW]. */
    private static float[] columns(ConvShape s) {
        int size = s.patch() * s.oh() * s.ow();
        float[] col = COLUMNS.get();
        if (col.length < size) {
            col = new float[size];
            COLUMNS.set(col);
        }
        return col;
    }

    /**
     * Fills this thread's scratch with the im2col matrix of image n and returns it:
     * {@code col[(c*KH + i)*KW + j][oh*OW + ow] = x[n, c, oh*s - pad + i, ow*s - pad + j]}, 0 in the padding.
     */
    private static float[] im2col(ConvShape s, float[] x, int n) {
        float[] col = columns(s);
        int oh = s.oh(), ow = s.ow(), stride = s.stride();
        int row = 0;
        for (int c = 0; c < s.c(); c++) {
            int plane = (n * s.c() + c) * s.h() * s.w();
            for (int i = 0; i < s.kh(); i++) {
                for (int j = 0; j < s.kw(); j++, row++) {
                    int q0 = firstInside(j, s.pad(), stride), q1 = endInside(j, s.pad(), stride, s.w(), ow);
                    for (int r = 0; r < oh; r++) {
                        int out = (row * oh + r) * ow;
                        int ih = r * stride - s.pad() + i;
                        if (ih < 0 || ih >= s.h() || q0 >= q1) {
                            Arrays.fill(col, out, out + ow, 0f);
                            continue;
                        }
                        Arrays.fill(col, out, out + q0, 0f);
                        int in = plane + ih * s.w() + q0 * stride - s.pad() + j;
                        if (stride == 1) {
                            System.arraycopy(x, in, col, out + q0, q1 - q0);
                        } else {
                            for (int q = q0; q < q1; q++, in += stride) {
                                col[out + q] = x[in];
                            }
                        }
                        Arrays.fill(col, out + q1, out + ow, 0f);
                    }
                }
            }
        }
        return col;
    }

    /** The inverse scatter of {@link #im2col}: {@code dx[n, c, ih, iw] += col[...]} for every in-image entry. */
    private static void col2imAdd(ConvShape s, float[] col, float[] dx, int n) {
        int oh = s.oh(), ow = s.ow(), stride = s.stride();
        int row = 0;
        for (int c = 0; c < s.c(); c++) {
            int plane = (n * s.c() + c) * s.h() * s.w();
            for (int i = 0; i < s.kh(); i++) {
                for (int j = 0; j < s.kw(); j++, row++) {
                    int q0 = firstInside(j, s.pad(), stride), q1 = endInside(j, s.pad(), stride, s.w(), ow);
                    for (int r = 0; r < oh; r++) {
                        int ih = r * stride - s.pad() + i;
                        if (ih < 0 || ih >= s.h() || q0 >= q1) {
                            continue;
                        }
                        int out = (row * oh + r) * ow;
                        int in = plane + ih * s.w() + q0 * stride - s.pad() + j;
                        if (stride == 1) {
                            CpuElementwise.addInto(q1 - q0, col, out + q0, dx, in);
                        } else {
                            for (int q = q0; q < q1; q++, in += stride) {
                                dx[in] += col[out + q];
                            }
                        }
                    }
                }
            }
        }
    }

    /** First output column q whose tap j lands inside the image: q*stride - pad + j >= 0. */
    private static int firstInside(int j, int pad, int stride) {
        return Math.max(0, (pad - j + stride - 1) / stride);
    }

    /** One past the last output column q whose tap j lands inside the image: q*stride - pad + j < w. */
    private static int endInside(int j, int pad, int stride, int w, int ow) {
        int last = w - 1 + pad - j;
        return last < 0 ? 0 : Math.min(ow, last / stride + 1);
    }

    /** {@code y[off .. off+n) += value}. */
    private static void addConstant(float[] y, int off, int n, float value) {
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += S.length()) {
            FloatVector.fromArray(S, y, off + i).add(value).intoArray(y, off + i);
        }
        for (; i < n; i++) {
            y[off + i] += value;
        }
    }

    // ---------------------------------------------------------------- indexing

    private static int weightColumn(ConvShape s, int c, int i, int j) {
        return (c * s.kh() + i) * s.kw() + j;
    }

    private static int inputIndex(ConvShape s, int n, int c, int ih, int iw) {
        return ((n * s.c() + c) * s.h() + ih) * s.w() + iw;
    }
}
