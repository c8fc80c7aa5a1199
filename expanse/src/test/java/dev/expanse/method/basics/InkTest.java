package dev.expanse.method.basics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class InkTest {
    @Test
    void strokeWidthOfARingIsItsWidth() {
        // a ring of radii 34 and 40 around the centre of a 100 x 100 image: width 6 px.
        // Tolerance 10%: the pixel staircase only approximates the 4/pi perimeter correction.
        int n = 100;
        float[] img = new float[n * n];
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                double r = Math.hypot(x - 49.5, y - 49.5);
                img[y * n + x] = r >= 34 && r < 40 ? 1f : 0f;
            }
        }
        assertEquals(6.0, Ink.strokeWidth(img, n, n), 0.6);
        assertEquals(0.0, Ink.strokeWidth(new float[n * n], n, n));
    }

    @Test
    void dilatingAPointGivesADisc() {
        // radius 2: the 13 offsets with i^2 + j^2 <= 4
        float[] img = new float[7 * 7];
        img[3 * 7 + 3] = 0.8f;
        float[] out = Ink.morph(img, 7, 7, 2.0);
        int count = 0;
        for (int y = 0; y < 7; y++) {
            for (int x = 0; x < 7; x++) {
                boolean inDisc = (x - 3) * (x - 3) + (y - 3) * (y - 3) <= 4;
                assertEquals(inDisc ? 0.8f : 0f, out[y * 7 + x], 0f, "at " + x + "," + y);
                count += inDisc ? 1 : 0;
            }
        }
        assertEquals(13, count);
    }

    @Test
    void erodingABlockPeelsOneLayer() {
        // a 5 x 5 block eroded by the radius-1 cross becomes its 3 x 3 core
        float[] img = new float[9 * 9];
        float[] core = new float[9 * 9];
        for (int y = 2; y < 7; y++) {
            for (int x = 2; x < 7; x++) {
                img[y * 9 + x] = 1f;
                if (y >= 3 && y < 6 && x >= 3 && x < 6) {
                    core[y * 9 + x] = 1f;
                }
            }
        }
        assertArrayEquals(core, Ink.morph(img, 9, 9, -1.0), 0f);
        assertArrayEquals(img, Ink.morph(img, 9, 9, 0.4), 0f); // under half a pixel: unchanged
    }
}
