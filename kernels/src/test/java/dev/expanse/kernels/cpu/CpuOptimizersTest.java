package dev.expanse.kernels.cpu;

import static dev.expanse.kernels.cpu.KernelTestSupport.LANES;
import static dev.expanse.kernels.cpu.KernelTestSupport.assertBitsEqual;
import static dev.expanse.kernels.cpu.KernelTestSupport.download;
import static dev.expanse.kernels.cpu.KernelTestSupport.random;
import static dev.expanse.kernels.cpu.KernelTestSupport.sizes;
import static dev.expanse.kernels.cpu.KernelTestSupport.upload;
import static dev.expanse.kernels.cpu.KernelTestSupport.vectorBackend;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.expanse.kernels.Buffer;
import dev.expanse.kernels.FrozenBlock;
import dev.expanse.kernels.cpu.CpuOptimizers.AdamStep;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Hand-computed steps for the scalar kernels, then vector == scalar bit for bit (same op order)
 * over sizes, padded leading dimensions and frozen rectangles, with frozen cells and padding
 * checked untouched.
 */
class CpuOptimizersTest {

    private static final Parallel TWO = new Parallel(2);

    @AfterAll
    static void closePool() {
        TWO.close();
    }

    /** The value of frozen cells and padding: finite, so any write there (even w -= lr*v) changes it. */
    private static final float SENTINEL = 7.25f;
    // a [2, 3] matrix with ld = 4, frozen rectangle 1 x 2: cells (0,0) and (0,1) are frozen
    private static final int ROWS = 2, COLS = 3, LD = 4, FROZEN_ROWS = 1, FROZEN_COLS = 2;
    private static final FrozenBlock FROZEN = new FrozenBlock(FROZEN_ROWS, FROZEN_COLS);

    private static boolean trainable(int i) {
        int r = i / LD, c = i % LD;
        return c < COLS && !(r < FROZEN_ROWS && c < FROZEN_COLS);
    }

    /** Trainable cells hold {@code value}; frozen cells and padding hold {@link #SENTINEL}. */
    private static float[] layout(float value) {
        float[] a = new float[ROWS * LD];
        for (int i = 0; i < a.length; i++) {
            a[i] = trainable(i) ? value : SENTINEL;
        }
        return a;
    }

    private static void assertTrainable(float[] a, double expected, double tol, String what) {
        for (int i = 0; i < a.length; i++) {
            if (trainable(i)) {
                assertEquals(expected, a[i], tol, what + " at " + i);
            } else {
                assertEquals(SENTINEL, a[i], what + " untouched at " + i);
            }
        }
    }

    @Test
    void sgdWithMomentumTwoStepsByHand() {
        float[] w = layout(1f), g = layout(0.5f), v = layout(0f);
        // step 1: v = 0.5 + 0.01*1 = 0.51, w = 1 - 0.1*0.51 = 0.949
        CpuOptimizers.sgd(ROWS, COLS, LD, FROZEN, w, g, v, 0.1f, 0.9f, 0.01f);
        assertTrainable(v, 0.51, 1e-6, "v after step 1");
        assertTrainable(w, 0.949, 1e-6, "w after step 1");
        // step 2: v = 0.9*0.51 + 0.5 + 0.01*0.949 = 0.96849, w = 0.949 - 0.096849 = 0.852151
        CpuOptimizers.sgd(ROWS, COLS, LD, FROZEN, w, g, v, 0.1f, 0.9f, 0.01f);
        assertTrainable(v, 0.96849, 1e-6, "v after step 2");
        assertTrainable(w, 0.852151, 1e-6, "w after step 2");
    }

