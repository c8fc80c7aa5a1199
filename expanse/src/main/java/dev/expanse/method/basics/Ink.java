package dev.expanse.method.basics;

/**
 * Stroke-width estimate and grey-level morphology on a {@code [h, w]} row-major ink image
 * (white ink on black, values in [0, 1]): what makes a rendered glyph thicker or thinner.
 */
final class Ink {
    private Ink() {
    }

    /**
     * Mean stroke width in pixels, from area and perimeter: a stroke of width s and length L has
     * area s*L and perimeter about 2L, so s = 2 * area / perimeter. The perimeter is counted as
     * ink/background pixel edges (pixel > 0.5), which overcounts a curve of random orientation
     * by 4/pi; that factor is taken out. Returns 0 for an image without ink.
     */
    static double strokeWidth(float[] img, int w, int h) {
        long area = 0, edges = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean in = img[y * w + x] > 0.5f;
                if (in) {
                    area++;
                }
                if (x + 1 < w && in != (img[y * w + x + 1] > 0.5f)) {
                    edges++;
                }
                if (y + 1 < h && in != (img[(y + 1) * w + x] > 0.5f)) {
                    edges++;
                }
            }
        }
        if (edges == 0) {
            return 0;
        }
        double perimeter = edges * Math.PI / 4;
        return 2.0 * area / perimeter;
    }

    /**
     * Grey-level dilation ({@code radius > 0}: each pixel becomes the maximum over a disc) or
     * erosion ({@code radius < 0}: the minimum) with a disc of {@code |radius|} pixels. The image
     * border counts as background. A radius under half a pixel returns a copy.
     */
    static float[] morph(float[] img, int w, int h, double radius) {
        double r = Math.abs(radius);
        int ri = (int) Math.floor(r);
        if (r < 0.5) {
            return img.clone();
        }
        boolean dilate = radius > 0;
        // disc offsets, kept as parallel arrays for the inner loop
        int n = 0;
        int[] ox = new int[(2 * ri + 1) * (2 * ri + 1)];
        int[] oy = new int[ox.length];
        for (int j = -ri; j <= ri; j++) {
            for (int i = -ri; i <= ri; i++) {
                if (i * i + j * j <= r * r) {
                    ox[n] = i;
                    oy[n] = j;
                    n++;
                }
            }
        }
        float[] out = new float[w * h];
        int[] box = MnistFrame.inkBounds(img, w, h);
        if (box == null) {
            return out;
        }
        // outside the ink box widened by the radius both operations give 0
        int x0 = Math.max(0, box[0] - ri), y0 = Math.max(0, box[1] - ri);
        int x1 = Math.min(w, box[2] + ri), y1 = Math.min(h, box[3] + ri);
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                float v = dilate ? 0f : 1f;
                for (int k = 0; k < n; k++) {
                    int xx = x + ox[k], yy = y + oy[k];
                    float s = xx < 0 || yy < 0 || xx >= w || yy >= h ? 0f : img[yy * w + xx];
                    v = dilate ? Math.max(v, s) : Math.min(v, s);
                }
                out[y * w + x] = v;
            }
        }
        return out;
    }
}
