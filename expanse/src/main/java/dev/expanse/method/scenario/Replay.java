package dev.expanse.method.scenario;

import dev.expanse.engine.Rng;
import dev.expanse.engine.data.Dataset;

/**
 * Balanced replay: the rehearsed source data is small, so it is repeated to weigh as much per
 * class as the target data; every repeat after the first is a randomly shifted copy (up to
 * {@link #MAX_SHIFT} pixels each way, zero fill), so the repeats are not exact duplicates.
 */
public final class Replay {
    /** Largest shift, in pixels, of a repeated image. */
    public static final int MAX_SHIFT = 2;

    private Replay() {
    }

    /**
     * {@code data} followed by {@code times - 1} shifted copies of it ({@code data} alone when
     * {@code times <= 1}).
     */
    public static Dataset balanced(Dataset data, long times, Rng rng) {
        if (times <= 1 || data.size() == 0) return data;
        int n = data.size(), f = data.features();
        int copies = (int) times - 1;
        float[] x = new float[Math.multiplyExact(copies * n, f)];
        int[] y = new int[copies * n];
        float[] img = new float[f];
        for (int k = 0; k < copies; k++) {
            for (int i = 0; i < n; i++) {
                data.image(i, img, 0);
                int dx = rng.nextInt(2 * MAX_SHIFT + 1) - MAX_SHIFT, dy = rng.nextInt(2 * MAX_SHIFT + 1) - MAX_SHIFT;
                shift(img, data.channels(), data.height(), data.width(), dx, dy, x, (k * n + i) * f);
                y[k * n + i] = data.label(i);
            }
        }
        return data.concat(Dataset.of(x, y, data.channels(), data.height(), data.width(), data.numClasses()));
    }

    /** Writes {@code img} ([C, H, W]) moved right by dx and down by dy into {@code out} at {@code off}. */
    static void shift(float[] img, int c, int h, int w, int dx, int dy, float[] out, int off) {
        for (int ch = 0; ch < c; ch++) {
            for (int r = 0; r < h; r++) {
                int sr = r - dy;
                for (int col = 0; col < w; col++) {
                    int sc = col - dx;
                    out[off + (ch * h + r) * w + col] = sr >= 0 && sr < h && sc >= 0 && sc < w ? img[(ch * h + sr) * w + sc] : 0f;
                }
            }
        }
    }
}