    @Test
    void adamTwoStepsByHand() {
        float[] w = layout(1f), g = layout(0.5f), m = layout(0f), v = layout(0f);
        // step 1: m = 0.05, v = 0.00025, m^ = 0.5, v^ = 0.25, w = 1 - 0.1*0.5/(0.5 + 1e-8) = 0.9
        CpuOptimizers.adam(ROWS, COLS, LD, FROZEN, w, g, m, v, AdamStep.of(0.1f, 0.9f, 0.999f, 1e-8f, 1));
        assertTrainable(m, 0.05, 1e-7, "m after step 1");
        // 1 - 0.999f is 0.00099998713 in float, hence 1e-8 on v
        assertTrainable(v, 0.00025, 1e-8, "v after step 1");
        assertTrainable(w, 0.9, 1e-6, "w after step 1");
        // step 2, g = -0.25: m = 0.045 - 0.025 = 0.02, v = 0.00024975 + 0.0000625 = 0.00031225,
        // m^ = 0.02/0.19, v^ = 0.00031225/0.001999, w = 0.9 - 0.1*m^/(sqrt(v^) + 1e-8) = 0.8733663
        float[] g2 = layout(-0.25f);
        CpuOptimizers.adam(ROWS, COLS, LD, FROZEN, w, g2, m, v, AdamStep.of(0.1f, 0.9f, 0.999f, 1e-8f, 2));
        assertTrainable(m, 0.02, 1e-7, "m after step 2");
        assertTrainable(v, 0.00031225, 1e-8, "v after step 2");
        assertTrainable(w, 0.8733663, 2e-6, "w after step 2");
    }

