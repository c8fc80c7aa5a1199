package dev.expanse.kernels.cpu;

import static dev.expanse.kernels.cpu.KernelTestSupport.assertBitsEqual;
import static dev.expanse.kernels.cpu.KernelTestSupport.download;
import static dev.expanse.kernels.cpu.KernelTestSupport.randomWithSpecials;
import static dev.expanse.kernels.cpu.KernelTestSupport.sizesAndParallel;
import static dev.expanse.kernels.cpu.KernelTestSupport.upload;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.expanse.kernels.Buffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Hand-computed cases for the scalar kernels, then vector == scalar bit for bit. */
class CpuActivationTest {

    private static final Parallel TWO = new Parallel(2);

    @AfterAll
    static void closePool() {
        TWO.close();
    }

    @Test
    void forwardByHand() {
        float[] y = {9, 9, 9, 9, 9};
        CpuActivation.forwardScalar(4, new float[] {-1, 0, 2, -0f, 3}, y);
        assertArrayEquals(new float[] {0, 0, 2, 0, 9}, y);
        KernelTestSupport.assertBitsEqual(new float[] {0f}, new float[] {y[3]}, "relu(-0) is +0");
    }

    @Test
    void backwardAccumulatesWherePositive() {
        float[] dx = {1, 1, 1, 1};
        CpuActivation.backwardScalar(3, new float[] {-1, 0, 2, 5}, new float[] {5, 6, 7, 8}, dx);
        assertArrayEquals(new float[] {1, 1, 8, 1}, dx);
    }

    @Test
    void vectorMatchesScalarExactlyIncludingSpecialValues() {
        for (int n : sizesAndParallel()) {
            float[] x = randomWithSpecials(11, n), dy = randomWithSpecials(12, n), dx = randomWithSpecials(13, n);
            float[] ys = new float[n], yv = new float[n];
            CpuActivation.forwardScalar(n, x, ys);
            CpuActivation.forwardVector(TWO, n, x, yv);
            assertBitsEqual(ys, yv, "forward n=" + n);
            float[] dxs = dx.clone(), dxv = dx.clone();
            CpuActivation.backwardScalar(n, x, dy, dxs);
            CpuActivation.backwardVector(TWO, n, x, dy, dxv);
            assertBitsEqual(dxs, dxv, "backward n=" + n);
        }
    }

    @Test
    void backendApiScalarAndVectorAgree() {
        int n = KernelTestSupport.PARALLEL_SIZE;
        float[] x = randomWithSpecials(14, n), dy = randomWithSpecials(15, n), dx = randomWithSpecials(16, n);
        float[][] results = new float[2][];
        for (int b = 0; b < 2; b++) {
            try (CpuBackend backend = new CpuBackend(b == 1, b + 1)) {
                Buffer xb = upload(backend, x), yb = backend.allocate(n), dxb = upload(backend, dx);
                backend.reluForward(n, xb, yb);
                backend.reluBackward(n, yb, upload(backend, dy), dxb);
                float[] y = download(yb), g = download(dxb);
                results[b] = new float[2 * n];
                System.arraycopy(y, 0, results[b], 0, n);
                System.arraycopy(g, 0, results[b], n, n);
            }
        }
        assertBitsEqual(results[0], results[1], "scalar vs vector backend");
    }
}
