package dev.expanse.method.basics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class MnistFrameTest {
    /** A w x h black image with a white filled rectangle [x0, x1) x [y0, y1). */
    private static float[] rect(int w, int h, int x0, int y0, int x1, int y1) {
        float[] img = new float[w * h];
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                img[y * w + x] = 1f;
            }
        }
        return img;
    }

    @Test
    void tallBarFillsTheBoxHeightKeepsAspectAndIsCentred() {
        // a 10 x 40 bar scales by 20/40 to 5 x 20, all ones; its centre of mass is the patch
        // centre (2, 9.5), so the offset is (round(14 - 2), round(14 - 9.5)) = (12, 5)
        // (Math.round rounds 4.5 up)
        float[] out = MnistFrame.normalize(rect(100, 80, 30, 20, 40, 60), 100, 80, 0, 0);
        assertArrayEquals(new int[] {12, 5, 17, 25}, MnistFrame.inkBounds(out, 28, 28));
        assertArrayEquals(rect(28, 28, 12, 5, 17, 25), out, 1e-6f);
        double[] com = MnistFrame.centerOfMass(out, 28, 28);
        assertEquals(14.0, com[0], 1e-9);
        assertEquals(14.5, com[1], 1e-9);
    }

    @Test
    void shiftMovesTheTargetAndClampsAtTheBorder() {
        float[] bar = rect(50, 50, 10, 5, 15, 45); // 5 x 40 -> 3 x 20 (2.5 rounds to 3)
        float[] centred = MnistFrame.normalize(bar, 50, 50, 0, 0);
        float[] shifted = MnistFrame.normalize(bar, 50, 50, 2, -1);
        int[] a = MnistFrame.inkBounds(centred, 28, 28);
        int[] b = MnistFrame.inkBounds(shifted, 28, 28);
        assertArrayEquals(new int[] {a[0] + 2, a[1] - 1, a[2] + 2, a[3] - 1}, b);
        // a 20-tall patch can move up by at most its top margin
        float[] clamped = MnistFrame.normalize(bar, 50, 50, 0, -20);
        assertEquals(0, MnistFrame.inkBounds(clamped, 28, 28)[1]);
    }

    @Test
    void areaResampleKeepsTheMeanIntensity() {
        // a ramp of 37 x 23 values; a box filter preserves the mean exactly (up to float error)
        int w = 37, h = 23;
        float[] img = new float[w * h];
        double sum = 0;
        for (int i = 0; i < img.length; i++) {
            img[i] = (i % 11) / 10f;
            sum += img[i];
        }
        float[] out = MnistFrame.areaResample(img, w, 0, 0, w, h, 20, 12);
        double outSum = 0;
        for (float v : out) {
            outSum += v;
        }
        assertEquals(sum / (w * h), outSum / (20 * 12), 1e-5);
    }

    @Test
    void areaResampleAveragesWholeBlocks() {
        // 4 x 2 -> 2 x 1: each output is the mean of a 2 x 2 block
        float[] img = {0f, 1f, 0.5f, 0.5f, 1f, 0f, 0f, 1f};
        assertArrayEquals(new float[] {0.5f, 0.5f}, MnistFrame.areaResample(img, 4, 0, 0, 4, 2,
                2, 1), 1e-6f);
    }

    @Test
    void blankOrMisSizedInputIsRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> MnistFrame.normalize(new float[100], 10, 10, 0, 0));
        assertThrows(IllegalArgumentException.class,
                () -> MnistFrame.normalize(new float[99], 10, 10, 0, 0));
        assertNull(MnistFrame.inkBounds(new float[4], 2, 2));
    }
}
