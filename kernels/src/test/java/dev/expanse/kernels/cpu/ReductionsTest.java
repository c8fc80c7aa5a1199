package dev.expanse.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class ReductionsTest {

    private static final float NAN = Float.NaN;
    // x is [2, 3] with ldx = 4; the padding column holds NaN so reading it would show
    private static final float[] X = {1, 2, 3, NAN, 4, 5, 6, NAN};

    @Test
    void sumOverRowsByHand() {
        float[] out = {NAN, NAN, NAN, 42};
        Reductions.sumOverRowsScalar(2, 3, X, 4, 0f, out);
        assertArrayEquals(new float[] {5, 7, 9, 42}, out, "beta = 0 must not read out");
        float[] acc = {1, 1, 1};
        Reductions.sumOverRowsScalar(2, 3, X, 4, 2f, acc);
        assertArrayEquals(new float[] {7, 9, 11}, acc);
    }

    @Test
    void sumOverColumnsByHand() {
        float[] out = {NAN, NAN, 42};
        Reductions.sumOverColumnsScalar(2, 3, X, 4, 0f, out);
        assertArrayEquals(new float[] {6, 15, 42}, out, "beta = 0 must not read out");
        float[] acc = {2, 4};
        Reductions.sumOverColumnsScalar(2, 3, X, 4, 0.5f, acc);
        assertArrayEquals(new float[] {7, 17}, acc);
    }

    @Test
    void sumsOverEmptyExtentGiveBetaTimesOut() {
        float[] out = {3, 4};
        Reductions.sumOverRowsScalar(0, 2, new float[0], 2, 0.5f, out);
        assertArrayEquals(new float[] {1.5f, 2}, out);
        float[] zeroed = {NAN, NAN};
        Reductions.sumOverColumnsScalar(2, 0, new float[0], 0, 0f, zeroed);
        assertArrayEquals(new float[] {0, 0}, zeroed);
    }

    @Test
    void argmaxTakesTheFirstLargest() {
        float[] x = {
            1, 3, 3,
            -1, -2, -3,
            0, 0, 5,
            2, NAN, 1,
        };
        float[] out = new float[5];
        out[4] = 42;
        Reductions.argmaxRowsScalar(4, 3, x, out);
        assertArrayEquals(new float[] {1, 0, 2, 0, 42}, out);
    }

    @Test
    void argmaxWithNoColumnsLeavesOutAlone() {
        float[] out = {7, 8};
        Reductions.argmaxRowsScalar(2, 0, new float[0], out);
        assertArrayEquals(new float[] {7, 8}, out);
    }
}