    @Test
    void frozenRectangleWiderThanTheMatrixFreezesWholeRows() {
        float[] w = {1, 2, 3, 4};
        float[] g = {1, 1, 1, 1};
        float[] v = new float[4];
        // [2, 2], frozen rows 1 x cols 5: row 0 frozen entirely, row 1 trained
        CpuOptimizers.sgd(2, 2, 2, new FrozenBlock(1, 5), w, g, v, 1f, 0f, 0f);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new float[] {1, 2, 2, 3}, w);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new float[] {0, 0, 1, 1}, v);
    }

    @Test
    void wholeFrozenRowsStayFrozenAfterTheMatrixGrowsColumns() {
        // [2, 3] with ld = 4 after growing from 2 columns; FrozenBlock.rows(1) covers row 0, new column included
        float[] w = {1, 2, 3, SENTINEL, 4, 5, 6, SENTINEL};
        float[] g = {1, 1, 1, 1, 1, 1, 1, 1};
        float[] v = new float[8], m = new float[8], v2 = new float[8];
        CpuOptimizers.sgd(2, 3, 4, FrozenBlock.rows(1), w, g, v, 0.5f, 0f, 0f);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new float[] {1, 2, 3, SENTINEL, 3.5f, 4.5f, 5.5f, SENTINEL}, w);
        // step 1 with g = 1: m^ = 1, v^ = 1, so w -= lr / (1 + eps)
        CpuOptimizers.adam(2, 3, 4, FrozenBlock.rows(1), w, g, m, v2, AdamStep.of(0.5f, 0.9f, 0.999f, 0f, 1));
        org.junit.jupiter.api.Assertions.assertArrayEquals(new float[] {1, 2, 3, SENTINEL, 3, 4, 5, SENTINEL}, w, 1e-6f);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new float[] {0, 0, 0, 0, 0.1f, 0.1f, 0.1f, 0}, m, 1e-7f);
    }

    // ---------------------------------------------------------------- vector == scalar, exactly

    /** Frozen rectangles for a [rows, cols] matrix: none, all, a corner, a lane-unaligned strip, whole rows. */
    private static int[][] frozenRectangles(int rows, int cols) {
        return new int[][] {
            {0, 0}, {rows, cols}, {rows / 2, cols / 2 + 1}, {1, Math.min(cols, LANES + 1)}, {rows, 3},
            {rows / 2, FrozenBlock.ALL},
        };
    }

    private static boolean frozenOrPadding(int i, int ld, int cols, int fr, int fc) {
        int r = i / ld, c = i % ld;
        return c >= cols || (r < fr && c < fc);
    }

    private static void assertUntouched(float[] before, float[] after, int ld, int cols, int fr, int fc, String what) {
        for (int i = 0; i < before.length; i++) {
            if (frozenOrPadding(i, ld, cols, fr, fc)
                    && Float.floatToRawIntBits(before[i]) != Float.floatToRawIntBits(after[i])) {
                throw new AssertionError(what + ": frozen or padding cell " + i + " was written");
            }
        }
    }

    @Test
    void sgdVectorMatchesScalarExactly() {
        for (int rows : new int[] {0, 1, 3, 70}) {
            for (int cols : sizes()) {
                int ld = cols + 3;
                for (int[] frozen : frozenRectangles(rows, cols)) {
                    FrozenBlock block = new FrozenBlock(frozen[0], frozen[1]);
                    float[] w = random(60, rows * ld), g = random(61, rows * ld), v = random(62, rows * ld);
                    float[] ws = w.clone(), vs = v.clone(), wv = w.clone(), vv = v.clone();
                    for (int step = 0; step < 2; step++) {
                        CpuOptimizers.sgd(rows, cols, ld, block, ws, g, vs, 0.05f, 0.9f, 1e-3f);
                        CpuOptimizers.Vector.sgd(TWO, rows, cols, ld, block, wv, g, vv, 0.05f, 0.9f, 1e-3f);
                    }
                    String what = rows + "x" + cols + " frozen " + frozen[0] + "x" + frozen[1];
                    assertBitsEqual(ws, wv, "w " + what);
                    assertBitsEqual(vs, vv, "v " + what);
                    assertUntouched(w, wv, ld, cols, frozen[0], frozen[1], "w " + what);
                    assertUntouched(v, vv, ld, cols, frozen[0], frozen[1], "v " + what);
                }
            }
        }
    }

    @Test
    void adamVectorMatchesScalarExactly() {
        for (int rows : new int[] {0, 1, 3, 70}) {
            for (int cols : sizes()) {
                int ld = cols + 3;
                for (int[] frozen : frozenRectangles(rows, cols)) {
                    FrozenBlock block = new FrozenBlock(frozen[0], frozen[1]);
                    float[] w = random(63, rows * ld), g = random(64, rows * ld);
                    float[] m = random(65, rows * ld), v = KernelTestSupport.abs(random(66, rows * ld));
                    float[] ws = w.clone(), ms = m.clone(), vs = v.clone(), wv = w.clone(), mv = m.clone(), vv = v.clone();
                    for (int t = 1; t <= 2; t++) {
                        CpuOptimizers.adam(rows, cols, ld, block, ws, g, ms, vs, AdamStep.of(1e-3f, 0.9f, 0.999f, 1e-8f, t));
                        CpuOptimizers.Vector.adam(TWO, rows, cols, ld, block, wv, g, mv, vv, AdamStep.of(1e-3f, 0.9f, 0.999f, 1e-8f, t));
                    }
                    String what = rows + "x" + cols + " frozen " + frozen[0] + "x" + frozen[1];
                    assertBitsEqual(ws, wv, "w " + what);
                    assertBitsEqual(ms, mv, "m " + what);
                    assertBitsEqual(vs, vv, "v " + what);
                    assertUntouched(w, wv, ld, cols, frozen[0], frozen[1], "w " + what);
                    assertUntouched(m, mv, ld, cols, frozen[0], frozen[1], "m " + what);
                    assertUntouched(v, vv, ld, cols, frozen[0], frozen[1], "v " + what);
                }
            }
        }
    }

    @Test
    void backendApiScalarAndVectorAgree() {
        int rows = 70, cols = 1000, ld = 1003, fr = 40, fc = 517;
        float[] w = random(67, rows * ld), g = random(68, rows * ld);
        float[][] results = new float[2][];
        for (int b = 0; b < 2; b++) {
            try (CpuBackend backend = b == 1 ? vectorBackend() : CpuBackend.scalar()) {
                Buffer wb = upload(backend, w), gb = upload(backend, g);
                Buffer vel = backend.allocate(rows * ld), m = backend.allocate(rows * ld), v = backend.allocate(rows * ld);
                backend.sgdStep(rows, cols, ld, new FrozenBlock(fr, fc), wb, gb, vel, 0.1f, 0.9f, 5e-4f);
                backend.adamStep(rows, cols, ld, new FrozenBlock(fr, fc), wb, gb, m, v, 1e-3f, 0.9f, 0.999f, 1e-8f, 1);
                results[b] = download(wb);
            }
        }
        assertBitsEqual(results[0], results[1], "scalar vs vector backend");
        assertUntouched(w, results[1], ld, cols, fr, fc, "w");
    }
}
