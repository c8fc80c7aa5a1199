package dev.expanse.kernels.cpu;

import dev.expanse.kernels.PoolShape;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Max-pool forward and backward; see {@link dev.expanse.kernels.Backend#maxPoolForward}.
 * x is [N, C, H, W], y and dy are [N, C, OH, OW]. A window's maximum is its first element in
 * row-major order that no later element exceeds (comparisons with {@code >}), so forward and
 * backward agree on ties and the backward routes to the first maximum.
 *
 * <p>Scalar twins: {@link #forward} and {@link #backward}, built from {@link #forwardRange} and
 * {@link #backwardRange} over a range of one plane's outputs (row-major, OH*OW of them), which the
 * vector kernels call for the outputs that do not fill a vector. The vector twins put consecutive
 * outputs of a plane in the lanes, across output rows, and gather each window tap through a table
 * of window starts; they compare with the same {@code >}, so they match the scalar kernels bit for
 * bit; 2 x 2 windows moved by 2 (the usual pooling) take a path without gathers, splitting
 * rows into even and odd columns with lane shuffles. The species is a constant (the preferred
 * one, capped at 256 bits after JDK 17): with a species chosen at run time (say, a narrower one for short
 * rows) the JIT cannot compile the Vector API calls into vector
 * instructions and they run 10-50x slower. Work is split over planes (N*C), which own disjoint
 * parts of y and dx.
 */
final class CpuMaxPool {
    private CpuMaxPool() {
    }

    private static final int GRAIN = CpuElementwise.GRAIN;

    static void forward(PoolShape s, float[] x, float[] y) {
        for (int p = 0; p < s.n() * s.c(); p++) {
            forwardRange(s, x, y, p, 0, s.oh() * s.ow());
        }
    }

    /** {@code y[p, o]} = the maximum of window o (row-major over [OH, OW]) of plane p, for o in [lo, hi). */
    static void forwardRange(PoolShape s, float[] x, float[] y, int p, int lo, int hi) {
        int out = p * s.oh() * s.ow();
        for (int o = lo; o < hi; o++) {
            y[out + o] = x[windowArgmax(s, x, p, o / s.ow(), o % s.ow())];
        }
    }

    /** {@code dx[argmax of each window] += dy}, in window order; onto a zero-filled dx when not {@code accumulate}. */
    static void backward(PoolShape s, float[] x, float[] dy, float[] dx, boolean accumulate) {
        if (!accumulate) {
            Arrays.fill(dx, 0, s.n() * s.c() * s.h() * s.w(), 0f);
        }
        for (int p = 0; p < s.n() * s.c(); p++) {
            backwardRange(s, x, dy, dx, p, 0, s.oh() * s.ow());
        }
    }

    /** {@code dx[argmax of window o] += dy[p, o]}, in o order, for the outputs o in [lo, hi) of plane p. */
    static void backwardRange(PoolShape s, float[] x, float[] dy, float[] dx, int p, int lo, int hi) {
        int out = p * s.oh() * s.ow();
        for (int o = lo; o < hi; o++) {
            dx[windowArgmax(s, x, p, o / s.ow(), o % s.ow())] += dy[out + o];
        }
    }

    /** Index into x of the first maximum of the window of output (r, q) in plane p. */
    static int windowArgmax(PoolShape s, float[] x, int p, int r, int q) {
        int w = s.w(), k = s.k();
        int start = windowStart(s, p, r, q);
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

    /** Index into x of the top-left element of the window of output (r, q) in plane p. */
    static int windowStart(PoolShape s, int p, int r, int q) {
        return (p * s.h() + r * s.stride()) * s.w() + q * s.stride();
    }

    /** The Vector API twins. */
    static final class Vector {
        private Vector() {
        }

        /**
         * The preferred species, capped at 256 bits. Pooled rows are short (LeNet pools rows of 24
         * and 8 inputs into 12 and 4 outputs): with 16 lanes neither fills a vector nor half of one,
         * so every row fell to the scalar twin, and pooling took 40% of a LeNet step on an AVX-512
         * machine (JFR, JDK 25). A constant all the same, so the JIT compiles it. The preferred
         * species where a second one is not safe ({@link CpuMicroKernel#NARROW_SPECIES}); there rows
         * that fill neither a vector nor half of one take the gathering path.
         */
        private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED.vectorBitSize() > 256
                && CpuMicroKernel.NARROW_SPECIES ? FloatVector.SPECIES_256 : FloatVector.SPECIES_PREFERRED;
        private static final int L = S.length();
        /** Even lanes to the low half, odd lanes to the high half: [0, 2, 4, ..., 1, 3, 5, ...]. */
        private static final VectorShuffle<Float> EVENS_FIRST = VectorShuffle.fromOp(S, i -> i < L / 2 ? 2 * i : 2 * i - L + 1);
        /** The two halves swapped. */
        private static final VectorShuffle<Float> SWAP_HALVES = VectorShuffle.fromOp(S, i -> (i + L / 2) % L);
        /** Lane k to window k / 2 of the low half of the lanes, or of the high half: two lanes a window. */
        private static final VectorShuffle<Float> SPREAD_LOW = VectorShuffle.fromOp(S, k -> k / 2),
                SPREAD_HIGH = VectorShuffle.fromOp(S, k -> L / 2 + k / 2);
        /** The window of each lane after a spread (low, high), and each lane's column in it (0, 1, 0, 1, ...). */
        private static final float[] WINDOW_LOW = lanes(k -> k / 2), WINDOW_HIGH = lanes(k -> L / 2 + k / 2),
                COLUMN = lanes(k -> k % 2);
        /** The high half of the lanes. */
        private static final VectorMask<Float> HIGH = VectorMask.fromLong(S, ((1L << L) - 1) & -(1L << (L / 2)));

        /**
         * 2 x 2 windows moved by 2, the usual pooling, which needs no gather (see {@link #forward2x2}),
         * over rows of at least L outputs or exactly L/2; shorter rows take the gathering path,
         * whose lanes run across rows.
         */
        private static boolean isTwoByTwo(PoolShape s) {
            return s.k() == 2 && s.stride() == 2 && (s.ow() >= L || 2 * s.ow() == L);
        }

        static void forward(Parallel par, PoolShape s, float[] x, float[] y) {
            if (isTwoByTwo(s)) {
                par.forRange(s.n() * s.c(), grain(s), (lo, hi) -> forward2x2(s, x, y, lo, hi));
                return;
            }
            int outs = s.oh() * s.ow(), plane = s.h() * s.w(), end = outs - outs % S.length();
            int[] starts = windowStarts(s), taps = tapOffsets(s);
            par.forRange(s.n() * s.c(), grain(s), (lo, hi) -> {
                for (int p = lo; p < hi; p++) {
                    int base = p * plane, out = p * outs;
                    for (int o = 0; o < end; o += S.length()) {
                        FloatVector best = FloatVector.fromArray(S, x, base, starts, o);
                        for (int t = 1; t < taps.length; t++) {
                            FloatVector v = FloatVector.fromArray(S, x, base + taps[t], starts, o);
                            best = best.blend(v, v.compare(VectorOperators.GT, best));
                        }
                        best.intoArray(y, out + o);
                    }
                    forwardRange(s, x, y, p, end, outs);
                }
            });
        }

        /**
         * As the scalar twin. Without {@code accumulate}, each plane of dx is zero-filled just
         * before its gradients are routed, while it is in cache, rather than in a pass of its own.
         */
        static void backward(Parallel par, PoolShape s, float[] x, float[] dy, float[] dx, boolean accumulate) {
            if (isTwoByTwo(s)) {
                par.forRange(s.n() * s.c(), grain(s), (lo, hi) -> backward2x2(s, x, dy, dx, lo, hi, accumulate));
                return;
            }
            int outs = s.oh() * s.ow(), plane = s.h() * s.w(), lanes = S.length(), end = outs - outs % lanes;
            int[] starts = windowStarts(s), taps = tapOffsets(s);
            par.forRange(s.n() * s.c(), grain(s), (lo, hi) -> {
                // window tap t of each lane's maximum; small integers, exact in float
                float[] bestTaps = new float[lanes];
                for (int p = lo; p < hi; p++) {
                    int base = p * plane, out = p * outs;
                    if (!accumulate) {
                        Arrays.fill(dx, base, base + plane, 0f);
                    }
                    for (int o = 0; o < end; o += lanes) {
                        FloatVector best = FloatVector.fromArray(S, x, base, starts, o);
                        FloatVector bestTap = FloatVector.zero(S);
                        for (int t = 1; t < taps.length; t++) {
                            FloatVector v = FloatVector.fromArray(S, x, base + taps[t], starts, o);
                            VectorMask<Float> larger = v.compare(VectorOperators.GT, best);
                            best = best.blend(v, larger);
                            bestTap = bestTap.blend(t, larger);
                        }
                        bestTap.intoArray(bestTaps, 0);
                        // scattered in output order, as the scalar loop, since windows may overlap
                        for (int l = 0; l < lanes; l++) {
                            dx[base + starts[o + l] + taps[(int) bestTaps[l]]] += dy[out + o + l];
                        }
                    }
                    backwardRange(s, x, dy, dx, p, end, outs);
                }
            });
        }

        /**
         * The forward of planes [lo, hi) with 2 x 2 windows moved by 2: L outputs at a time, each half
         * of them (L/2 consecutive outputs of a row) from L consecutive inputs of each of its two
         * input rows, split into even and odd columns (the window's left and right taps) by lane
         * shuffles, then compared in window order. A row of OW >= L outputs takes L at a time and
         * a last, overlapping vector for the rest; rows of exactly L/2 outputs go two at a time;
         * what is left, the scalar twin does.
         */
        private static void forward2x2(PoolShape s, float[] x, float[] y, int lo, int hi) {
            int ow = s.ow(), w = s.w();
            for (int p = lo; p < hi; p++) {
                for (int r = 0; r < s.oh(); r++) {
                    int out = (p * s.oh() + r) * ow;
                    if (ow >= L) {
                        for (int q = 0; q < ow; q += L) {
                            int q0 = Math.min(q, ow - L), i0 = windowStart(s, p, r, q0);
                            max2x2(x, i0, i0 + L, w).intoArray(y, out + q0);
                        }
                    } else if (2 * ow == L && r + 1 < s.oh()) {
                        max2x2(x, windowStart(s, p, r, 0), windowStart(s, p, r + 1, 0), w).intoArray(y, out);
                        r++;
                    } else {
                        forwardRange(s, x, y, p, r * ow, (r + 1) * ow);
                    }
                }
            }
        }

        /** The backward of planes [lo, hi) with 2 x 2 windows moved by 2, laid out as {@link #forward2x2}; windows do not overlap. */
        private static void backward2x2(PoolShape s, float[] x, float[] dy, float[] dx, int lo, int hi,
                                        boolean accumulate) {
            int ow = s.ow(), w = s.w(), plane = s.h() * w;
            for (int p = lo; p < hi; p++) {
                if (!accumulate) {
                    Arrays.fill(dx, p * plane, (p + 1) * plane, 0f);
                }
                for (int r = 0; r < s.oh(); r++) {
                    int out = (p * s.oh() + r) * ow;
                    if (ow >= L) {
                        for (int q = 0; q < ow; q += L) {
                            // the last vector overlaps the one before: its first lanes were routed already
                            int q0 = Math.min(q, ow - L), i0 = windowStart(s, p, r, q0);
                            route2x2(x, i0, i0 + L, w, dy, out + q0, dx, q - q0);
                        }
                    } else if (2 * ow == L && r + 1 < s.oh()) {
                        route2x2(x, windowStart(s, p, r, 0), windowStart(s, p, r + 1, 0), w, dy, out, dx, 0);
                        r++;
                    } else {
                        backwardRange(s, x, dy, dx, p, r * ow, (r + 1) * ow);
                    }
                }
            }
        }

        /** The maxima of L windows: the first L/2 with top-left inputs i0, i0 + 2, ..., the others from j0 on. */
        private static FloatVector max2x2(float[] x, int i0, int j0, int w) {
            FloatVector best = evens(x, i0, j0);
            best = larger(best, odds(x, i0, j0));
            best = larger(best, evens(x, i0 + w, j0 + w));
            return larger(best, odds(x, i0 + w, j0 + w));
        }

        /**
         * {@code dx[argmax of window l] += dy[out + l]} for the lanes l >= l0 of the L windows of
         * {@link #max2x2}. The windows do not overlap, so each input takes at most one gradient:
         * per half of the windows and input row of theirs, the gradients and window taps are spread
         * two lanes a window, over the window's two columns, and added where the tap is the column's
         * (a blend, so the other inputs keep their bits). Lane by lane, the scatter took 8% of a
         * LeNet step (JFR, JDK 25, AVX-512).
         */
        private static void route2x2(float[] x, int i0, int j0, int w, float[] dy, int out, float[] dx, int l0) {
            FloatVector best = evens(x, i0, j0), tap = FloatVector.zero(S);
            for (int t = 1; t < 4; t++) {
                int dr = (t >> 1) * w;
                FloatVector v = (t & 1) == 0 ? evens(x, i0 + dr, j0 + dr) : odds(x, i0 + dr, j0 + dr);
                VectorMask<Float> more = v.compare(VectorOperators.GT, best);
                best = best.blend(v, more);
                tap = tap.blend(t, more);
            }
            FloatVector g = FloatVector.fromArray(S, dy, out), column = FloatVector.fromArray(S, COLUMN, 0);
            for (int half = 0; half < 2; half++) {
                VectorShuffle<Float> spread = half == 0 ? SPREAD_LOW : SPREAD_HIGH;
                FloatVector gs = g.rearrange(spread), ts = tap.rearrange(spread);
                VectorMask<Float> live = FloatVector.fromArray(S, half == 0 ? WINDOW_LOW : WINDOW_HIGH, 0)
                        .compare(VectorOperators.GE, l0);
                for (int row = 0; row < 2; row++) {
                    VectorMask<Float> here = ts.compare(VectorOperators.EQ, column.add(2 * row)).and(live);
                    int o = (half == 0 ? i0 : j0) + row * w;
                    FloatVector d = FloatVector.fromArray(S, dx, o);
                    d.blend(d.add(gs), here).intoArray(dx, o);
                }
            }
        }

        /** {@code v} where {@code v > best} (in order, so ties keep the earlier tap), else best. */
        private static FloatVector larger(FloatVector best, FloatVector v) {
            return best.blend(v, v.compare(VectorOperators.GT, best));
        }

        /** x[i], x[i + 2], ..., x[i + L - 2], then x[j], x[j + 2], ..., x[j + L - 2]: even columns. */
        private static FloatVector evens(float[] x, int i, int j) {
            FloatVector a = FloatVector.fromArray(S, x, i).rearrange(EVENS_FIRST);
            FloatVector b = FloatVector.fromArray(S, x, j).rearrange(EVENS_FIRST);
            return a.blend(b.rearrange(SWAP_HALVES), HIGH);
        }

        /** x[i + 1], x[i + 3], ..., x[i + L - 1], then the same from j: odd columns. */
        private static FloatVector odds(float[] x, int i, int j) {
            FloatVector a = FloatVector.fromArray(S, x, i).rearrange(EVENS_FIRST);
            FloatVector b = FloatVector.fromArray(S, x, j).rearrange(EVENS_FIRST);
            return a.rearrange(SWAP_HALVES).blend(b, HIGH);
        }

        private static float[] lanes(java.util.function.IntUnaryOperator f) {
            float[] a = new float[L];
            for (int k = 0; k < L; k++) {
                a[k] = f.applyAsInt(k);
            }
            return a;
        }

        private static int grain(PoolShape s) {
            return Math.max(1, GRAIN / (s.h() * s.w()));
        }

        /** Offset of each window's top-left element in its plane, row-major over the outputs [OH, OW]. */
        private static int[] windowStarts(PoolShape s) {
            int[] starts = new int[s.oh() * s.ow()];
            for (int o = 0; o < starts.length; o++) {
                starts[o] = windowStart(s, 0, o / s.ow(), o % s.ow());
            }
            return starts;
        }

        /** Offset of window tap t = i*k + j from the window's top-left element: i*W + j. */
        private static int[] tapOffsets(PoolShape s) {
            int[] taps = new int[s.k() * s.k()];
            for (int t = 0; t < taps.length; t++) {
                taps[t] = t / s.k() * s.w() + t % s.k();
            }
            return taps;
        }
    }
}
