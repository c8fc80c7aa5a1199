package dev.expanse.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * CpuGemm.vector against CpuGemm.scalar, plus exact cases.
 *
 * <p>Tolerance: the two versions sum the same products in different orders (fma, blocks of KC),
 * so an element may differ by rounding only. We allow
 * {@code |vec - ref| <= 1e-5 * (|alpha| * sum_p |a_ip * b_pj| + |beta * c_ij|)}, with the sum in
 * double. The worst-case bound for float summation is about k * 6e-8 of that magnitude (6e-5 at
 * k = 1000), but random-sign sums stay orders of magnitude below it, and the inputs are seeded, so
 * the check is deterministic. A wrong or missing product is of the order of |a_ip * b_pj| itself and
 * fails it.
 */
class CpuGemmTest {
    private static final int LANES = KernelTestSupport.LANES;
    private static final float REL_TOL = 1e-5f;
    /** Written around C's m x n region (and to NaN-filled C when beta is 0); must survive. */
    private static final float SENTINEL = 12345f;

    private static Parallel one;
    private static Parallel two;

    @BeforeAll
    static void startPools() {
        one = new Parallel(1);
        two = new Parallel(2);
    }

    @AfterAll
    static void stopPools() {
        one.close();
        two.close();
    }

    /** One problem: sizes, storage layout and scalars. */
    private record Case(boolean ta, boolean tb, int m, int n, int k, float alpha, float beta,
                        int padA, int padB, int padC, int offA, int offB, int offC, boolean nanC) {
        int lda() {
            return (ta ? m : k) + padA;
        }

        int ldb() {
            return (tb ? k : n) + padB;
        }

        int ldc() {
            return n + padC;
        }

        @Override
        public String toString() {
            return (ta ? "T" : "N") + (tb ? "T" : "N") + " m=" + m + " n=" + n + " k=" + k
                    + " alpha=" + alpha + " beta=" + beta + " pads=" + padA + "/" + padB + "/" + padC
                    + " offs=" + offA + "/" + offB + "/" + offC + (nanC ? " NaN-C" : "");
        }
    }

    /** Room for rows x cols at stride ld from off, plus a tail that must stay untouched. */
    private static int storage(int off, int rows, int cols, int ld) {
        return off + (rows == 0 ? 0 : (rows - 1) * ld + cols) + 7;
    }

