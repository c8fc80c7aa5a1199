package dev.expanse.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class OptimizersTest {

    private static final float NAN = Float.NaN;
    // a [2, 3] matrix with ld = 4, frozen rectangle 1 x 2: cells (0,0) and (0,1) are frozen
    private static final int ROWS = 2, COLS = 3, LD = 4, FROZEN_ROWS = 1, FROZEN_COLS = 2;

    private static boolean trainable(int i) {
        int r = i / LD, c = i % LD;
        return c < COLS && !(r < FROZEN_ROWS && c < FROZEN_COLS);
    }

    /** trainable cells hold {@code value}; frozen cells and padding hold NaN, so touching them shows. */
    private static float[] layout(float value) {
        float[] a = new float[ROWS * LD];
        for (int i = 0; i < a.length; i++) {
            a[i] = trainable(i) ? value : NAN;
        }
        return a;
    }

    private static void assertTrainable(float[] a, double expected, double tol, String what) {
        for (int i = 0; i < a.length; i++) {
            if (trainable(i)) {
                assertEquals(expected, a[i], tol, what + " at " + i);
            } else {
                assertEquals(Float.floatToRawIntBits(NAN), Float.floatToRawIntBits(a[i]), what + " untouched at " + i);
            }
        }
    }

    @Test
    void sgdWithMomentumTwoStepsByHand() {
        float[] w = layout(1f), g = layout(0.5f), v = layout(0f);
        // step 1: v = 0.5 + 0.01*1 = 0.51, w = 1 - 0.1*0.51 = 0.949
        Optimizers.sgdScalar(ROWS, COLS, LD, FROZEN_ROWS, FROZEN_COLS, w, g, v, 0.1f, 0.9f, 0.01f);
        assertTrainable(v, 0.51, 1e-6, "v after step 1");
        assertTrainable(w, 0.949, 1e-6, "w after step 1");
        // step 2: v = 0.9*0.51 + 0.5 + 0.01*0.949 = 0.96849, w = 0.949 - 0.096849 = 0.852151
        Optimizers.sgdScalar(ROWS, COLS, LD, FROZEN_ROWS, FROZEN_COLS, w, g, v, 0.1f, 0.9f, 0.01f);
        assertTrainable(v, 0.96849, 1e-6, "v after step 2");
        assertTrainable(w, 0.852151, 1e-6, "w after step 2");
    }

    @Test
    void adamTwoStepsByHand() {
        float[] w = layout(1f), g = layout(0.5f), m = layout(0f), v = layout(0f);
        // step 1: m = 0.05, v = 0.00025, m^ = 0.5, v^ = 0.25, w = 1 - 0.1*0.5/(0.5 + 1e-8) = 0.9
        Optimizers.adamScalar(ROWS, COLS, LD, FROZEN_ROWS, FROZEN_COLS, w, g, m, v, 0.1f, 0.9f, 0.999f, 1e-8f, 1);
        assertTrainable(m, 0.05, 1e-7, "m after step 1");
        // 1 - 0.999f is 0.00099998713 in float, hence 1e-8 on v
        assertTrainable(v, 0.00025, 1e-8, "v after step 1");
        assertTrainable(w, 0.9, 1e-6, "w after step 1");
        // step 2, g = -0.25: m = 0.045 - 0.025 = 0.02, v = 0.00024975 + 0.0000625 = 0.00031225,
        // m^ = 0.02/0.19, v^ = 0.00031225/0.001999, w = 0.9 - 0.1*m^/(sqrt(v^) + 1e-8) = 0.8733663
        float[] g2 = layout(-0.25f);
        Optimizers.adamScalar(ROWS, COLS, LD, FROZEN_ROWS, FROZEN_COLS, w, g2, m, v, 0.1f, 0.9f, 0.999f, 1e-8f, 2);
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
        Optimizers.sgdScalar(2, 2, 2, 1, 5, w, g, v, 1f, 0f, 0f);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new float[] {1, 2, 2, 3}, w);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new float[] {0, 0, 1, 1}, v);
    }
}
