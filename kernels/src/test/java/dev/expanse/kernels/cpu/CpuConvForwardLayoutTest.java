package dev.expanse.kernels.cpu;

import static dev.expanse.kernels.cpu.KernelTestSupport.random;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.expanse.kernels.ConvShape;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The forward's layouts on their own: each of the four is taken where it should be, and every
 * strip it packs holds the im2col matrix of its image ({@link CpuIm2col#im2colInto}), lane by
 * lane, on this machine's lanes (whatever they are), for the first, middle and last image of a
 * batch (the last one's shifted copies read up to the end of x).
 */
class CpuConvForwardLayoutTest {

    private static final int L = CpuMicroKernel.L;

    /** Images of 3 channels, 3 per batch; kernel and padding as given; OH = OW = ow. */
    private static ConvShape square(int ow, int k, int pad) {
        int w = ow + k - 1 - 2 * pad;
        return new ConvShape(3, 3, w, w, 5, k, k, 1, pad);
    }

    @Test
    void eachLayoutIsTakenWhereItTakesFewestPairs() {
        CpuConvForwardLayout direct = new CpuConvForwardLayout(square(L, 3, 1), L);
        assertTrue(direct.direct);
        assertEquals(0, direct.shifted);
        // rows of L - 2 with pad 1: L - 3 compact groups and L - 2 wide ones, the same pairs: wide
        CpuConvForwardLayout wide = new CpuConvForwardLayout(square(L - 2, 3, 1), L);
        assertTrue(wide.wide);
        assertEquals(L - 2, wide.groups);
        // rows of L + L/2, no padding, 5x5 (conv 1 -> 32 on 28x28 at 16 lanes): shifted
        CpuConvForwardLayout shifted = new CpuConvForwardLayout(square(L + L / 2, 5, 0), L);
        assertFalse(shifted.wide || shifted.direct || shifted.twoRows);
        assertEquals((L + L / 2) * (L + L / 2) / L, shifted.groups);
        assertTrue(shifted.shifted > 0 && shifted.inPlace);
        CpuConvForwardLayout half = new CpuConvForwardLayout(square(L / 2, 3, 1), L);
        assertEquals(CpuConvLayout.TWO_ROWS, half.twoRows);
        assertEquals(L / 2 * (L / 2) / L, half.groups);
    }

    @Test
    void stripsHoldTheIm2colMatrix() {
        ConvShape[] shapes = {
            square(L, 3, 1), square(L, 3, 0), square(L - 2, 3, 1), square(L + L / 2, 5, 0),
            square(L + L / 2, 3, 2), square(L / 2, 3, 1), square(L / 2, 5, 0), square(3, 3, 1),
            new ConvShape(2, 2, 7, L + 6, 3, 3, 2, 1, 1),
        };
        for (ConvShape s : shapes) {
            CpuConvForwardLayout lay = new CpuConvForwardLayout(s, L);
            float[] x = random(7, s.n() * s.inPerImage()), xp = new float[lay.paddedScratch()];
            float[] xs = new float[lay.shifted];
            float[] strip = new float[s.patch() * 2 * L];
            float[] col = new float[s.patch() * s.oh() * s.ow()];
            for (int n = 0; n < s.n(); n++) {
                CpuIm2col.im2colInto(s, x, n, col, 0);
                Arrays.fill(xp, Float.NaN); // the padded image must write every float it is read at
                int base = lay.prepare(x, n, xp, xs);
                float[] src = lay.source(x, xp, xs);
                for (int g = 0; g < lay.groups; g += 2) {
                    int g1 = Math.min(g + 1, lay.groups - 1);
                    if (lay.twoRows) {
                        lay.packStripTwoRows(src, base, g, g1, strip, 0);
                    } else {
                        CpuConvLayout.packWholeStrip(src, lay.tapOff, 0, s.patch(), base + lay.groupOff[g],
                                base + lay.groupOff[g1], strip, 0);
                    }
                    for (int half = 0; half < (g1 == g ? 1 : 2); half++) {
                        int group = g + half;
                        for (int lane = 0; lane < lay.valid(group); lane++) {
                            int q = position(lay, group, lane);
                            if (q < 0) {
                                continue; // a wide position past the outputs: computed and thrown away
                            }
                            for (int p = 0; p < s.patch(); p++) {
                                float want = col[p * s.oh() * s.ow() + q];
                                float got = strip[p * 2 * L + half * L + lane];
                                if (Float.floatToIntBits(want) != Float.floatToIntBits(got)) {
                                    fail(s + ", image " + n + ", group " + group + ", lane " + lane + ", tap " + p
                                            + ": " + got + " instead of " + want);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /** The output position oh*OW + ow that a group's lane computes, or -1 for a wide position past OW or OH (thrown away). */
    private static int position(CpuConvForwardLayout lay, int g, int lane) {
        ConvShape s = lay.s;
        if (lay.wide) {
            int q = g * L + lane, oh = q / lay.wp, ow = q % lay.wp;
            return ow < s.ow() && oh < s.oh() ? oh * s.ow() + ow : -1;
        }
        return g * L + lane;
    }
}