    private static float[] random(Random rnd, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = rnd.nextFloat() * 2f - 1f;
        }
        return x;
    }

    /** Runs both versions on the same inputs and checks the vector result against the reference. */
    private static void check(Case t, Parallel par, long seed) {
        Random rnd = new Random(seed);
        float[] a = random(rnd, storage(t.offA, t.ta ? t.k : t.m, t.ta ? t.m : t.k, t.lda()));
        float[] b = random(rnd, storage(t.offB, t.tb ? t.n : t.k, t.tb ? t.k : t.n, t.ldb()));
        float[] c0 = random(rnd, storage(t.offC, t.m, t.n, t.ldc()));
        if (t.nanC) {
            Arrays.fill(c0, Float.NaN);
        }
        float[] aCopy = a.clone(), bCopy = b.clone();
        float[] ref = c0.clone(), vec = c0.clone();
        CpuGemm.gemm(t.ta, t.tb, t.m, t.n, t.k, t.alpha, a, t.offA, t.lda(), b, t.offB, t.ldb(),
                t.beta, ref, t.offC, t.ldc());
        CpuGemm.Vector.gemm(par, t.ta, t.tb, t.m, t.n, t.k, t.alpha, a, t.offA, t.lda(), b, t.offB, t.ldb(),
                t.beta, vec, t.offC, t.ldc());
        assertArrayEquals(aCopy, a, "A modified: " + t);
        assertArrayEquals(bCopy, b, "B modified: " + t);

        double[][] mag = magnitudes(t, a, b);
        boolean[] inside = new boolean[c0.length];
        for (int i = 0; i < t.m; i++) {
            for (int j = 0; j < t.n; j++) {
                int ci = t.offC + i * t.ldc() + j;
                inside[ci] = true;
                double bound = REL_TOL * (Math.abs(t.alpha) * mag[i][j]
                        + (t.beta == 0f ? 0 : Math.abs((double) t.beta * c0[ci])));
                if (!Float.isFinite(vec[ci]) || Math.abs(vec[ci] - ref[ci]) > bound) {
                    fail(t + ": C[" + i + "," + j + "] vector " + vec[ci] + " vs scalar " + ref[ci]
                            + " (allowed " + bound + ")");
                }
            }
        }
        for (int ci = 0; ci < c0.length; ci++) {
            if (!inside[ci] && Float.floatToRawIntBits(vec[ci]) != Float.floatToRawIntBits(c0[ci])) {
                fail(t + ": wrote outside C at index " + ci);
            }
        }
    }

    /** sum over p of |op(A)_ip * op(B)_pj|, in double, as [m][n]. */
    private static double[][] magnitudes(Case t, float[] a, float[] b) {
        double[][] opA = new double[t.m][t.k];
        double[][] opB = new double[t.k][t.n];
        for (int i = 0; i < t.m; i++) {
            for (int p = 0; p < t.k; p++) {
                opA[i][p] = Math.abs(t.ta ? a[t.offA + p * t.lda() + i] : a[t.offA + i * t.lda() + p]);
            }
        }
        for (int p = 0; p < t.k; p++) {
            for (int j = 0; j < t.n; j++) {
                opB[p][j] = Math.abs(t.tb ? b[t.offB + j * t.ldb() + p] : b[t.offB + p * t.ldb() + j]);
            }
        }
        double[][] mag = new double[t.m][t.n];
        for (int i = 0; i < t.m; i++) {
            for (int p = 0; p < t.k; p++) {
                double aip = opA[i][p];
                double[] row = opB[p];
                for (int j = 0; j < t.n; j++) {
                    mag[i][j] += aip * row[j];
                }
            }
        }
        return mag;
    }

    private static final float[][] ALPHA_BETA = {{1f, 0f}, {1f, 1f}, {0.5f, -1.5f}, {-1.5f, 0.5f}, {0f, 1f}};

    @ParameterizedTest(name = "trans A {0}, trans B {1}")
    @CsvSource({"false,false", "false,true", "true,false", "true,true"})
    void smallSizesMatchScalar(boolean ta, boolean tb) {
        int[] sizes = {0, 1, LANES - 1, LANES, LANES + 1, 127};
        int index = 0;
        for (int m : sizes) {
            for (int n : sizes) {
                for (int k : sizes) {
                    // Cycle scalars, padding and offsets so every combination of sizes meets several of them.
                    float[] ab = ALPHA_BETA[index % ALPHA_BETA.length];
                    int pad = new int[] {0, 3, 17}[index % 3];
                    int off = new int[] {0, 5, 11, 2}[index % 4];
                    Case t = new Case(ta, tb, m, n, k, ab[0], ab[1], pad, (pad * 2) % 19, pad + 1,
                            off, off + 1, 2 * off, index % 7 == 0 && ab[1] == 0f);
                    check(t, index % 2 == 0 ? one : two, 1000L + index);
                    index++;
                }
            }
        }
    }

    @ParameterizedTest(name = "trans A {0}, trans B {1}")
    @CsvSource({"false,false", "false,true", "true,false", "true,true"})
    void largeSizesMatchScalar(boolean ta, boolean tb) {
        // The 1000 x 127 x 1000 shape alternates its long side with the transposes to bound the time;
        // the pads keep leading dimensions off powers of two, whose cache aliasing slows the reference.
        int[] big = ta == tb ? new int[] {1000, 127, 1000} : new int[] {127, 1000, 1000};
        int[][] mnk = {
            big, {1000, 1000, 1}, {1, 1000, 1000}, {1000, 1, 1000},
            {LANES + 1, 1000, LANES - 1}, {1000, LANES - 1, 127}, {0, 1000, 1000}, {1000, 1000, 0},
            {7, 2 * CpuGemm.Vector.NC + LANES + 1, 300},
        };
        for (int i = 0; i < mnk.length; i++) {
            float[] ab = ALPHA_BETA[i % ALPHA_BETA.length];
            Case t = new Case(ta, tb, mnk[i][0], mnk[i][1], mnk[i][2], ab[0], ab[1], 3 + i, 2 + i, 5,
                    i, 2 * i, 3, false);
            check(t, two, 2000L + i);
        }
    }

    @Test
    void nanInCIsIgnoredWhenBetaIsZero() {
        int[][] mnk = {{3, 4, 5}, {LANES + 1, 2 * LANES + 3, 127}, {127, 127, 300}, {5, 6, 0}};
        for (int i = 0; i < mnk.length; i++) {
            Case t = new Case(i % 2 == 1, i % 3 == 1, mnk[i][0], mnk[i][1], mnk[i][2], 0.5f, 0f,
                    2, 0, 4, 1, 0, 6, true);
            check(t, two, 3000L + i);
        }
    }

    @Test
    void oneAndTwoThreadsAreBitIdentical() {
        // Wide (split by columns) and tall (split by rows), both crossing KC, with and without beta.
        int[][] mnk = {{300, 500, 400}, {600, 40, 300}, {255, 1000, 257}};
        for (int i = 0; i < mnk.length; i++) {
            int m = mnk[i][0], n = mnk[i][1], k = mnk[i][2];
            boolean ta = i == 1, tb = i == 2;
            Random rnd = new Random(4000L + i);
            float[] a = random(rnd, m * k), b = random(rnd, k * n), c0 = random(rnd, m * n + 3);
            float beta = i == 0 ? 0f : 0.75f;
            float[] c1 = c0.clone(), c2 = c0.clone();
            CpuGemm.Vector.gemm(one, ta, tb, m, n, k, 1.25f, a, 0, ta ? m : k, b, 0, tb ? k : n, beta, c1, 3, n);
            CpuGemm.Vector.gemm(two, ta, tb, m, n, k, 1.25f, a, 0, ta ? m : k, b, 0, tb ? k : n, beta, c2, 3, n);
            for (int j = 0; j < c1.length; j++) {
                if (Float.floatToRawIntBits(c1[j]) != Float.floatToRawIntBits(c2[j])) {
                    fail("case " + i + ": index " + j + " differs: " + c1[j] + " vs " + c2[j]);
                }
            }
        }
    }

    /** Stores the row-major [rows, cols] matrix x, transposed or not, with leading dimension ld. */
    private static float[] store(float[][] x, boolean transposed, int ld) {
        int rows = transposed ? x[0].length : x.length;
        float[] s = new float[rows * ld];
        Arrays.fill(s, SENTINEL);
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x[0].length; j++) {
                s[transposed ? j * ld + i : i * ld + j] = x[i][j];
            }
        }
        return s;
    }

    @ParameterizedTest(name = "trans A {0}, trans B {1}")
    @CsvSource({"false,false", "false,true", "true,false", "true,true"})
    void handComputedTwoByThreeTimesThreeByTwo(boolean ta, boolean tb) {
        float[][] a = {{1, 2, 3}, {4, 5, 6}};
        float[][] b = {{7, 8}, {9, 10}, {11, 12}};
        // A*B = [[58, 64], [139, 154]]; 2*A*B - 1*C with C all ones:
        float[] expected = {115, 127, 277, 307};
        int lda = (ta ? 2 : 3) + 1, ldb = (tb ? 3 : 2) + 2;
        for (Parallel par : new Parallel[] {one, two}) {
            float[] viaScalar = {1, 1, 1, 1};
            float[] viaVector = {1, 1, 1, 1};
            CpuGemm.gemm(ta, tb, 2, 2, 3, 2f, store(a, ta, lda), 0, lda, store(b, tb, ldb), 0, ldb,
                    -1f, viaScalar, 0, 2);
            CpuGemm.Vector.gemm(par, ta, tb, 2, 2, 3, 2f, store(a, ta, lda), 0, lda, store(b, tb, ldb), 0, ldb,
                    -1f, viaVector, 0, 2);
            assertArrayEquals(expected, viaScalar);
            assertArrayEquals(expected, viaVector);
        }
    }

    @ParameterizedTest(name = "trans A {0}, trans B {1}")
    @CsvSource({"false,false", "false,true", "true,false", "true,true"})
    void closedFormThroughThePackedPath(boolean ta, boolean tb) {
        // A(i, p) = i + 1, B(p, j) = j + 1, so (A*B)(i, j) = k (i + 1)(j + 1). Every partial sum is an
        // integer below 2^24, exact in float in any order: the result must be exact.
        int m = 13, n = 2 * LANES * 4 + 5, k = 300;
        float[][] av = new float[m][k];
        float[][] bv = new float[k][n];
        for (int i = 0; i < m; i++) {
            Arrays.fill(av[i], i + 1);
        }
        for (int p = 0; p < k; p++) {
            for (int j = 0; j < n; j++) {
                bv[p][j] = j + 1;
            }
        }
        int lda = (ta ? m : k) + 3, ldb = (tb ? k : n) + 1, ldc = n + 2;
        float[] c = new float[m * ldc];
        Arrays.fill(c, Float.NaN);
        CpuGemm.Vector.gemm(two, ta, tb, m, n, k, 1f, store(av, ta, lda), 0, lda, store(bv, tb, ldb), 0, ldb,
                0f, c, 0, ldc);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                assertEquals((float) k * (i + 1) * (j + 1), c[i * ldc + j], "C[" + i + "," + j + "]");
            }
        }
    }

    @Test
    void zeroDepthScalesC() {
        float[] c = {2f, 4f, 99f, -6f, 8f};
        CpuGemm.Vector.gemm(two, false, false, 2, 2, 0, 3f, new float[0], 0, 1, new float[0], 0, 2, 0.5f, c, 0, 3);
        assertArrayEquals(new float[] {1f, 2f, 99f, -3f, 4f}, c);
        float[] nan = {Float.NaN, Float.NaN, 7f, Float.NaN, Float.NaN};
        CpuGemm.Vector.gemm(two, false, false, 2, 2, 0, 3f, new float[0], 0, 1, new float[0], 0, 2, 0f, nan, 0, 3);
        assertArrayEquals(new float[] {0f, 0f, 7f, 0f, 0f}, nan);
    }

    /**
     * Every micro-kernel, on any machine (the 6 x 4-vector one is the GEMM's only with 512-bit
     * vectors, and only one of the 6 x 2 and 5 x 2 tiles runs on a given JDK, so elsewhere nothing
     * else runs the others): each tile element is exactly the fused multiply-add chain over k of its
     * panel row and strip column, starting from zero.
     */
    @Test
    void microKernelsAreFmaChainsInKOrder() {
        Random rnd = new Random(41);
        for (int kc : new int[] {0, 1, 7, CpuGemm.Vector.KC}) {
            for (String shape : new String[] {"6x2", "5x2", "6x4"}) {
                int mr = shape.charAt(0) - '0', nr = (shape.charAt(2) - '0') * LANES, aOff = 3, bOff = 5;
                float[] ap = KernelTestSupport.random(rnd, aOff + mr * kc), bp = KernelTestSupport.random(rnd, bOff + kc * nr);
                float[] tile = new float[mr * nr];
                switch (shape) {
                    case "6x2" -> CpuMicroKernel.tile6x2(kc, ap, aOff, bp, bOff, tile);
                    case "5x2" -> CpuMicroKernel.tile5x2(kc, ap, aOff, bp, bOff, tile);
                    default -> CpuGemm.Vector.microKernel6x4(kc, ap, aOff, bp, bOff, tile);
                }
                float[] expected = new float[mr * nr];
                for (int i = 0; i < mr; i++) {
                    for (int j = 0; j < nr; j++) {
                        float acc = 0f;
                        for (int p = 0; p < kc; p++) {
                            acc = Math.fma(ap[aOff + p * mr + i], bp[bOff + p * nr + j], acc);
                        }
                        expected[i * nr + j] = acc;
                    }
                }
                KernelTestSupport.assertBitsEqual(expected, tile, shape + " tile, kc " + kc);
            }
        }
    }
}
