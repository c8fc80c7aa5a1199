package dev.expanse.kernels.cpu;

import static dev.expanse.kernels.cpu.KernelTestSupport.assertBitsEqual;
import static dev.expanse.kernels.cpu.KernelTestSupport.assertClose;
import static dev.expanse.kernels.cpu.KernelTestSupport.download;
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
 * Hand-computed cases for the scalar kernels, then vector against scalar: the backward bit for
 * bit, the forward within 1e-6 on probabilities and 1e-5 * (1 + loss) on losses (the vector exp
 * and lane-wise sums round differently).
 */
class CpuSoftmaxCrossEntropyTest {

    /** Row counts of the equivalence tests; 70 rows of 1000 classes split over two threads. */
    private static final int[] ROWS = {0, 1, 3, 70};
    private static final Parallel ONE = new Parallel(1);
    private static final Parallel TWO = new Parallel(2);

    @AfterAll
    static void closePools() {
        ONE.close();
        TWO.close();
    }

    /** Logits uniform in [-scale, scale). */
    private static float[] logits(long seed, int n, float scale) {
        float[] a = random(seed, n);
        for (int i = 0; i < n; i++) {
            a[i] *= scale;
        }
        return a;
    }

    private static final float LN2 = (float) Math.log(2);

    @Test
    void forwardByHand() {
        // rows: [0, ln2] label 1, [1000, 1000.5] label 0 (exp(1000) overflows), [0, 200] label 0
        float[] logits = {0, LN2, 1000, 1000.5f, 0, 200};
        float[] labels = {1, 0, 0};
        float[] probs = new float[6];
        float[] losses = new float[3];
        CpuSoftmaxCrossEntropy.forward(3, 2, logits, labels, probs, losses);
        double e = Math.exp(0.5);
        assertArrayEquals(new float[] {1f / 3, 2f / 3, (float) (1 / (1 + e)), (float) (e / (1 + e)), 0, 1}, probs, 1e-6f);
        assertEquals(Math.log(1.5), losses[0], 1e-6, "-log(2/3)");
        assertEquals(Math.log(1 + e), losses[1], 1e-6, "-log(1/(1+e^0.5)), no overflow");
        assertEquals(200, losses[2], 1e-4, "-log(e^-200) without taking log of an underflowed 0");
    }

    @Test
    void backwardByHand() {
        float[] dlogits = {1, 1, 5, 5};
        float[] probs = {1f / 3, 2f / 3, 0.25f, 0.75f};
        CpuSoftmaxCrossEntropy.backward(2, 2, probs, new float[] {1, 0}, 0.5f, dlogits);
        assertArrayEquals(new float[] {1 + 1f / 6, 1 - 1f / 6, 5 - 0.375f, 5.375f}, dlogits, 1e-6f);
    }

    @Test
    void zeroRowsDoNothing() {
        float[] probs = {7};
        float[] losses = {8};
        CpuSoftmaxCrossEntropy.forward(0, 1, new float[0], new float[0], probs, losses);
        CpuSoftmaxCrossEntropy.backward(0, 1, new float[0], new float[0], 1f, probs);
        assertArrayEquals(new float[] {7}, probs);
        assertArrayEquals(new float[] {8}, losses);
    }

    // ---------------------------------------------------------------- vector against scalar

    @Test
    void forwardVectorMatchesScalarWithinRounding() {
        for (int rows : ROWS) {
            for (int cols : sizes()) {
                if (cols == 0) {
                    continue;
                }
                for (float scale : new float[] {1f, 30f}) {
                    float[] x = logits(50, rows * cols, scale), labels = randomInts(51, rows, cols);
                    float[] ps = new float[rows * cols], pv = new float[rows * cols], p1 = new float[rows * cols];
                    float[] ls = new float[rows], lv = new float[rows], l1 = new float[rows];
                    CpuSoftmaxCrossEntropy.forward(rows, cols, x, labels, ps, ls);
                    CpuSoftmaxCrossEntropy.Vector.forward(TWO, rows, cols, x, labels, pv, lv);
                    CpuSoftmaxCrossEntropy.Vector.forward(ONE, rows, cols, x, labels, p1, l1);
                    String what = rows + "x" + cols + " scale " + scale;
                    assertClose(ps, pv, 1e-6, "probs " + what);
                    for (int r = 0; r < rows; r++) {
                        assertEquals(ls[r], lv[r], 1e-5 * (1 + Math.abs(ls[r])), "loss " + r + ", " + what);
                    }
                    assertBitsEqual(p1, pv, "probs 1 vs 2 threads " + what);
                    assertBitsEqual(l1, lv, "losses 1 vs 2 threads " + what);
                }
            }
        }
    }

    @Test
    void backwardVectorMatchesScalarExactly() {
        for (int rows : ROWS) {
            for (int cols : sizes()) {
                float[] probs = random(52, rows * cols), labels = randomInts(53, rows, Math.max(1, cols));
                float[] dl = random(54, rows * cols);
                float[] expected = dl.clone(), actual = dl.clone();
                CpuSoftmaxCrossEntropy.backward(rows, cols, probs, labels, 0.125f, expected);
                CpuSoftmaxCrossEntropy.Vector.backward(TWO, rows, cols, probs, labels, 0.125f, actual);
                assertBitsEqual(expected, actual, rows + "x" + cols);
            }
        }
    }

    @Test
    void backendApiScalarAndVectorAgree() {
        int rows = 70, cols = 1000;
        float[] x = logits(55, rows * cols, 10f), labels = randomInts(56, rows, cols);
        float[][] probs = new float[2][], losses = new float[2][], grads = new float[2][];
        for (int b = 0; b < 2; b++) {
            try (CpuBackend backend = b == 1 ? vectorBackend() : CpuBackend.scalar()) {
                Buffer lb = upload(backend, labels), pb = backend.allocate(rows * cols), lossb = backend.allocate(rows);
                Buffer gb = backend.allocate(rows * cols);
                backend.softmaxCrossEntropyForward(rows, cols, upload(backend, x), lb, pb, lossb);
                backend.softmaxCrossEntropyBackward(rows, cols, pb, lb, 1f / rows, gb);
                probs[b] = download(pb);
                losses[b] = download(lossb);
                grads[b] = download(gb);
            }
        }
        assertClose(probs[0], probs[1], 1e-6, "probs");
        assertClose(losses[0], losses[1], 1e-4, "losses (up to about 10 here)");
        assertClose(grads[0], grads[1], 1e-6 / rows, "gradients, from slightly different probs");
    }
}
