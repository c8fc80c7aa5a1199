package dev.expanse.kernels.cpu;

import dev.expanse.kernels.ConvShape;
import java.util.Objects;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * How the stride-1 forward ({@link CpuConvImplicit#forward}) sees an image: its outputs compact,
 * in lane groups of L consecutive positions q = oh*OW + ow of the whole plane [OH, OW], so every
 * lane is real but the last group's past S = OH*OW, and a tile's rows are written straight into
 * y. Legend as in {@link ConvShape}; L = lanes, P = C*KH*KW, HP = H + 2 pad, WP = W + 2 pad. The
 * col2im backward to the input adds its tiles onto the same shifted copies, of dx
 * ({@link #shifted}, {@link #addShifted}).
 *
 * <p>Row p = (c, i, j) of the im2col matrix over group g is the L inputs
 * {@code xpad[c, oh + i, ow + j]} of the group's positions. Where they are, and how a strip of
 * them is packed, depends on OW:
 * <ul>
 *   <li>{@link #direct}, OW a multiple of L: a group lies in one output row, and its inputs are
 *       one vector of the padded image (x itself when pad == 0).</li>
 *   <li>{@link #twoRows}, OW = L/2 where masked moves are fast ({@link CpuConvLayout#TWO_ROWS}):
 *       a group is two output rows, its inputs the two halves of one vector, read from the
 *       padded image one padded row apart.</li>
 *   <li>shifted: with {@code X_j[c, h, ow] = xpad[c, h, ow + j]}, the padded image shifted left by
 *       j columns and cut to OW columns, the inputs are the contiguous {@code X_j[c][i*OW + q ..]}.
 *       The image is held as its KW shifted copies ({@link #shift}), [KW][C][HP][OW]; the last
 *       group's extra lanes read the floats after it (results thrown away).</li>
 *   <li>{@link #wide}: positions are instead q = oh*WP + ow, the padded image's rows laid end to
 *       end, the columns from OW to WP - 1 of a row computed and thrown away; groups are L of them,
 *       {@code groupOff[g] = g*L} in the padded image, computed into a wide output [F][G*L] whose
 *       real columns are then copied into y ({@link #copyWide}). It copies no input, so where its
 *       groups make no more pairs than the shifted ones it is chosen: a pair of groups is what a
 *       tile runs over, and a lone last group costs about as much as a pair.</li>
 * </ul>
 * With 16 lanes: 24 x 24 outputs (conv 1 -> 32 5x5 on 28x28) take 18 pairs shifted, 21 wide and
 * 24 by rows, and that forward ran 0.68-0.72x the time of the wide one (JDK 25 and 17); 8 x 8
 * outputs without half vectors (JDK 17) 2 pairs shifted, 3 wide; 14 x 14 take 7 pairs either
 * way, and shifted ran 2-5% slower there.
 */
final class CpuConvForwardLayout {
    private static final VectorSpecies<Float> S = CpuMicroKernel.S;
    private static final VectorMask<Float> FIRST_ROW = CpuConvLayout.FIRST_ROW, SECOND_ROW = CpuConvLayout.SECOND_ROW;

    final ConvShape s;
    final int lanes;
    /** Lane groups per image: ceil(S / L), or of the wide positions when {@link #wide}. */
    final int groups;
    /** The padded image's row length WP and plane size HP*WP; floats of a padded image, with a wide layout's slack. */
    final int wp, plane, padded;
    /** A group's inputs are a vector of the padded image: OW is a multiple of the lanes. */
    final boolean direct;
    /** A group is two output rows of L/2, its inputs two half vectors of the padded image. */
    final boolean twoRows;
    /** Groups of L wide positions, computed into a wide output (see the class). */
    final boolean wide;
    /** x is its own padded image: pad == 0 and not wide (whose last groups read past the image). */
    final boolean inPlace;
    /** Floats of one shifted copy, C*HP*OW; of the KW copies with a vector of slack (0 unless shifted). */
    private final int copy;
    final int shifted;
    /**
     * [P] offset of row p = (c, i, j) over group 0: {@code j*copy + c*HP*OW + i*OW} in the shifted
     * copies, {@code c*plane + i*WP + j} in the padded image otherwise.
     */
    final int[] tapOff;
    /** [G] offset of group g over row 0 (tap 0) in what tapOff addresses. */
    final int[] groupOff;

    /** The forward's layout of s: the one of the four that takes fewest tile pairs (see the class). */
    CpuConvForwardLayout(ConvShape s, int lanes) {
        this(s, lanes, false);
    }

    /**
     * The shifted layout of s whatever OW is: for the col2im backward to the input, which adds
     * its tiles onto shifted copies of dx ({@link #addShifted}).
     */
    static CpuConvForwardLayout shifted(ConvShape s, int lanes) {
        return new CpuConvForwardLayout(s, lanes, true);
    }

    private CpuConvForwardLayout(ConvShape s, int lanes, boolean onlyShifted) {
        if (s.stride() != 1) {
            throw new IllegalArgumentException("the forward conv layout needs stride 1, got " + s);
        }
        this.s = s;
        this.lanes = lanes;
        int ow = s.ow(), spatial = s.oh() * ow, hp = s.h() + 2 * s.pad(), compact = (spatial + lanes - 1) / lanes;
        wp = s.w() + 2 * s.pad();
        plane = hp * wp;
        direct = !onlyShifted && ow % lanes == 0;
        twoRows = !onlyShifted && !direct && 2 * ow == lanes && CpuConvLayout.TWO_ROWS && lanes == S.length();
        int wideGroups = ((s.oh() - 1) * wp + ow + lanes - 1) / lanes;
        wide = !onlyShifted && !direct && !twoRows && (wideGroups + 1) / 2 <= (compact + 1) / 2;
        boolean copies = !direct && !twoRows && !wide;
        groups = wide ? wideGroups : compact;
        // a wide layout's last groups read past the last plane's rows: slack for their whole vectors
        padded = wide ? Math.max(s.c() * plane, (s.c() - 1) * plane + (s.kh() - 1) * wp + s.kw() - 1 + groups * lanes)
                : s.c() * plane;
        inPlace = s.pad() == 0 && !wide;
        copy = s.c() * hp * ow;
        shifted = copies ? s.kw() * copy + lanes : 0;
        tapOff = copies ? CpuConvLayout.tapOffsets(s, hp * ow, ow, copy) : CpuConvLayout.tapOffsets(s, plane, wp, 1);
        groupOff = new int[groups];
        for (int g = 0; g < groups; g++) {
            int q = g * lanes;
            groupOff[g] = copies || wide ? q : q / ow * wp + q % ow;
        }
    }

    /** Real positions of group g (all L but the last group's); L when wide. */
    int valid(int g) {
        return wide ? lanes : Math.min(lanes, s.oh() * s.ow() - g * lanes);
    }

    /** Floats of one image's wide output [F][G*L] (a {@link #wide} layout's). */
    int wideImage() {
        return s.f() * groups * lanes;
    }

    /**
     * Between image n of y [N, F, OH, OW] and a wide output [F][G*L] at wy[0 ..]: copies the real
     * columns out into y, or, when {@code in}, y's values into their wide positions.
     */
    void copyWide(float[] wy, float[] y, int n, boolean in) {
        int oh = s.oh(), ow = s.ow(), spatial = oh * ow, ldw = groups * lanes, whole = ow - ow % lanes;
        int yEnd = (n + 1) * s.outPerImage(), wyEnd = wideImage();
        float[] src = in ? y : wy, dst = in ? wy : y;
        for (int f = 0; f < s.f(); f++) {
            for (int r = 0; r < oh; r++) {
                int w = f * ldw + r * wp, o = n * s.outPerImage() + f * spatial + r * ow;
                int from = in ? o : w, to = in ? w : o;
                for (int c = 0; c < whole; c += lanes) {
                    FloatVector.fromArray(S, src, from + c).intoArray(dst, to + c);
                }
                if (whole == ow) {
                    continue;
                }
                if (o + whole + lanes <= yEnd && w + whole + lanes <= wyEnd) {
                    // a whole vector: its extra lanes land on the image's later floats, copied after
                    // it (arraycopy of 14 floats a row took 9% of conv 32->64 3x3 on 14x14, JDK 25)
                    FloatVector.fromArray(S, src, from + whole).intoArray(dst, to + whole);
                } else {
                    System.arraycopy(src, from + whole, dst, to + whole, ow - whole);
                }
            }
        }
    }

    /** Floats a padded image's scratch needs: with a vector of slack, read by the shifted copies' whole vectors. */
    int paddedScratch() {
        return padded + lanes;
    }

    /**
     * The array the strips are packed from: the shifted copies xs when there are any, else x
     * itself ({@link #inPlace}) or the padded image xp.
     */
    float[] source(float[] x, float[] xp, float[] xs) {
        return shifted > 0 ? xs : inPlace ? x : xp;
    }

    /**
     * Makes what the strips of image n of x are packed from: its padded image in xp (unless
     * {@link #inPlace}), then its shifted copies in xs (when there are any). Returns where image n
     * starts in {@link #source}.
     */
    int prepare(float[] x, int n, float[] xp, float[] xs) {
        int base = inPlace ? n * padded : 0;
        if (!inPlace) {
            CpuConvLayout.padImage(s, x, n, xp, 0, wp, plane, padded);
        }
        if (shifted > 0) {
            shift(inPlace ? x : xp, base, xs);
            return 0;
        }
        return base;
    }

    /**
     * Writes the KW shifted copies of the padded image at src[base ..] (rows of {@link #wp},
     * planes of {@link #plane}) into dst[0 .. {@link #shifted}). Rows are copied by whole vectors
     * in increasing order: a row's last vector spills onto the next row's first floats, written
     * after it, and the last row's onto the slack.
     */
    private void shift(float[] src, int base, float[] dst) {
        int ow = s.ow(), rows = s.c() * (s.h() + 2 * s.pad()), span = (ow + lanes - 1) / lanes * lanes;
        Objects.checkFromIndexSize(0, shifted, dst.length);
        for (int j = 0, d = 0; j < s.kw(); j++) {
            // planes are HP rows of WP: the rows of every channel are one run, WP apart
            int from = base + j, r = 0;
            // the rows whose whole vectors stay inside src (all but an array's last few)
            int whole = Math.min(rows, Math.max(0, Math.floorDiv(src.length - span - from, wp) + 1));
            for (; r < whole; r++, from += wp, d += ow) {
                for (int k = 0; k < ow; k += lanes) {
                    FloatVector.fromArray(S, src, from + k).intoArray(dst, d + k);
                }
            }
            for (; r < rows; r++, from += wp, d += ow) {
                System.arraycopy(src, from, dst, d, ow);
            }
        }
    }

    /**
     * {@code dx[n] +=} the image whose shifted copies are xs: each pixel gets the KW floats that
     * stand for it, {@code dx[c, h, w] += X_j[c, h + pad, w + pad - j]} for j = 0 .. KW - 1 in
     * order (the padding's floats are dropped).
     */
    void addShifted(float[] xs, float[] dx, int n) {
        int ow = s.ow(), hp = s.h() + 2 * s.pad(), pad = s.pad(), w = s.w();
        for (int j = 0; j < s.kw(); j++) {
            int lo = Math.max(0, pad - j), hi = Math.min(ow, w + pad - j);
            for (int c = 0; c < s.c(); c++) {
                for (int h = 0; h < s.h(); h++) {
                    int from = j * copy + (c * hp + h + pad) * ow + lo, to = ((n * s.c() + c) * s.h() + h) * w + lo + j - pad;
                    CpuElementwise.Vector.addInto(hi - lo, xs, from, dx, to);
                }
            }
        }
    }

    /**
     * The strip [patch][2L] at strip[off] of the {@link #twoRows} groups g0 and g1 (g0 again at an
     * odd end) of the padded image at xp[xBase ..]: per tap, each group's two rows as the halves of one vector; the second row of
     * a last, one-row group is zeros. (Other layouts' strips are
     * {@link CpuConvLayout#packWholeStrip} over {@link #tapOff} and {@link #groupOff}.)
     */
    void packStripTwoRows(float[] xp, int xBase, int g0, int g1, float[] strip, int off) {
        int patch = s.patch(), half = lanes / 2;
        Objects.checkFromIndexSize(off, patch * 2 * lanes, strip.length);
        int a = xBase + groupOff[g0], b = xBase + groupOff[g1];
        boolean a2 = 2 * g0 + 1 < s.oh(), b2 = 2 * g1 + 1 < s.oh();
        // a group's vector: its first row's floats under FIRST_ROW, then its second row's, one padded
        // row on, under SECOND_ROW (read from half a vector before it); a one-row group's are zeros
        if (a2 && b2) {
            for (int p = 0, d = off; p < patch; p++, d += 2 * lanes) {
                int t = tapOff[p];
                FloatVector.fromArray(S, xp, a + t, FIRST_ROW)
                        .blend(FloatVector.fromArray(S, xp, a + t + wp - half), SECOND_ROW).intoArray(strip, d);
                FloatVector.fromArray(S, xp, b + t, FIRST_ROW)
                        .blend(FloatVector.fromArray(S, xp, b + t + wp - half), SECOND_ROW).intoArray(strip, d + lanes);
            }
            return;
        }
        for (int p = 0, d = off; p < patch; p++, d += 2 * lanes) {
            int t = tapOff[p];
            FloatVector u = FloatVector.fromArray(S, xp, a + t, FIRST_ROW);
            FloatVector v = FloatVector.fromArray(S, xp, b + t, FIRST_ROW);
            (a2 ? u.blend(FloatVector.fromArray(S, xp, a + t + wp - half), SECOND_ROW) : u).intoArray(strip, d);
            (b2 ? v.blend(FloatVector.fromArray(S, xp, b + t + wp - half), SECOND_ROW) : v).intoArray(strip, d + lanes);
        }
    }
}
