package dev.expanse.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The property that layer growth relies on: an element of C = A * B^T keeps its exact bits when the
 * product grows by more rows (new examples or outputs), more columns, or more inputs whose weights
 * are zero. Sizes cross the tiny-product path, the micro-tile edges and the KC block depth.
 */
class CpuGemmGrowthInvarianceTest {

    @Test
    void oldOutputsKeepTheirBitsWhenTheProductGrows() {
        Parallel two = new Parallel(2);
        Random rnd = new Random(17);
        int[][] cases = { // {m, n, k} before -> after growth
            {8, 5, 200, 8, 10, 300},     // tiny -> blocked
            {8, 200, 300, 8, 300, 500},  // k crosses KC = 256
            {64, 300, 784, 64, 500, 784},
            {3, 7, 255, 13, 70, 257},
            {130, 65, 600, 200, 129, 1100},
        };
        for (int[] cs : cases) {
            int m0 = cs[0], n0 = cs[1], k0 = cs[2], m1 = cs[3], n1 = cs[4], k1 = cs[5];
            // x [m1, k1]: activations, new inputs included; w [n1, k1]: old rows have zeros at k >= k0
            float[] x = new float[m1 * k1], w = new float[n1 * k1];
            for (int i = 0; i < x.length; i++) x[i] = rnd.nextFloat() * 2 - 1;
            for (int o = 0; o < n1; o++) {
                for (int p = 0; p < k1; p++) w[o * k1 + p] = o < n0 && p >= k0 ? 0f : rnd.nextFloat() * 2 - 1;
            }
            float[] before = new float[m0 * n0], after = new float[m1 * n1];
            // before: the first k0 columns of x and w, read in place through their leading dimension k1
            CpuGemm.Vector.gemm(two, false, true, m0, n0, k0, 1f, x, 0, k1, w, 0, k1, 0f, before, 0, n0);
            CpuGemm.Vector.gemm(two, false, true, m1, n1, k1, 1f, x, 0, k1, w, 0, k1, 0f, after, 0, n1);
            for (int i = 0; i < m0; i++) {
                for (int j = 0; j < n0; j++) {
                    assertEquals(Float.floatToRawIntBits(before[i * n0 + j]), Float.floatToRawIntBits(after[i * n1 + j]),
                            "C[" + i + "," + j + "] of " + m0 + "x" + n0 + "x" + k0 + " grown to " + m1 + "x" + n1 + "x" + k1);
                }
            }
        }
        two.close();
    }
}
