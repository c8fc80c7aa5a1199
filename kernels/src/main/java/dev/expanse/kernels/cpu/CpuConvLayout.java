package dev.expanse.kernels.cpu;

import static dev.expanse.kernels.cpu.CpuMicroKernel.MR;

import dev.expanse.kernels.ConvShape;
import java.util.Arrays;
import java.util.Objects;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * How the stride-1 col2im backward to the input and the weight gradient ({@link CpuConvImplicit})
 * see an image: as an "implicit" im2col matrix that is never written out (the forward's is
 * {@link CpuConvForwardLayout}). Legend as in {@link ConvShape}; L = lanes, P = C*KH*KW,
 * S = OH*OW.
 *
 * <p>Each output row is cut into lane groups of L consecutive positions ({@code ceil(OW / L)} per
 * row, the last one possibly part-filled); G = OH * ceil(OW / L) groups per image. The input image
 * is held zero-padded, [C][HP][WP] with {@code HP = H + 2 pad} and {@code WP = ceil(OW / L) * L +
 * KW - 1}, so that for every tap p = (c, i, j) and group g the L inputs the group's positions read
 * are contiguous: row p of the im2col matrix over group g is the vector at
 * {@code tapOff[p] + groupOff[g]}. A part-filled group's extra lanes read the zero columns on the
 * right. When pad == 0 and OW is a multiple of L, the padded image is x itself ({@link #inPlace}).
 *
 * <p>Output-side data (y, dy) is addressed per group as well: the positions of filter f over group
 * g are at {@code f*S + outOff[g]} in an image's [F, S], {@link #valid} of them real.
 *
 * <p>Rows of exactly L/2 outputs (8 x 8 on AVX-512, 4 x 4 on AVX2) are held {@link #twoRows}
 * instead: a group is two whole output rows, so its positions are consecutive in y and every lane
 * is real ({@code outOff[g] = g*L}); its strip row for tap p is the two halves of one vector, from
 * the padded image at {@code tapOff[p] + groupOff[g]} and one padded row further. With 16 lanes, 8 x 8
 * outputs take 4 groups this way, 8 by rows. Only the weight gradient packs such groups: where they
 * would hold dy's rows, the col2im backward to the input takes the forward's shifted layout instead
 * (as many tile pairs, and no masked adds; see {@code CpuConvImplicit.col2imShifted}).
 */
final class CpuConvLayout {
    private static final VectorSpecies<Float> S = CpuMicroKernel.S;
    /**
     * The species that copies a run of at most MR adjacent taps when packing a weight-gradient
     * panel: 8 lanes. With AVX-512's 16, each position's store of 64 bytes for its 6 floats crossed
     * cache lines, and packing took 25% of the weight gradient of conv 32->64 3x3 on 14x14 (JFR,
     * JDK 25). Below 8 lanes a run may not fit, and panels are packed tap by tap. {@link #S} itself
     * where a second species is not safe ({@link CpuMicroKernel#NARROW_SPECIES}).
     */
    private static final VectorSpecies<Float> RUN = S.length() > 8 && CpuMicroKernel.NARROW_SPECIES
            ? FloatVector.SPECIES_256 : S;
    private static final int RUN_LANES = RUN.length();
    /**
     * Whether masked vector loads are compiled to machine masked loads: after JDK 17. JDK 17's C2
     * ran the part-filled groups 10% slower with them (conv 32->64 3x3 on 14x14, forward and
     * backward, AVX2) than with a whole vector and scalar zeros; JDK 25's 4% faster.
     */
    private static final boolean MASKED_LOADS = Runtime.version().feature() > 17;
    /**
     * Whether rows of L/2 outputs are held two to a group ({@link #twoRows}): where masked loads
     * and stores are fast ({@link #MASKED_LOADS}), and vectors have 4 lanes or more. On JDK 17 the
     * forward of conv 64->64 3x3 on 8x8 ran 0.9x as long with them, but a LeNet step 1.4x (AVX-512).
     */
    static final boolean TWO_ROWS = MASKED_LOADS && S.length() >= 4;
    /**
     * Lanes [0, L/2) of {@link #S}, and lanes [L/2, L): a {@link #twoRows} group's first and second
     * output row. Its rows are moved as whole vectors of S under these masks, not as half vectors of
     * a second species: where one JVM runs two species, C2 compiles {@code FloatVector.intoArray}
     * after the class its profile saw most, and the other species' stores then run the Java
     * fallback. After the backward of conv 32->64 3x3 on 14x14 (full vectors), the forward of conv
     * 64->64 3x3 on 8x8 (half vectors then) ran 5.6 ms instead of 3.4 (JDK 25, AVX-512; PrintInlining:
     * "callee changed to Float512Vector", "failed to inline (intrinsic)").
     */
    static final VectorMask<Float> FIRST_ROW = S.indexInRange(0, S.length() / 2), SECOND_ROW = FIRST_ROW.not();

    final ConvShape s;
    final int lanes;
    /** Padded row length, padded height, plane size HP*WP and image size C*HP*WP. */
    final int wp, hp, plane, image;
    /** x is its own padded image: pad == 0, and OW is a multiple of the lanes or rows are held {@link #twoRows}. */
    final boolean inPlace;
    /** Groups of two output rows of L/2 (see the class). */
    final boolean twoRows;
    /** Lane groups per output row, and per image. */
    final int groupsPerRow, groups;
    /** Real lanes of a row's last group, and the mask of them. */
    private final int lastValid;
    private final VectorMask<Float> lastMask;
    /** [P] offset of tap p = (c*KH + i)*KW + j in a padded image: c*plane + i*WP + j. */
    final int[] tapOff;
    /** [G] offset of the first input a group's positions read (tap 0) in a padded image: oh*WP + gw*L. */
    final int[] groupOff;
    /** [G] offset of a group's first position in an output plane [OH, OW]: oh*OW + gw*L. */
    final int[] outOff;
    /** [F] offset of filter f's row in one image of y or dy: f * S. */
    final int[] dyRowOff;
    /**
     * [P / MR] for each whole weight-gradient panel of {@link CpuMicroKernel#MR} taps, the first
     * tap of each of its runs of taps adjacent in the image (a kernel row: KW of them).
     */
    private final int[][] panelRuns;

    /** The layout of s with groups along output rows, two rows a group where a row is L/2. */
    CpuConvLayout(ConvShape s, int lanes) {
        if (s.stride() != 1) {
            throw new IllegalArgumentException("the implicit conv layout needs stride 1, got " + s);
        }
        this.s = s;
        this.lanes = lanes;
        int oh = s.oh(), ow = s.ow();
        groupsPerRow = (ow + lanes - 1) / lanes;
        twoRows = 2 * ow == lanes && TWO_ROWS && lanes == S.length();
        groups = twoRows ? (oh + 1) / 2 : oh * groupsPerRow;
        lastValid = ow - (groupsPerRow - 1) * lanes;
        lastMask = S.indexInRange(0, lastValid);
        inPlace = s.pad() == 0 && (ow % lanes == 0 || twoRows);
        wp = inPlace || twoRows ? s.w() + 2 * s.pad() : groupsPerRow * lanes + s.kw() - 1;
        hp = s.h() + 2 * s.pad();
        plane = hp * wp;
        image = s.c() * plane;
        tapOff = tapOffsets(s, plane, wp, 1);
        groupOff = new int[groups];
        outOff = new int[groups];
        for (int g = 0; g < groups; g++) {
            int r = g / groupsPerRow, q = g % groupsPerRow * lanes;
            groupOff[g] = twoRows ? 2 * g * wp : r * wp + q;
            outOff[g] = twoRows ? g * lanes : r * ow + q;
        }
        dyRowOff = multiples(s.f(), oh * ow);
        panelRuns = new int[s.patch() / MR][];
        for (int k = 0; k < panelRuns.length; k++) {
            int[] runs = new int[MR];
            int count = 0;
            for (int t = 0; t < MR; t++) {
                if (t == 0 || tapOff[k * MR + t] != tapOff[k * MR + t - 1] + 1) {
                    runs[count++] = t;
                }
            }
            panelRuns[k] = Arrays.copyOf(runs, count);
        }
    }

    /**
     * [P] offset of tap p = (c*KH + i)*KW + j: {@code c*channel + i*row + j*column}. In a padded
     * image of planes {@code plane} apart and rows of wp, (plane, wp, 1).
     */
    static int[] tapOffsets(ConvShape s, int channel, int row, int column) {
        int[] off = new int[s.patch()];
        for (int p = 0; p < off.length; p++) {
            int c = p / (s.kh() * s.kw()), i = p / s.kw() % s.kh(), j = p % s.kw();
            off[p] = c * channel + i * row + j * column;
        }
        return off;
    }

    private static int[] multiples(int n, int step) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i * step;
        }
        return a;
    }

    /** Positions of group g that are real outputs (the rest of its lanes are padding). */
    int valid(int g) {
        if (twoRows) {
            return Math.min(lanes, (s.oh() - 2 * g) * s.ow());
        }
        return Math.min(lanes, s.ow() - g % groupsPerRow * lanes);
    }

    /** Writes image n of x [N, C, H, W] zero-padded into dst[off .. off + image). */
    void padImage(float[] x, int n, float[] dst, int off) {
        padImage(s, x, n, dst, off, wp, plane, image);
    }

    /**
     * Writes image n of x [N, C, H, W] into dst[off .. off + image) as planes of {@code plane} floats
     * apart, rows of wp, s.pad() zeros above and left of the pixels, zeros everywhere else.
     */
    static void padImage(ConvShape s, float[] x, int n, float[] dst, int off, int wp, int plane, int image) {
        Arrays.fill(dst, off, off + image, 0f);
        int h = s.h(), w = s.w(), pad = s.pad();
        for (int c = 0; c < s.c(); c++) {
            int src = (n * s.c() + c) * h * w, d = off + c * plane + pad * wp + pad;
            for (int r = 0; r < h; r++) {
                System.arraycopy(x, src + r * w, dst, d + r * wp, w);
            }
        }
    }

    /** Adds the interior of a padded image (the real pixels) onto image n of dx [N, C, H, W]. */
    void addInterior(float[] padded, int off, float[] dx, int n) {
        int h = s.h(), w = s.w(), pad = s.pad();
        for (int c = 0; c < s.c(); c++) {
            int d = (n * s.c() + c) * h * w, src = off + c * plane + pad * wp + pad;
            for (int r = 0; r < h; r++) {
                CpuElementwise.Vector.addInto(w, padded, src + r * wp, dx, d + r * w);
            }
        }
    }

    /**
     * Writes the filters of strips [j0, j1) of image n of dy [N, F, OH, OW] transposed into
     * dst[off ..], strip after strip {@code stripStride} floats apart, each [S][width]: filter f of
     * position q at {@code (f / width - j0) * stripStride + q * width + f % width}; the columns from
     * F on are zero. width is a multiple of 8.
     */
    void transposeDy(float[] dy, int n, int j0, int j1, float[] dst, int off, int width, int stripStride) {
        int spatial = s.oh() * s.ow(), src = n * s.outPerImage(), f = j0 * width, fEnd = Math.min(s.f(), j1 * width);
        // eight filters at a time: eight read streams, one contiguous 32-byte write per position
        for (; f + 8 <= fEnd; f += 8) {
            int r0 = src + f * spatial, d0 = off + (f / width - j0) * stripStride + f % width;
            for (int q = 0; q < spatial; q++) {
                int d = d0 + q * width, r = r0 + q;
                dst[d] = dy[r];
                dst[d + 1] = dy[r + spatial];
                dst[d + 2] = dy[r + 2 * spatial];
                dst[d + 3] = dy[r + 3 * spatial];
                dst[d + 4] = dy[r + 4 * spatial];
                dst[d + 5] = dy[r + 5 * spatial];
                dst[d + 6] = dy[r + 6 * spatial];
                dst[d + 7] = dy[r + 7 * spatial];
            }
        }
        for (int g = f; g < j1 * width; g++) {
            int d0 = off + (g / width - j0) * stripStride + g % width;
            for (int q = 0; q < spatial; q++) {
                dst[d0 + q * width] = g < s.f() ? dy[src + g * spatial + q] : 0f;
            }
        }
    }

    /**
     * Writes rows [p0, p0 + MR) of the im2col matrix of the padded image at xp[xBase ..] into
     * dst[off ..] as one GEMM A panel of {@link CpuMicroKernel#MR} taps, [S][MR] (taps past P zero):
     * the weight gradient's A, packed in one pass with no im2col matrix in between. p0 is a multiple
     * of MR. dst needs {@link #lanes} floats of slack past the panel: the vector path writes whole
     * vectors.
     */
    void packPanel(float[] xp, int xBase, int p0, float[] dst, int off) {
        Objects.checkFromIndexSize(off, s.oh() * s.ow() * MR + lanes, dst.length);
        if (p0 + MR > s.patch() || RUN_LANES < MR) {
            packPanelByTaps(xp, xBase, MR, p0, dst, off);
        } else {
            int[] runs = panelRuns[p0 / MR];
            packPanelByRuns(xp, xBase, MR, p0, runs, runs.length, dst, off);
        }
    }

    /**
     * One panel, position by position: each run of adjacent taps is one vector copied from the
     * image, written at its place in the position's mr floats. The lanes past the run spill onto
     * the next run's or position's floats, written after it (or onto the slack at the end).
     */
    private void packPanelByRuns(float[] xp, int xBase, int mr, int p0, int[] runs, int count, float[] dst, int panel) {
        int ow = s.ow(), oh = s.oh();
        int lastRead = xBase + tapOff[p0 + runs[count - 1]] + (oh - 1) * wp + ow - 1 + RUN_LANES;
        for (int r = 0; r < oh; r++) {
            int src = xBase + r * wp, d = panel + r * ow * mr;
            if (lastRead - (oh - 1 - r) * wp > xp.length) {
                // the image's last rows, where a whole vector would read past the array
                for (int q = 0; q < ow; q++, d += mr) {
                    for (int t = 0; t < mr; t++) {
                        dst[d + t] = xp[src + q + tapOff[p0 + t]];
                    }
                }
                continue;
            }
            if (count == 1) {
                // the panel is one run (MR taps of one kernel row): one vector per position
                for (int q = 0, from = src + tapOff[p0]; q < ow; q++) {
                    FloatVector.fromArray(RUN, xp, from + q).intoArray(dst, d + q * mr);
                }
                continue;
            }
            if (count == 2) {
                // two runs (MR = 6 over 5 x 5 or 3 x 3 kernels): the second written after the first
                int t1 = runs[1];
                for (int q = 0, from0 = src + tapOff[p0], from1 = src + tapOff[p0 + t1], d1 = d + t1; q < ow; q++) {
                    FloatVector.fromArray(RUN, xp, from0 + q).intoArray(dst, d + q * mr);
                    FloatVector.fromArray(RUN, xp, from1 + q).intoArray(dst, d1 + q * mr);
                }
                continue;
            }
            if (count == 3) {
                // three runs (MR = 5 over a 3 x 3 kernel: 1 + 3 + 1 taps), each written after the one before
                int t1 = runs[1], t2 = runs[2];
                for (int q = 0, from0 = src + tapOff[p0], from1 = src + tapOff[p0 + t1], from2 = src + tapOff[p0 + t2],
                        d1 = d + t1, d2 = d + t2; q < ow; q++) {
                    FloatVector.fromArray(RUN, xp, from0 + q).intoArray(dst, d + q * mr);
                    FloatVector.fromArray(RUN, xp, from1 + q).intoArray(dst, d1 + q * mr);
                    FloatVector.fromArray(RUN, xp, from2 + q).intoArray(dst, d2 + q * mr);
                }
                continue;
            }
            for (int q = 0; q < ow; q++, d += mr) {
                for (int k = 0; k < count; k++) {
                    int t = runs[k];
                    FloatVector.fromArray(RUN, xp, src + q + tapOff[p0 + t]).intoArray(dst, d + t);
                }
            }
        }
    }

    /** One panel tap by tap, zeros for the taps past P: the last, part-filled panel. */
    private void packPanelByTaps(float[] xp, int xBase, int mr, int p0, float[] dst, int panel) {
        int ow = s.ow(), oh = s.oh(), patch = s.patch();
        for (int t = 0; t < mr; t++) {
            int p = p0 + t;
            for (int r = 0; r < oh; r++) {
                int src = xBase + (p < patch ? tapOff[p] : 0) + r * wp, d = panel + r * ow * mr + t;
                for (int q = 0; q < ow; q++) {
                    dst[d + q * mr] = p < patch ? xp[src + q] : 0f;
                }
            }
        }
    }

    /**
     * Packs a GEMM B strip [kc][2L] for the lane groups at base0 and base1 of src: row p is the
     * vector of row {@code rowOff[r0 + p]} at base0 (its first v0 lanes, the rest zero), then the
     * one at base1 (v1 lanes). v0 == L reads a whole vector, which may run into the zero columns of
     * a padded image. The strip starts at strip[off].
     */
    void packStrip(float[] src, int[] rowOff, int r0, int kc, int base0, int v0, int base1, int v1, float[] strip,
                   int off) {
        Objects.checkFromIndexSize(off, kc * 2 * lanes, strip.length);
        Objects.checkFromIndexSize(r0, kc, rowOff.length);
        if (v0 == lanes && v1 == lanes) {
            // every group of a row that is a multiple of the lanes
            packWholeStrip(src, rowOff, r0, kc, base0, base1, strip, off);
            return;
        }
        for (int p = 0, d = off; p < kc; p++, d += 2 * lanes) {
            int row = rowOff[r0 + p];
            copyLanes(src, row + base0, v0, strip, d);
            copyLanes(src, row + base1, v1, strip, d + lanes);
        }
    }

    /**
     * {@link #packStrip} where both groups fill their lanes: row p is the whole vector of row
     * {@code rowOff[r0 + p]} at base0, then the one at base1, two vector moves a row. The forward's
     * strips ({@link CpuConvForwardLayout}), whose last group's extra lanes read whatever follows it.
     */
    static void packWholeStrip(float[] src, int[] rowOff, int r0, int kc, int base0, int base1, float[] strip, int off) {
        int lanes = S.length();
        Objects.checkFromIndexSize(off, kc * 2 * lanes, strip.length);
        Objects.checkFromIndexSize(r0, kc, rowOff.length);
        for (int p = 0, d = off; p < kc; p++, d += 2 * lanes) {
            int row = rowOff[r0 + p];
            FloatVector.fromArray(S, src, row + base0).intoArray(strip, d);
            FloatVector.fromArray(S, src, row + base1).intoArray(strip, d + lanes);
        }
    }

    /** {@code dst[to ..) = } the first v of the L floats at src[from], then zeros. */
    private void copyLanes(float[] src, int from, int v, float[] dst, int to) {
        if (v == lanes) {
            FloatVector.fromArray(S, src, from).intoArray(dst, to);
        } else if (v == 0) {
            FloatVector.zero(S).intoArray(dst, to);
        } else if (v == lastValid && MASKED_LOADS) {
            // a row's last, part-filled group: a masked load reads only its real lanes
            FloatVector.fromArray(S, src, from, lastMask).intoArray(dst, to);
        } else if (v < lanes && from + lanes <= src.length) {
            // a whole vector, its extra lanes then zeroed one by one: cheaper than a copy and a fill
            FloatVector.fromArray(S, src, from).intoArray(dst, to);
            for (int l = v; l < lanes; l++) {
                dst[to + l] = 0f;
            }
        } else {
            System.arraycopy(src, from, dst, to, v);
            Arrays.fill(dst, to + v, to + lanes, 0f);
        }
    }
}
