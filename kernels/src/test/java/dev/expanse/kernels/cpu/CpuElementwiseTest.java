package dev.expanse.kernels.cpu;

import static dev.expanse.kernels.cpu.KernelTestSupport.assertBitsEqual;
import static dev.expanse.kernels.cpu.KernelTestSupport.download;
import static dev.expanse.kernels.cpu.KernelTestSupport.randomWithSpecials;
import static dev.expanse.kernels.cpu.KernelTestSupport.sizes;
import static dev.expanse.kernels.cpu.KernelTestSupport.sizesAndParallel;
import static dev.expanse.kernels.cpu.KernelTestSupport.upload;
import static dev.expanse.kernels.cpu.KernelTestSupport.vectorBackend;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.expanse.kernels.Buffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Hand-computed cases for the scalar kernels, then vector == scalar bit for bit (same op order). */
class CpuElementwiseTest {

    private static final float NAN = Float.NaN;
    private static final Parallel TWO = new Parallel(2);

    @AfterAll
    static void closePool() {
        TWO.close();
    }

    @Test
    void axpyByHand() {
        float[] y = {10, 20, 30, 7};
        CpuElementwise.axpy(0, 3, 2f, new float[] {1, 2, 3, 100}, y);
        assertArrayEquals(new float[] {12, 24, 36, 7}, y);
    }

    @Test
    void scaleByHand() {
        float[] x = {1, -2, 0.5f, 9};
        CpuElementwise.scale(0, 3, 3f, x);
        assertArrayEquals(new float[] {3, -6, 1.5f, 9}, x);
    }

    @Test
    void addAndMulByHandWithAliasing() {
        float[] x = {1, 2, 3};
        float[] y = {4, 5, 6};
        float[] z = {NAN, NAN, NAN};
        CpuElementwise.add(0, 3, x, y, z);
        assertArrayEquals(new float[] {5, 7, 9}, z);
        CpuElementwise.mul(0, 3, x, y, x);
        assertArrayEquals(new float[] {4, 10, 18}, x);
        CpuElementwise.add(0, 2, y, y, y);
        assertArrayEquals(new float[] {8, 10, 6}, y);
    }

    @Test
    void addRowVectorLeavesPaddingAlone() {
        // y is [2, 2] with ldy = 3; the third column is padding
        float[] y = {1, 2, NAN, 3, 4, NAN};
        CpuElementwise.addRowVector(2, 2, y, 3, new float[] {10, 20});
        assertArrayEquals(new float[] {11, 22, NAN, 13, 24, NAN}, y);
    }

    @Test
    void zeroSizesDoNothing() {
        float[] y = {1, 2};
        CpuElementwise.axpy(0, 0, 2f, new float[0], y);
        CpuElementwise.scale(0, 0, 2f, y);
        CpuElementwise.add(0, 0, new float[0], new float[0], y);
        CpuElementwise.mul(0, 0, new float[0], new float[0], y);
        CpuElementwise.addRowVector(0, 2, y, 2, new float[] {5, 5});
        CpuElementwise.addRowVector(1, 0, y, 2, new float[0]);
        assertArrayEquals(new float[] {1, 2}, y);
    }

    @Test
    void scalarTwinsTouchOnlyTheirRange() {
        // the vector kernels hand their tails to these, so [lo, hi) must be exact
        float[] y = {1, 1, 1, 1, 1};
        float[] x = {1, 2, 3, 4, 5};
        CpuElementwise.axpy(1, 3, 2f, x, y);
        assertArrayEquals(new float[] {1, 5, 7, 1, 1}, y);
        CpuElementwise.scale(3, 5, -1f, y);
        assertArrayEquals(new float[] {1, 5, 7, -1, -1}, y);
        CpuElementwise.add(0, 2, x, y, y);
        CpuElementwise.mul(4, 5, x, x, y);
        assertArrayEquals(new float[] {2, 7, 7, -1, 25}, y);
        CpuElementwise.addInto(1, 2, x, 3, y, 0);
        CpuElementwise.addConstant(2, 4, 0.5f, y);
        assertArrayEquals(new float[] {2, 12, 7.5f, -0.5f, 25}, y);
    }

