package dev.expanse.kernels.cpu;

import static dev.expanse.kernels.cpu.KernelTestSupport.abs;
import static dev.expanse.kernels.cpu.KernelTestSupport.assertBitsEqual;
import static dev.expanse.kernels.cpu.KernelTestSupport.assertWithinSumOfTerms;
import static dev.expanse.kernels.cpu.KernelTestSupport.download;
import static dev.expanse.kernels.cpu.KernelTestSupport.filled;
import static dev.expanse.kernels.cpu.KernelTestSupport.random;
import static dev.expanse.kernels.cpu.KernelTestSupport.randomInts;
import static dev.expanse.kernels.cpu.KernelTestSupport.sizes;
import static dev.expanse.kernels.cpu.KernelTestSupport.upload;
import static dev.expanse.kernels.cpu.KernelTestSupport.vectorBackend;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.expanse.kernels.Buffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Hand-computed cases for the scalar kernels, then vector against scalar: column sums and argmax
 * bit for bit, row sums within 1e-5 of the sum of |terms| (the lanes change the summation order).
 */
class CpuReduceTest {

    /** Row counts of the equivalence tests; 70 rows of 1000 columns split over two threads. */
    private static final int[] ROWS = {0, 1, 5, 70};
    private static final double REL = 1e-5;
    private static final Parallel ONE = new Parallel(1);
    private static final Parallel TWO = new Parallel(2);

    @AfterAll
    static void closePools() {
        ONE.close();
        TWO.close();
    }

    private static final float NAN = Float.NaN;
    // x is [2, 3] with ldx = 4; the padding column holds NaN so reading it would show
    private static final float[] X = {1, 2, 3, NAN, 4, 5, 6, NAN};

    @Test
    void sumOverRowsByHand() {
        float[] out = {NAN, NAN, NAN, 42};
        CpuReduce.sumOverRows(0, 3, 2, X, 4, 0f, out);
        assertArrayEquals(new float[] {5, 7, 9, 42}, out, "beta = 0 must not read out");
        float[] acc = {1, 1, 1};
        CpuReduce.sumOverRows(0, 3, 2, X, 4, 2f, acc);
        assertArrayEquals(new float[] {7, 9, 11}, acc);
    }

    @Test
    void sumOverColumnsByHand() {
        float[] out = {NAN, NAN, 42};
        CpuReduce.sumOverColumns(2, 3, X, 4, 0f, out);
        assertArrayEquals(new float[] {6, 15, 42}, out, "beta = 0 must not read out");
        float[] acc = {2, 4};
        CpuReduce.sumOverColumns(2, 3, X, 4, 0.5f, acc);
        assertArrayEquals(new float[] {7, 17}, acc);
    }

    @Test
    void sumsOverEmptyExtentGiveBetaTimesOut() {
        float[] out = {3, 4};
        CpuReduce.sumOverRows(0, 2, 0, new float[0], 2, 0.5f, out);
        assertArrayEquals(new float[] {1.5f, 2}, out);
        float[] zeroed = {NAN, NAN};
        CpuReduce.sumOverColumns(2, 0, new float[0], 0, 0f, zeroed);
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
        CpuReduce.argmaxRows(4, 3, x, out);
        assertArrayEquals(new float[] {1, 0, 2, 0, 42}, out);
    }

    @Test
    void argmaxWithNoColumnsLeavesOutAlone() {
        float[] out = {7, 8};
        CpuReduce.argmaxRows(2, 0, new float[0], out);
        assertArrayEquals(new float[] {7, 8}, out);
    }

    @Test
    void runningReductionsContinueFromTheirAccumulator() {
        // a vector kernel finishes its lanes' sum or max with these, element by element
        float[] x = {1, 2, 3, 4, NAN};
        assertEquals(10.5f, CpuReduce.accumulate(0.5f, x, 0, 4));
        assertEquals(7f, CpuReduce.accumulate(0f, x, 2, 4));
        assertEquals(-1f, CpuReduce.accumulate(-1f, x, 3, 3), "empty range");
        assertEquals(9f, CpuReduce.max(9f, x, 0, 4));
        assertEquals(4f, CpuReduce.max(-1f, x, 1, 4));
        assertEquals(NAN, CpuReduce.max(0f, x, 3, 5), "NaN wins, as in Math.max");
        assertEquals(3, CpuReduce.indexOf(x, 0, 1, 5, 4f));
        assertEquals(5, CpuReduce.indexOf(x, 0, 0, 5, 7f), "not found: n");
        float[] out = {0, 0, 0, 0};
        // columns [1, 3) of the [2, 3] matrix X only
        CpuReduce.sumOverRows(1, 3, 2, X, 4, 0f, out);
        assertArrayEquals(new float[] {0, 7, 9, 0}, out);
    }

    // ---------------------------------------------------------------- vector against scalar

    @Test
    void sumOverRowsVectorMatchesScalarExactly() {
        for (int rows : ROWS) {
            for (int cols : sizes()) {
                int ldx = cols + 5;
                float[] x = random(21, rows * ldx), out = random(22, cols);
                float[] expected = filled(cols, NAN), actual = filled(cols, NAN);
                CpuReduce.sumOverRows(0, cols, rows, x, ldx, 0f, expected);
                CpuReduce.Vector.sumOverRows(TWO, rows, cols, x, ldx, 0f, actual);
                assertBitsEqual(expected, actual, "beta 0, " + rows + "x" + cols);
                expected = out.clone();
                actual = out.clone();
                CpuReduce.sumOverRows(0, cols, rows, x, ldx, 0.5f, expected);
                CpuReduce.Vector.sumOverRows(TWO, rows, cols, x, ldx, 0.5f, actual);
                assertBitsEqual(expected, actual, "beta 0.5, " + rows + "x" + cols);
            }
        }
    }

