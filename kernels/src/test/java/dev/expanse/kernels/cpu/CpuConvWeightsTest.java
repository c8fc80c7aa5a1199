package dev.expanse.kernels.cpu;

import static dev.expanse.kernels.cpu.CpuConvTest.SHAPES;
import static dev.expanse.kernels.cpu.CpuConvTest.inputSize;
import static dev.expanse.kernels.cpu.CpuConvTest.outputSize;
import static dev.expanse.kernels.cpu.KernelTestSupport.LANES;
import static dev.expanse.kernels.cpu.KernelTestSupport.assertBitsEqual;
import static dev.expanse.kernels.cpu.KernelTestSupport.random;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.expanse.kernels.ConvShape;
import dev.expanse.kernels.FrozenBlock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The weight gradient with positions in the lanes ({@link CpuConvWeights}), called directly on
 * every machine whatever {@link CpuConvWeights#suits} picks there: against the scalar twin on
 * {@link CpuConvTest}'s stride-1 shapes and on shapes that cross its tile edges (filters past a
 * multiple of 4, taps past a multiple of 6, several blocks of images), frozen cells untouched; the
 * same bits on 1, 2 and 3 threads; old cells' bits kept when the layer grows.
 */
class CpuConvWeightsTest {

    private static final Parallel ONE = new Parallel(1), TWO = new Parallel(2), THREE = new Parallel(3);

    @AfterAll
    static void closePools() {
        ONE.close();
        TWO.close();
        THREE.close();
    }

    /** {@link CpuConvTest#SHAPES} at stride 1, and the tile and image-block edges. */
    private static List<ConvShape> shapes() {
        List<ConvShape> shapes = new ArrayList<>();
        for (ConvShape s : SHAPES) {
            if (s.stride() == 1) {
                shapes.add(s);
            }
        }
        shapes.add(new ConvShape(9, 3, 14, 14, 9, 3, 3, 1, 1)); // 27 taps: 4 tiles of 6, the last of 3
        shapes.add(new ConvShape(40, 1, 6, 6, 5, 3, 3, 1, 0)); // small images: many in a block, blocks part-filled
        shapes.add(new ConvShape(2, 2, 9, LANES + 5, 6, 5, 5, 1, 2));
        return shapes;
    }

    @Test
    void matchesTheScalarTwinAndSkipsFrozenCells() {
        int seed = 900;
        for (ConvShape s : shapes()) {
            seed = CpuConvTest.assertWeightGradientMatchesScalar(s, seed, "lanes",
                    (x, dy, dw, lddw, block, db, biasBlock) -> CpuConvWeights.backwardWeights(TWO, s, x, dy, dw, lddw,
                            block, db, biasBlock.firstTrainableRow(0, s.f())));
        }
    }

    /** Each filter block is one thread's, over the whole batch in order: the thread count changes no bit. */
    @Test
    void theThreadCountChangesNoBit() {
        int seed = 950;
        for (ConvShape s : shapes()) {
            float[] x = random(seed++, inputSize(s)), dy = random(seed++, outputSize(s));
            float[] dw0 = random(seed++, s.f() * s.patch()), db0 = random(seed++, s.f());
            float[][] one = run(ONE, s, x, dy, dw0, db0), two = run(TWO, s, x, dy, dw0, db0);
            float[][] three = run(THREE, s, x, dy, dw0, db0), again = run(TWO, s, x, dy, dw0, db0);
            for (int k = 0; k < 2; k++) {
                String what = (k == 0 ? "weights " : "bias ") + s;
                assertBitsEqual(one[k], two[k], what + ": 1 vs 2 threads");
                assertBitsEqual(one[k], three[k], what + ": 1 vs 3 threads");
                assertBitsEqual(two[k], again[k], what + ": repeated");
            }
        }
    }

    private static float[][] run(Parallel par, ConvShape s, float[] x, float[] dy, float[] dw0, float[] db0) {
        float[] dw = dw0.clone(), db = db0.clone();
        CpuConvWeights.backwardWeights(par, s, x, dy, dw, s.patch(), FrozenBlock.NONE, db, 0);
        return new float[][] {dw, db};
    }

    /**
     * A grown layer (more channels, more filters) gives its old cells the bits they had before,
     * for growth across a tile's 4 filters and 6 taps and a layer that grows from one filter block.
     */
    @Test
    void oldCellsKeepTheirBitsWhenTheLayerGrows() {
        int[][] cases = {{2, 5, 3, 13}, {1, 3, 4, 4}, {6, 8, 7, 9}}; // {C, F} before -> after
        java.util.Random rnd = new java.util.Random(97);
        for (int[] cs : cases) {
            ConvShape before = new ConvShape(3, cs[0], 7, LANES + 3, cs[1], 3, 3, 1, 1);
            ConvShape after = new ConvShape(3, cs[2], 7, LANES + 3, cs[3], 3, 3, 1, 1);
            float[] x = random(rnd, inputSize(after)), dy = random(rnd, outputSize(after));
            float[] xOld = new float[inputSize(before)], dyOld = new float[outputSize(before)];
            for (int n = 0; n < before.n(); n++) {
                System.arraycopy(x, n * after.inPerImage(), xOld, n * before.inPerImage(), before.inPerImage());
                System.arraycopy(dy, n * after.outPerImage(), dyOld, n * before.outPerImage(), before.outPerImage());
            }
            float[] dwOld = new float[before.f() * before.patch()], dwNew = new float[after.f() * after.patch()];
            CpuConvWeights.backwardWeights(TWO, before, xOld, dyOld, dwOld, before.patch(), FrozenBlock.NONE, null, 0);
            CpuConvWeights.backwardWeights(TWO, after, x, dy, dwNew, after.patch(), FrozenBlock.NONE, null, 0);
            float[] kept = new float[dwOld.length];
            for (int f = 0; f < before.f(); f++) {
                System.arraycopy(dwNew, f * after.patch(), kept, f * before.patch(), before.patch());
            }
            assertBitsEqual(dwOld, kept, "old cells, " + before + " grown to " + after);
        }
    }

    @Test
    void refusesAStride() {
        ConvShape s = new ConvShape(1, 1, 5, 5, 1, 3, 3, 2, 0);
        assertThrows(IllegalArgumentException.class, () -> CpuConvWeights.backwardWeights(ONE, s, new float[25],
                new float[4], new float[9], 9, FrozenBlock.NONE, null, 0));
    }
}
