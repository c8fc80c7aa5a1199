package dev.expanse.kernels.cpu;

import static dev.expanse.kernels.cpu.CpuConvTest.SHAPES;
import static dev.expanse.kernels.cpu.CpuConvTest.inputSize;
import static dev.expanse.kernels.cpu.CpuConvTest.outputSize;
import static dev.expanse.kernels.cpu.KernelTestSupport.LANES;
import static dev.expanse.kernels.cpu.KernelTestSupport.assertBitsEqual;
import static dev.expanse.kernels.cpu.KernelTestSupport.random;

import dev.expanse.kernels.ConvShape;
import dev.expanse.kernels.FrozenBlock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The two properties of the vector conv kernels that go beyond agreeing with the scalar twins:
 * the same bits for the same inputs (and, at stride 1, for any thread count), and an old filter's
 * output unchanged by growth of the layer. Shapes are {@link CpuConvTest}'s.
 */
class CpuConvReproducibilityTest {

    private static final Parallel ONE = new Parallel(1);
    private static final Parallel TWO = new Parallel(2);
    /** Three threads split a part of the batch's weight gradient between two of them. */
    private static final Parallel THREE = new Parallel(3);

    @AfterAll
    static void closePools() {
        ONE.close();
        TWO.close();
        THREE.close();
    }


    /**
     * Every vector kernel gives the same bits for the same inputs, call after call, and the
     * stride-1 kernels (each output computed whole by one thread in a fixed order, the bias's
     * per-image sums by the one thread that has its part's first unit) the same bits on one thread
     * as on two or three; the backward to the weights at stride 2 sums per-thread partials, so
     * there only a fixed thread count is asked to repeat itself.
     */
    @Test
    void vectorKernelsRepeatTheirBitsAndStrideOneIgnoresTheThreadCount() {
        int seed = 600;
        for (ConvShape s : SHAPES) {
            int ld = s.patch() + 1;
            float[] x = random(seed++, inputSize(s)), w = random(seed++, s.f() * ld), bias = random(seed++, s.f());
            float[] dy = random(seed++, outputSize(s)), dx0 = random(seed++, inputSize(s)), dw0 = random(seed++, s.f() * ld);
            float[][] one = run(ONE, s, x, w, ld, bias, dy, dx0, dw0), again = run(ONE, s, x, w, ld, bias, dy, dx0, dw0);
            float[][] two = run(TWO, s, x, w, ld, bias, dy, dx0, dw0), twoAgain = run(TWO, s, x, w, ld, bias, dy, dx0, dw0);
            float[][] three = run(THREE, s, x, w, ld, bias, dy, dx0, dw0);
            String[] what = {"forward", "backward data", "backward weights", "bias"};
            for (int k = 0; k < what.length; k++) {
                assertBitsEqual(one[k], again[k], what[k] + " repeated on 1 thread " + s);
                assertBitsEqual(two[k], twoAgain[k], what[k] + " repeated on 2 threads " + s);
                if (s.stride() == 1) {
                    assertBitsEqual(one[k], two[k], what[k] + " 1 vs 2 threads " + s);
                    assertBitsEqual(one[k], three[k], what[k] + " 1 vs 3 threads " + s);
                }
            }
        }
    }

    /** y, dx, dW and db of the vector kernels on {@code par}, the gradients accumulated onto copies of dx0, dw0 and 0. */
    private static float[][] run(Parallel par, ConvShape s, float[] x, float[] w, int ld, float[] bias, float[] dy,
                                 float[] dx0, float[] dw0) {
        float[] y = new float[outputSize(s)], dx = dx0.clone(), dw = dw0.clone(), db = new float[s.f()];
        CpuConv.Vector.forward(par, s, x, w, ld, bias, y);
        CpuConv.Vector.backwardData(par, s, dy, w, ld, dx);
        CpuConv.Vector.backwardWeights(par, s, x, dy, dw, ld, FrozenBlock.NONE, db, FrozenBlock.NONE);
        return new float[][] {y, dx, dw, db};
    }

    /**
     * What layer growth relies on: an old filter's output keeps its exact bits when the layer
     * gains filters, or input channels whose weights are zero, including growth that takes the
     * patch across the k-block depth KC = 256 (28 -> 30 channels of 3x3) and the filters across
     * tile and lane-group edges.
     */
    @Test
    void oldOutputsKeepTheirBitsWhenTheLayerGrows() {
        int[][] cases = { // {C, F} before -> after, 3x3, pad 1, batch 2, 6 x (lanes + 3) images
            {2, 5, 2, 13}, {2, 5, 4, 5}, {28, 7, 30, 19}, {1, 3, 3, 2 * LANES + 1},
        };
        java.util.Random rnd = new java.util.Random(71);
        for (int[] cs : cases) {
            ConvShape before = new ConvShape(2, cs[0], 6, LANES + 3, cs[1], 3, 3, 1, 1);
            ConvShape after = new ConvShape(2, cs[2], 6, LANES + 3, cs[3], 3, 3, 1, 1);
            float[] x = random(rnd, inputSize(after));
            // weights of the grown layer: old filters have zeros on the new channels' columns
            int ld = after.patch();
            float[] w = new float[after.f() * ld], bias = random(rnd, after.f());
            for (int f = 0; f < after.f(); f++) {
                for (int p = 0; p < ld; p++) {
                    w[f * ld + p] = f < before.f() && p >= before.patch() ? 0f : rnd.nextFloat() * 2 - 1;
                }
            }
            // the old input is the first C channels of each image of the new one
            float[] xOld = new float[inputSize(before)];
            for (int n = 0; n < 2; n++) {
                System.arraycopy(x, n * after.inPerImage(), xOld, n * before.inPerImage(), before.inPerImage());
            }
            float[] yOld = new float[outputSize(before)], yNew = new float[outputSize(after)];
            CpuConv.Vector.forward(TWO, before, xOld, w, ld, bias, yOld);
            CpuConv.Vector.forward(TWO, after, x, w, ld, bias, yNew);
            for (int n = 0; n < 2; n++) {
                int plane = before.oh() * before.ow();
                float[] a = java.util.Arrays.copyOfRange(yOld, n * before.outPerImage(), (n + 1) * before.outPerImage());
                float[] b = java.util.Arrays.copyOfRange(yNew, n * after.outPerImage(), n * after.outPerImage() + before.f() * plane);
                assertBitsEqual(a, b, "old outputs of image " + n + ", " + before + " grown to " + after);
            }
        }
    }
}