    // ---------------------------------------------------------------- vector == scalar, exactly

    @Test
    void axpyAndScaleVectorMatchScalar() {
        for (int n : sizesAndParallel()) {
            float[] x = randomWithSpecials(1, n), y = randomWithSpecials(2, n);
            float[] expected = y.clone(), actual = y.clone();
            CpuElementwise.axpy(0, n, -0.75f, x, expected);
            CpuElementwise.Vector.axpy(TWO, n, -0.75f, x, actual);
            assertBitsEqual(expected, actual, "axpy n=" + n);

            CpuElementwise.scale(0, n, 1.5f, expected);
            CpuElementwise.Vector.scale(TWO, n, 1.5f, actual);
            assertBitsEqual(expected, actual, "scale n=" + n);
        }
    }

    @Test
    void addAndMulVectorMatchScalarIncludingAliasing() {
        for (int n : sizesAndParallel()) {
            float[] x = randomWithSpecials(3, n), y = randomWithSpecials(4, n);
            float[] expected = new float[n], actual = new float[n];
            CpuElementwise.add(0, n, x, y, expected);
            CpuElementwise.Vector.add(TWO, n, x, y, actual);
            assertBitsEqual(expected, actual, "add n=" + n);
            CpuElementwise.mul(0, n, x, y, expected);
            CpuElementwise.Vector.mul(TWO, n, x, y, actual);
            assertBitsEqual(expected, actual, "mul n=" + n);

            float[] xs = x.clone(), xv = x.clone();
            CpuElementwise.mul(0, n, xs, y, xs);
            CpuElementwise.Vector.mul(TWO, n, xv, y, xv);
            assertBitsEqual(xs, xv, "mul into x, n=" + n);
            CpuElementwise.add(0, n, y, xs, xs);
            CpuElementwise.Vector.add(TWO, n, y, xv, xv);
            assertBitsEqual(xs, xv, "add into y, n=" + n);
        }
    }

    @Test
    void addRowVectorVectorMatchesScalarAndSkipsPadding() {
        for (int rows : new int[] {0, 1, 5, 130}) {
            for (int cols : sizes()) {
                int ldy = cols + 3;
                float[] y = randomWithSpecials(5, rows * ldy), v = randomWithSpecials(6, cols);
                float[] expected = y.clone(), actual = y.clone();
                CpuElementwise.addRowVector(rows, cols, expected, ldy, v);
                CpuElementwise.Vector.addRowVector(TWO, rows, cols, actual, ldy, v);
                assertBitsEqual(expected, actual, "addRowVector " + rows + "x" + cols);
                for (int r = 0; r < rows; r++) {
                    for (int c = cols; c < ldy; c++) {
                        assertBitsEqual(new float[] {y[r * ldy + c]}, new float[] {actual[r * ldy + c]}, "padding");
                    }
                }
            }
        }
    }

    @Test
    void backendApiScalarAndVectorAgree() {
        int n = KernelTestSupport.PARALLEL_SIZE;
        float[] x = randomWithSpecials(7, n), y = randomWithSpecials(8, n);
        float[][] results = new float[2][];
        for (int b = 0; b < 2; b++) {
            try (CpuBackend backend = b == 1 ? vectorBackend() : CpuBackend.scalar()) {
                Buffer xb = upload(backend, x), yb = upload(backend, y), zb = backend.allocate(n);
                backend.axpy(n, 0.5f, xb, yb);
                backend.scale(n, -2f, yb);
                backend.add(n, xb, yb, zb);
                backend.mul(n, zb, xb, zb);
                backend.addRowVector(n / 1000, 999, zb, 1000, xb);
                results[b] = download(zb);
            }
        }
        assertBitsEqual(results[0], results[1], "scalar vs vector backend");
    }
}
