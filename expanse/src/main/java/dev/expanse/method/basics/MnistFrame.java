package dev.expanse.method.basics;

/**
 * MNIST's size and position normalisation (LeCun et al.): an ink image of any size becomes a
 * 28x28 image whose ink fits a 20x20 box, aspect ratio kept, and whose intensity centre of mass
 * sits at the centre of the frame.
 *
 * <p>Coordinates are pixel indices: pixel {@code (x, y)} has its centre at {@code (x, y)}, and the
 * frame centre is {@link #CENTER} = 14 in both directions, the convention of the usual MNIST
 * preprocessing code ({@code shift = round(28/2 - centre_of_mass)}). The committed MNIST fixture
 * has its mean centre of mass at (14.02, 14.01) in these coordinates.
 */
public final class MnistFrame {
    /** Width and height of the frame. */
    public static final int SIZE = 28;
    /** Width and height of the box the ink is scaled to fit. */
    public static final int BOX = 20;
    /** Where the centre of mass goes, in pixel-index coordinates. */
    public static final double CENTER = SIZE / 2.0;

    private MnistFrame() {
    }

    /**
     * Normalises an ink image: crops it to the bounding box of its non-zero pixels, scales that
     * by area averaging so its longer side is {@link #BOX} pixels (the shorter one rounded, at
     * least 1), and pastes it into a black {@code 28 x 28} frame at the integer offset that puts
     * its intensity centre of mass nearest to {@code (CENTER + dx, CENTER + dy)}, clamped so that
     * no ink leaves the frame. With {@code dx = dy = 0} the centre of mass ends within half a
     * pixel of the centre in each direction.
     *
     * @param ink {@code [h, w]} row-major intensities in [0, 1] (white ink on black); not modified
     * @param dx extra horizontal shift of the target centre, in output pixels
     * @param dy extra vertical shift of the target centre, in output pixels
     * @return {@code [28, 28]} row-major values in [0, 1]
     * @throws IllegalArgumentException if the sizes disagree or the image has no ink
     */
    public static float[] normalize(float[] ink, int w, int h, double dx, double dy) {
        if (w < 1 || h < 1 || ink.length != w * h) {
            throw new IllegalArgumentException("ink image of " + ink.length + " values is not "
                    + h + " x " + w);
        }
        int[] box = inkBounds(ink, w, h); // x0, y0, x1, y1 (exclusive)
        if (box == null) {
            throw new IllegalArgumentException("the ink image is blank");
        }
        int cw = box[2] - box[0], ch = box[3] - box[1];
        double scale = (double) BOX / Math.max(cw, ch);
        int sw = Math.max(1, Math.min(BOX, (int) Math.round(cw * scale)));
        int sh = Math.max(1, Math.min(BOX, (int) Math.round(ch * scale)));
        float[] patch = areaResample(ink, w, box[0], box[1], cw, ch, sw, sh); // [sh, sw]

        double[] com = centerOfMass(patch, sw, sh);
        int ox = clamp((int) Math.round(CENTER + dx - com[0]), 0, SIZE - sw);
        int oy = clamp((int) Math.round(CENTER + dy - com[1]), 0, SIZE - sh);
        float[] out = new float[SIZE * SIZE];
        for (int y = 0; y < sh; y++) {
            System.arraycopy(patch, y * sw, out, (oy + y) * SIZE + ox, sw);
        }
        return out;
    }

    /**
     * The intensity centre of mass {@code {x, y}} of a {@code [h, w]} image in pixel-index
     * coordinates, or the geometric centre {@code ((w-1)/2, (h-1)/2)} if it is all zero.
     */
    public static double[] centerOfMass(float[] img, int w, int h) {
        double sum = 0, sx = 0, sy = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double v = img[y * w + x];
                sum += v;
                sx += v * x;
                sy += v * y;
            }
        }
        if (sum == 0) {
            return new double[] {(w - 1) / 2.0, (h - 1) / 2.0};
        }
        return new double[] {sx / sum, sy / sum};
    }

    /**
     * The bounding box {@code {x0, y0, x1, y1}} (x1, y1 exclusive) of the non-zero pixels of a
     * {@code [h, w]} image, or null if it is all zero.
     */
    public static int[] inkBounds(float[] img, int w, int h) {
        int x0 = w, y0 = h, x1 = -1, y1 = -1;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (img[y * w + x] > 0) {
                    x0 = Math.min(x0, x);
                    x1 = Math.max(x1, x);
                    y0 = Math.min(y0, y);
                    y1 = Math.max(y1, y);
                }
            }
        }
        return x1 < 0 ? null : new int[] {x0, y0, x1 + 1, y1 + 1};
    }

    /**
     * Area-averaging resample of the {@code cw x ch} window at {@code (x0, y0)} of a row-major
     * image with row length {@code w} to {@code sw x sh}: each output pixel is the mean of the
     * source area it covers, partial pixels weighted by their covered fraction. A box filter is
     * separable, so rows are resampled first, then columns.
     */
    static float[] areaResample(float[] src, int w, int x0, int y0, int cw, int ch, int sw,
            int sh) {
        double[] rows = new double[ch * sw]; // [ch, sw]
        double[] line = new double[cw];
        double[] out1 = new double[sw];
        for (int y = 0; y < ch; y++) {
            for (int x = 0; x < cw; x++) {
                line[x] = src[(y0 + y) * w + x0 + x];
            }
            resample1d(line, cw, out1, sw);
            System.arraycopy(out1, 0, rows, y * sw, sw);
        }
        float[] out = new float[sh * sw]; // [sh, sw]
        double[] col = new double[ch];
        double[] out2 = new double[sh];
        for (int x = 0; x < sw; x++) {
            for (int y = 0; y < ch; y++) {
                col[y] = rows[y * sw + x];
            }
            resample1d(col, ch, out2, sh);
            for (int y = 0; y < sh; y++) {
                out[y * sw + x] = (float) Math.min(1.0, Math.max(0.0, out2[y]));
            }
        }
        return out;
    }

    /** Box-filter resample of {@code in[0..n)} to {@code out[0..m)}: out[j] = mean over its span. */
    private static void resample1d(double[] in, int n, double[] out, int m) {
        double step = (double) n / m;
        for (int j = 0; j < m; j++) {
            double a = j * step, b = (j + 1) * step;
            double s = 0;
            for (int i = (int) Math.floor(a); i < n && i < b; i++) {
                double cover = Math.min(b, i + 1) - Math.max(a, i);
                if (cover > 0) {
                    s += cover * in[i];
                }
            }
            out[j] = s / step;
        }
    }

    private static int clamp(int v, int lo, int hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
