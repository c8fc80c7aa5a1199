package dev.expanse.method.basics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.expanse.engine.Rng;
import dev.expanse.engine.data.Dataset;
import dev.expanse.method.basics.GlyphBasics.Distortion;
import dev.expanse.method.basics.GlyphBasics.Face;
import dev.expanse.method.basics.GlyphBasics.Jitter;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GlyphBasicsTest {
    private static final int[] DIGITS = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    private static List<Face> faces;
    private static Dataset clean;

    @BeforeAll
    static void fonts() {
        faces = GlyphBasics.faces();
        assertFalse(faces.isEmpty(), "no usable font is installed: install fonts-dejavu-core "
                + "(see docs/basics.md for the recommended font packages)");
        clean = GlyphBasics.render(faces, DIGITS, 1, Jitter.NONE, new Rng(1));
    }

    private static double sum(float[] x) {
        double s = 0;
        for (float v : x) {
            s += v;
        }
        return s;
    }

    @Test
    void renderingIsHeadless() {
        assertEquals("true", System.getProperty("java.awt.headless"));
    }

    @Test
    void cleanGlyphsAreMnistShapedAndCentred() {
        Dataset d = clean;
        assertEquals(faces.size() * 10, d.size());
        assertEquals(List.of(1, 28, 28), List.of(d.channels(), d.height(), d.width()));
        assertEquals(10, d.numClasses());
        for (int i = 0; i < d.size(); i++) {
            String what = faces.get(i / 10) + " digit " + i % 10;
            assertEquals(i % 10, d.label(i), what);
            float[] img = d.image(i);
            for (float v : img) {
                assertTrue(v >= 0f && v <= 1f, what + ": value " + v);
            }
            // centre of mass within 1 px of (14, 14); rounding alone leaves at most 0.5
            double[] com = MnistFrame.centerOfMass(img, 28, 28);
            assertEquals(14.0, com[0], 1.0, what + " x");
            assertEquals(14.0, com[1], 1.0, what + " y");
            // the ink fills a 20 x 20 box along its longer side and never leaves it
            int[] b = MnistFrame.inkBounds(img, 28, 28);
            int w = b[2] - b[0], h = b[3] - b[1];
            assertTrue(w <= 20 && h <= 20, what + ": ink " + w + " x " + h);
            assertEquals(20, Math.max(w, h), what + ": ink " + w + " x " + h);
        }
    }

    @Test
    void everyFaceDrawsTenDifferentDigits() {
        for (int f = 0; f < faces.size(); f++) {
            Face face = faces.get(f);
            float[][] g = new float[10][];
            for (int d = 0; d < 10; d++) {
                g[d] = clean.image(f * 10 + d);
            }
            for (int a = 0; a < 10; a++) {
                for (int b = a + 1; b < 10; b++) {
                    double l1 = 0;
                    for (int i = 0; i < g[a].length; i++) {
                        l1 += Math.abs(g[a][i] - g[b][i]);
                    }
                    // two different digits differ in far more than 10 full pixels of ink
                    assertTrue(l1 > 10, face + ": digits " + a + " and " + b + " differ by " + l1);
                }
            }
        }
        Set<String> families = new HashSet<>();
        faces.forEach(f -> families.add(f.family()));
        assertEquals(families, new HashSet<>(GlyphBasics.fontFamilies()));
    }

    @Test
    void jitterIsDeterministicPerSeedAndDiffersAcrossSeeds() {
        List<Face> two = faces.subList(0, Math.min(2, faces.size()));
        int[] digits = {3, 7};
        Dataset a = GlyphBasics.render(two, digits, 3, Jitter.DEFAULT, new Rng(7));
        Dataset b = GlyphBasics.render(two, digits, 3, Jitter.DEFAULT, new Rng(7));
        Dataset c = GlyphBasics.render(two, digits, 3, Jitter.DEFAULT, new Rng(8));
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.image(i), b.image(i), 0f, "same seed, example " + i);
            if (i % 3 == 0) {
                assertArrayEquals(a.image(i), c.image(i), 0f, "copy 0 is the clean glyph");
            } else {
                assertFalse(Arrays.equals(a.image(i), c.image(i)), "other seed, example " + i);
                assertFalse(Arrays.equals(a.image(i), a.image(i - i % 3)),
                        "jittered copy equals the clean one, example " + i);
            }
        }
        // a glyph's jitter does not depend on which other faces are rendered with it
        Dataset alone = GlyphBasics.render(two.subList(two.size() - 1, two.size()), digits, 3,
                Jitter.DEFAULT, new Rng(7));
        int off = a.size() - alone.size();
        for (int i = 0; i < alone.size(); i++) {
            assertArrayEquals(a.image(off + i), alone.image(i), 0f, "example " + i);
        }
    }

    @Test
    void distortionsDoWhatTheySay() {
        Face face = faces.get(0);
        float[] clean = GlyphBasics.renderGlyph(face, 4, Distortion.NONE);
        assertArrayEquals(GlyphBasicsTest.clean.image(4), clean, 0f, "rendering is repeatable");
        double[] c0 = MnistFrame.centerOfMass(clean, 28, 28);
        // shift: the centre of mass moves by (2, -2) up to the rounding of each placement
        float[] moved = GlyphBasics.renderGlyph(face, 4, new Distortion(2, -2, 0, 0));
        double[] c1 = MnistFrame.centerOfMass(moved, 28, 28);
        assertEquals(c0[0] + 2, c1[0], 1.0);
        assertEquals(c0[1] - 2, c1[1], 1.0);
        // thickness: wider strokes carry more ink in the same 20 x 20 box
        double thin = sum(GlyphBasics.renderGlyph(face, 4, new Distortion(0, 0, 0, -0.4)));
        double thick = sum(GlyphBasics.renderGlyph(face, 4, new Distortion(0, 0, 0, 0.4)));
        assertTrue(thin < sum(clean) && sum(clean) < thick, thin + " " + sum(clean) + " "
                + thick);
        // rotation: a digit 1 turned by 90 degrees lies on its side
        int[] up = MnistFrame.inkBounds(GlyphBasics.renderGlyph(face, 1, Distortion.NONE), 28, 28);
        int[] side = MnistFrame.inkBounds(
                GlyphBasics.renderGlyph(face, 1, new Distortion(0, 0, 90, 0)), 28, 28);
        assertTrue(up[3] - up[1] > up[2] - up[0], "upright 1 is taller than wide");
        assertTrue(side[2] - side[0] > side[3] - side[1], "turned 1 is wider than tall");
    }

    @Test
    void defaultRenderCoversEveryFaceAndDigit() {
        // one copy per glyph is the clean set (more copies would cost seconds with many fonts;
        // jittered copies are covered above)
        Dataset d = GlyphBasics.render(1, new Rng(3));
        assertEquals(clean.size(), d.size());
        for (int i = 0; i < d.size(); i++) {
            assertEquals(clean.label(i), d.label(i));
            assertArrayEquals(clean.image(i), d.image(i), 0f, "example " + i);
        }
    }

    @Test
    void badArgumentsAreRejected() {
        Rng rng = new Rng(1);
        assertThrows(IllegalArgumentException.class, () -> GlyphBasics.render(0, rng));
        assertThrows(IllegalArgumentException.class,
                () -> GlyphBasics.render(faces, new int[] {10}, 1, Jitter.NONE, rng));
        assertThrows(IllegalArgumentException.class,
                () -> GlyphBasics.render(List.of(), DIGITS, 1, Jitter.NONE, rng));
        assertThrows(IllegalArgumentException.class, () -> new Jitter(5, 10, 0.4));
        assertThrows(IllegalArgumentException.class, () -> new Jitter(2, 10, 1.0));
        assertThrows(IllegalArgumentException.class, () -> new Face("DejaVu Sans", 3));
    }
}
