package dev.expanse.kernels.cpu;

import dev.expanse.kernels.ConvShape;

/**
 * 2-D convolution (cross-correlation, zero padding) forward and both backward kernels; see
 * {@link dev.expanse.kernels.Backend#conv2dForward}.
 *
 * <p>Legend as in {@link ConvShape}: x is [N, C, H, W], y and dy are [N, F, OH, OW], W and dW are
 * [F, C*KH*KW] with leading dimensions ldw and lddw, column {@code c*KH*KW + i*KW + j} holding
 * tap (i, j) of channel c.
 */
final class Conv {
    private Conv() {
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

    static void forwardVector(Parallel par, ConvShape s, float[] x, float[] w, int ldw, float[] bias, float[] y) {
        forwardScalar(s, x, w, ldw, bias, y);
    }

    static void backwardDataVector(Parallel par, ConvShape s, float[] dy, float[] w, int ldw, float[] dx) {
        backwardDataScalar(s, dy, w, ldw, dx);
    }

    static void backwardWeightsVector(Parallel par, ConvShape s, float[] x, float[] dy, float[] dw, int lddw,
                                      float[] db, int frozenRows, int frozenCols) {
        backwardWeightsScalar(s, x, dy, dw, lddw, db, frozenRows, frozenCols);
    }

    // ---------------------------------------------------------------- indexing

    private static int weightColumn(ConvShape s, int c, int i, int j) {
        return (c * s.kh() + i) * s.kw() + j;
    }

    private static int inputIndex(ConvShape s, int n, int c, int ih, int iw) {
        return ((n * s.c() + c) * s.h() + ih) * s.w() + iw;
    }
}
