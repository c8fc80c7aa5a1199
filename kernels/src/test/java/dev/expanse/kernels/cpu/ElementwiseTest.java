package dev.expanse.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class ElementwiseTest {

    private static final float NAN = Float.NaN;

    @Test
    void axpyByHand() {
        float[] y = {10, 20, 30, 7};
        Elementwise.axpyScalar(3, 2f, new float[] {1, 2, 3, 100}, y);
        assertArrayEquals(new float[] {12, 24, 36, 7}, y);
    }

    @Test
    void scaleByHand() {
        float[] x = {1, -2, 0.5f, 9};
        Elementwise.scaleScalar(3, 3f, x);
        assertArrayEquals(new float[] {3, -6, 1.5f, 9}, x);
    }

    @Test
    void addAndMulByHandWithAliasing() {
        float[] x = {1, 2, 3};
        float[] y = {4, 5, 6};
        float[] z = {NAN, NAN, NAN};
        Elementwise.addScalar(3, x, y, z);
        assertArrayEquals(new float[] {5, 7, 9}, z);
        Elementwise.mulScalar(3, x, y, x);
        assertArrayEquals(new float[] {4, 10, 18}, x);
        Elementwise.addScalar(2, y, y, y);
        assertArrayEquals(new float[] {8, 10, 6}, y);
    }

    @Test
    void addRowVectorLeavesPaddingAlone() {
        // y is [2, 2] with ldy = 3; the third column is padding
        float[] y = {1, 2, NAN, 3, 4, NAN};
        Elementwise.addRowVectorScalar(2, 2, y, 3, new float[] {10, 20});
        assertArrayEquals(new float[] {11, 22, NAN, 13, 24, NAN}, y);
    }

    @Test
    void zeroSizesDoNothing() {
        float[] y = {1, 2};
        Elementwise.axpyScalar(0, 2f, new float[0], y);
        Elementwise.scaleScalar(0, 2f, y);
        Elementwise.addScalar(0, new float[0], new float[0], y);
        Elementwise.mulScalar(0, new float[0], new float[0], y);
        Elementwise.addRowVectorScalar(0, 2, y, 2, new float[] {5, 5});
        Elementwise.addRowVectorScalar(1, 0, y, 2, new float[0]);
        assertArrayEquals(new float[] {1, 2}, y);
    }
}
