package dev.expanse.kernels.cpu;

import dev.expanse.kernels.PoolShape;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Max-pool forward and backward; see {@link dev.expanse.kernels.Backend#maxPoolForward}.
 * x is [N, C, H, W], y and dy are [N, C, OH, OW]. A window's maximum is its first element in
 * row-major order that no later element exceeds (comparisons with {@code >}), so forward and
 * backward agree on ties and the backward routes to the first maximum.
 *
 * <p>Scalar twins: {@link #forward} and {@link #backward}, built from {@link #forwardRow} and
 * {@link #backwardRow} over a range of one output row, which the vector kernels call for the
 * outputs that do not fill a vector. The vector twins put consecutive outputs of one output row in
 * the lanes (a strided gather when stride > 1; a narrower species when the row is shorter than
 * the preferred one, as after pooling 28 x 28 images) and compare with the same {@code >}, so they
 * match the scalar kernels bit for bit. Work is split over planes (N*C), which own disjoint parts
 * of y and dx.
 */
final class CpuMaxPool {
    private CpuMaxPool() {
    }

    private static final int GRAIN = CpuElementwise.GRAIN;

    static void forward(PoolShape s, float[] x, float[] y) {
        for (int p = 0; p < s.n() * s.c(); p++) {
            for (int r = 0; r < s.oh(); r++) {
                forwardRow(s, x, y, p, r, 0, s.ow());
            }
        }
    }

    /** {@code y[p, r, q]} = the window's maximum, for the outputs q in [lo, hi) of row r of plane p. */
    static void forwardRow(PoolShape s, float[] x, float[] y, int p, int r, int lo, int hi) {
        int out = (p * s.oh() + r) * s.ow();
        for (int q = lo; q < hi; q++) {
            y[out + q] = x[windowArgmax(s, x, p, r, q)];
        }
    }

    static void backward(PoolShape s, float[] x, float[] dy, float[] dx) {
        for (int p = 0; p < s.n() * s.c(); p++) {
            for (int r = 0; r < s.oh(); r++) {
                backwardRow(s, x, dy, dx, p, r, 0, s.ow());
            }
        }
    }

    /** {@code dx[argmax of the window] += dy[p, r, q]}, in q order, for q in [lo, hi) of row r of plane p. */
    static void backwardRow(PoolShape s, float[] x, float[] dy, float[] dx, int p, int r, int lo, int hi) {
        int out = (p * s.oh() + r) * s.ow();
        for (int q = lo; q < hi; q++) {
            dx[windowArgmax(s, x, p, r, q)] += dy[out + q];
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

        static void forward(Parallel par, PoolShape s, float[] x, float[] y) {
            int oh = s.oh(), ow = s.ow();
            VectorSpecies<Float> sp = speciesFor(ow);
            int lanes = sp.length();
            int[] gather = gatherOffsets(sp, s.stride());
            par.forRange(s.n() * s.c(), Math.max(1, GRAIN / (s.h() * s.w())), (lo, hi) -> {
                for (int p = lo; p < hi; p++) {
                    for (int r = 0; r < oh; r++) {
                        int out = (p * oh + r) * ow;
                        int q = 0;
                        for (; q + lanes <= ow; q += lanes) {
                            int start = windowStart(s, p, r, q);
                            FloatVector best = load(sp, s, x, start, gather);
                            for (int t = 1; t < s.k() * s.k(); t++) {
                                FloatVector v = load(sp, s, x, start + (t / s.k()) * s.w() + t % s.k(), gather);
                                best = best.blend(v, v.compare(VectorOperators.GT, best));
                            }
                            best.intoArray(y, out + q);
                        }
                        forwardRow(s, x, y, p, r, q, ow);
                    }
                }
            });
        }

        static void backward(Parallel par, PoolShape s, float[] x, float[] dy, float[] dx) {
            int oh = s.oh(), ow = s.ow(), k = s.k();
            VectorSpecies<Float> sp = speciesFor(ow);
            int lanes = sp.length();
            int[] gather = gatherOffsets(sp, s.stride());
            par.forRange(s.n() * s.c(), Math.max(1, GRAIN / (s.h() * s.w())), (lo, hi) -> {
                // window tap (t = i*k + j) of each lane's maximum; small integers, exact in float
                float[] taps = new float[lanes];
                for (int p = lo; p < hi; p++) {
                    for (int r = 0; r < oh; r++) {
                        int out = (p * oh + r) * ow;
                        int q = 0;
                        for (; q + lanes <= ow; q += lanes) {
                            int start = windowStart(s, p, r, q);
                            FloatVector best = load(sp, s, x, start, gather);
                            FloatVector bestTap = FloatVector.zero(sp);
                            for (int t = 1; t < k * k; t++) {
                                FloatVector v = load(sp, s, x, start + (t / k) * s.w() + t % k, gather);
                                VectorMask<Float> larger = v.compare(VectorOperators.GT, best);
                                best = best.blend(v, larger);
                                bestTap = bestTap.blend(t, larger);
                            }
                            bestTap.intoArray(taps, 0);
                            // scattered in output order, as the scalar loop, since windows may overlap
                            for (int l = 0; l < lanes; l++) {
                                int t = (int) taps[l];
                                dx[start + l * s.stride() + (t / k) * s.w() + t % k] += dy[out + q + l];
                            }
                        }
                        backwardRow(s, x, dy, dx, p, r, q, ow);
                    }
                }
            });
        }

        /** The widest species, down to 128 bits, whose lanes fit in an output row of ow. */
        private static VectorSpecies<Float> speciesFor(int ow) {
            VectorSpecies<Float> sp = FloatVector.SPECIES_PREFERRED;
            while (sp.length() > ow && sp.vectorBitSize() > 128) {
                sp = VectorSpecies.of(float.class, VectorShape.forBitSize(sp.vectorBitSize() / 2));
            }
            return sp;
        }

        /** Lane offsets {0, stride, 2*stride, ...} of a gather of consecutive windows' same tap. */
        private static int[] gatherOffsets(VectorSpecies<Float> sp, int stride) {
            int[] offsets = new int[sp.length()];
            for (int l = 0; l < offsets.length; l++) {
                offsets[l] = l * stride;
            }
            return offsets;
        }

        /** x[i], x[i + stride], ... for the lanes: a plain load when stride is 1, a gather otherwise. */
        private static FloatVector load(VectorSpecies<Float> sp, PoolShape s, float[] x, int i, int[] gather) {
            return s.stride() == 1 ? FloatVector.fromArray(sp, x, i) : FloatVector.fromArray(sp, x, i, gather, 0);
        }
    }
}