    @Test
    void sumOverColumnsVectorMatchesScalarWithinRounding() {
        for (int rows : ROWS) {
            for (int cols : sizes()) {
                int ldx = cols + 5;
                float[] x = random(23, rows * ldx), out = random(24, rows);
                float[] expected = filled(rows, NAN), actual = filled(rows, NAN), bound = new float[rows];
                CpuReduce.sumOverColumns(rows, cols, x, ldx, 0f, expected);
                CpuReduce.Vector.sumOverColumns(TWO, rows, cols, x, ldx, 0f, actual);
                CpuReduce.sumOverColumns(rows, cols, abs(x), ldx, 0f, bound);
                assertWithinSumOfTerms(expected, actual, bound, REL, "beta 0, " + rows + "x" + cols);

                expected = out.clone();
                actual = out.clone();
                float[] single = out.clone();
                bound = abs(out);
                CpuReduce.sumOverColumns(rows, cols, x, ldx, -2f, expected);
                CpuReduce.Vector.sumOverColumns(TWO, rows, cols, x, ldx, -2f, actual);
                CpuReduce.Vector.sumOverColumns(ONE, rows, cols, x, ldx, -2f, single);
                CpuReduce.sumOverColumns(rows, cols, abs(x), ldx, 2f, bound);
                assertWithinSumOfTerms(expected, actual, bound, REL, "beta -2, " + rows + "x" + cols);
                assertBitsEqual(single, actual, "1 vs 2 threads, " + rows + "x" + cols);
            }
        }
    }

    @Test
    void argmaxVectorMatchesScalarOnTiesAndNaN() {
        for (int rows : ROWS) {
            for (int cols : sizes()) {
                for (int variant = 0; variant < 3; variant++) {
                    // distinct values, many ties, and ties plus NaN / infinities
                    float[] x = variant == 0 ? random(25, rows * cols)
                            : variant == 1 ? randomInts(26, rows * cols, 4)
                            : KernelTestSupport.randomWithSpecials(27, rows * cols);
                    float[] expected = filled(rows, -1), actual = filled(rows, -1);
                    CpuReduce.argmaxRows(rows, cols, x, expected);
                    CpuReduce.Vector.argmaxRows(TWO, rows, cols, x, actual);
                    assertBitsEqual(expected, actual, "variant " + variant + ", " + rows + "x" + cols);
                }
            }
        }
    }

    @Test
    void backendApiScalarAndVectorAgree() {
        int rows = 70, cols = 1000, ldx = 1003;
        float[] x = random(28, rows * ldx);
        float[][] results = new float[2][];
        for (int b = 0; b < 2; b++) {
            try (CpuBackend backend = b == 1 ? vectorBackend() : CpuBackend.scalar()) {
                Buffer xb = upload(backend, x);
                Buffer colSums = upload(backend, filled(cols, NAN)), rowSums = upload(backend, filled(rows, NAN));
                Buffer argmax = backend.allocate(rows);
                backend.sumOverRows(rows, cols, xb, ldx, 0f, colSums);
                backend.sumOverColumns(rows, cols, xb, ldx, 0f, rowSums);
                backend.argmaxRows(rows, cols, xb, argmax);
                float[] c = download(colSums), r = download(rowSums), a = download(argmax);
                results[b] = new float[cols + 2 * rows];
                System.arraycopy(c, 0, results[b], 0, cols);
                System.arraycopy(r, 0, results[b], cols, rows);
                System.arraycopy(a, 0, results[b], cols + rows, rows);
            }
        }
        float[] bound = new float[cols + 2 * rows];
        CpuReduce.sumOverColumns(rows, cols, abs(x), ldx, 0f, bound);
        System.arraycopy(bound, 0, bound, cols, rows);
        java.util.Arrays.fill(bound, 0, cols, 0f);
        // column sums and argmax exactly, row sums within rounding
        assertWithinSumOfTerms(results[0], results[1], bound, REL, "scalar vs vector backend");
    }

    /**
     * The vector sum adds its lanes in lane order, the same bits before and after the JIT compiles
     * it: with {@code reduceLanes(ADD)}, JDK 25 changed 586 of 1024 such sums once compiled, so a
     * kernel's result depended on when it ran.
     */
    @Test
    void vectorSumAddsItsLanesInOrderBeforeAndAfterCompilation() {
        java.util.Random rnd = new java.util.Random(17);
        int lanes = KernelTestSupport.LANES, count = 1024;
        float[] x = new float[count * lanes];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian() * (1 << rnd.nextInt(12));
        }
        float[] expected = new float[count], first = new float[count], compiled = new float[count];
        for (int v = 0; v < count; v++) {
            float sum = x[v * lanes];
            for (int l = 1; l < lanes; l++) {
                sum += x[v * lanes + l];
            }
            expected[v] = sum;
            first[v] = CpuReduce.Vector.sum(x, v * lanes, lanes);
        }
        for (int rep = 0; rep < 300_000; rep++) {
            CpuReduce.Vector.sum(x, rep % count * lanes, lanes);
        }
        for (int v = 0; v < count; v++) {
            compiled[v] = CpuReduce.Vector.sum(x, v * lanes, lanes);
        }
        assertBitsEqual(expected, first, "lane-order sums, first calls");
        assertBitsEqual(expected, compiled, "lane-order sums, after 300000 calls");
    }
}
