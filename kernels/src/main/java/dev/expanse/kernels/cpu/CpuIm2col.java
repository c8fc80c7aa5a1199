package dev.expanse.kernels.cpu;

import dev.expanse.kernels.ConvShape;
import java.util.Arrays;

/**
 * The lowering of a convolution to GEMM used by the vector conv kernels ({@link CpuConv.Vector}):
 * im2col gathers the input taps of image n into a matrix {@code col [patch, OH*OW]}, col2im adds
 * such a matrix back onto the input. Legend as in {@link ConvShape}. The column matrix lives in a
 * per-thread scratch array, reused from call to call so that training loops make no garbage.
 */
final class CpuIm2col {
    private CpuIm2col() {
    }

    /** Per-thread im2col matrix [patch, OH*OW], grown on demand and reused across calls. */
    private static final ThreadLocal<float[]> COLUMNS = ThreadLocal.withInitial(() -> new float[0]);

    /** A 1x1 kernel with stride 1 and no padding: image n is its own im2col matrix [C, H*W]. */
    static boolean isPointwise(ConvShape s) {
        return s.kh() == 1 && s.kw() == 1 && s.stride() == 1 && s.pad() == 0;
    }

    /** This thread's scratch matrix, at least [patch, OH*OW]. */
    static float[] columns(ConvShape s) {
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
    static float[] im2col(ConvShape s, float[] x, int n) {
        float[] col = columns(s);
        im2colInto(s, x, n, col, 0);
        return col;
    }

    /** The im2col matrix of image n, [patch, OH*OW], written into col[off ..] (every entry, zeros included). */
    static void im2colInto(ConvShape s, float[] x, int n, float[] col, int off) {
        int oh = s.oh(), ow = s.ow(), stride = s.stride();
        int row = 0;
        for (int c = 0; c < s.c(); c++) {
            int plane = (n * s.c() + c) * s.h() * s.w();
            for (int i = 0; i < s.kh(); i++) {
                for (int j = 0; j < s.kw(); j++, row++) {
                    int q0 = firstInside(j, s.pad(), stride), q1 = endInside(j, s.pad(), stride, s.w(), ow);
                    for (int r = 0; r < oh; r++) {
                        int out = off + (row * oh + r) * ow;
                        int ih = r * stride - s.pad() + i;
                        if (ih < 0 || ih >= s.h() || q0 >= q1) {
                            Arrays.fill(col, out, out + ow, 0f);
                            continue;
                        }
                        Arrays.fill(col, out, out + q0, 0f);
                        int in = plane + ih * s.w() + q0 * stride - s.pad() + j;
                        if (stride == 1) {
                            CpuElementwise.Vector.copyRun(x, in, col, out + q0, q1 - q0);
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
    }

    /** The inverse scatter of {@link #im2col}: {@code dx[n, c, ih, iw] += col[...]} for every in-image entry. */
    static void col2imAdd(ConvShape s, float[] col, float[] dx, int n) {
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
                            CpuElementwise.Vector.addInto(q1 - q0, col, out + q0, dx, in);
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
}
