package dev.expanse.kernels.cpu;

import dev.expanse.kernels.PoolShape;

/**
 * Max-pool forward and backward; see {@link dev.expanse.kernels.Backend#maxPoolForward}.
 * x is [N, C, H, W], y and dy are [N, C, OH, OW]. A window's maximum is its first element in
 * row-major order that no later element exceeds (comparisons with {@code >}), so forward and
 * backward agree on ties and the backward routes to the first maximum.
 */
final class Pool {
    private Pool() {
    }

    static void forwardScalar(PoolShape s, float[] x, float[] y) {
        int oh = s.oh(), ow = s.ow(), planes = s.n() * s.c();
        for (int p = 0; p < planes; p++) {
            for (int r = 0; r < oh; r++) {
                for (int q = 0; q < ow; q++) {
                    y[(p * oh + r) * ow + q] = x[windowArgmax(s, x, p, r, q)];
                }
            }
        }
    }

    static void forwardVector(Parallel par, PoolShape s, float[] x, float[] y) {
        forwardScalar(s, x, y);
    }

    static void backwardScalar(PoolShape s, float[] x, float[] dy, float[] dx) {
        int oh = s.oh(), ow = s.ow(), planes = s.n() * s.c();
        for (int p = 0; p < planes; p++) {
            for (int r = 0; r < oh; r++) {
                for (int q = 0; q < ow; q++) {
                    dx[windowArgmax(s, x, p, r, q)] += dy[(p * oh + r) * ow + q];
                }
            }
        }
    }

    static void backwardVector(Parallel par, PoolShape s, float[] x, float[] dy, float[] dx) {
        backwardScalar(s, x, dy, dx);
    }

    /** Index into x of the first maximum of the window of output (r, q) in plane p. */
    static int windowArgmax(PoolShape s, float[] x, int p, int r, int q) {
        int w = s.w(), k = s.k();
        int start = (p * s.h() + r * s.stride()) * w + q * s.stride();
        int best = start;
        float bestValue = x[start];
        for (int i = 0; i < k; i++) {
            int row = start + i * w;
            for (int j = 0; j < k; j++) {
                if (x[row + j] > bestValue) {
                    bestValue = x[row + j];
                    best = row + j;
                }
            }
        }
        return best;
    }
}
