package dev.expanse.kernels.cpu;

import static dev.expanse.kernels.cpu.KernelTestSupport.LANES;
import static dev.expanse.kernels.cpu.KernelTestSupport.abs;
import static dev.expanse.kernels.cpu.KernelTestSupport.assertBitsEqual;
import static dev.expanse.kernels.cpu.KernelTestSupport.assertWithinSumOfTerms;
import static dev.expanse.kernels.cpu.KernelTestSupport.download;
import static dev.expanse.kernels.cpu.KernelTestSupport.random;
import static dev.expanse.kernels.cpu.KernelTestSupport.upload;
import static dev.expanse.kernels.cpu.KernelTestSupport.vectorBackend;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.expanse.kernels.Buffer;
import dev.expanse.kernels.ConvShape;
import dev.expanse.kernels.FrozenBlock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Hand-computed cases for the scalar kernels, then the im2col + GEMM vector kernels against them
 * within 1e-5 of the sum of |terms| behind each output (obtained by running the scalar kernel on
 * absolute values), with frozen cells and padding checked untouched bit for bit.
 */
class CpuConvTest {

    private static final double REL = 1e-5;
    private static final Parallel ONE = new Parallel(1);
    private static final Parallel TWO = new Parallel(2);

    /**
     * Batches of 1 and 3, odd and non-square images, strides 1 and 2, padding 0 to 2, kernels
     * 1x1 (with and without the im2col shortcut), 3x3, 5x5 and 3x2, empty batch and no filters,
     * and one shape large enough for the batch to split over two threads. For the stride-1
     * kernels (lane groups of output rows, 6-row tiles, units of 6 taps x 2 vectors of filters):
     * output rows of lanes - 1, lanes, lanes + 1 and lanes + 4 positions, an odd number of
     * groups, filter and patch counts that are no multiple of 6 or of 2 lanes, a patch of more
     * than KC = 256 columns (two k blocks in the forward) and more than 256 filters (two in the
     * backward to the input), in place (no padding, whole groups) and padded; more pairs of lane
     * groups than the forward takes at a time (45 one-group rows: its chunks of 64 KB of strips,
     * the last one part-filled and ending on a lone group); a batch of more images than a
     * weight-gradient tile sums at a time (17 images of 4x4 outputs: a block of 16, then one);
     * rows of lanes / 2 (two rows a group), in place and padded, 8, 5 and 7 rows (a lone group, a
     * pair with a one-row group), one and two k blocks; rows shorter than the padded ones by 2 to 4
     * (the forward's wide or shifted layouts, {@link CpuConvForwardLayoutTest}).
     */
    static final ConvShape[] SHAPES = {
        new ConvShape(1, 1, 1, 1, 1, 1, 1, 1, 0),
        new ConvShape(3, 2, 7, 5, 4, 3, 3, 1, 1),
        new ConvShape(1, 3, 9, 8, 5, 5, 5, 2, 2),
        new ConvShape(3, 2, 7, 5, 3, 3, 2, 2, 0),
        new ConvShape(2, 4, 6, 6, LANES + 1, 1, 1, 1, 0),
        new ConvShape(3, 3, 5, 7, 2, 1, 1, 2, 1),
        new ConvShape(1, 2, 3, 3, 2, 5, 5, 1, 2),
        new ConvShape(3, 3, LANES + 1, 2 * LANES - 1, 3, 3, 3, 1, 0),
        new ConvShape(1, 5, 11, 13, LANES - 1, 3, 3, 2, 1),
        new ConvShape(0, 2, 4, 4, 3, 3, 3, 1, 1),
        new ConvShape(2, 2, 4, 4, 0, 3, 3, 1, 1),
        new ConvShape(3, 8, 18, 18, 16, 3, 3, 1, 1),
        new ConvShape(2, 30, 6, 9, 13, 3, 3, 1, 1),
        new ConvShape(3, 1, 12, LANES + 4, 2 * LANES + 3, 5, 5, 1, 0),
        new ConvShape(2, 3, 7, LANES + 6, 7, 3, 3, 1, 0),
        new ConvShape(1, 2, 5, LANES - 1, 3, 3, 3, 1, 1),
        new ConvShape(2, 2, 3, 3, 260, 1, 1, 1, 0),
        new ConvShape(2, 1, 1, 1, 5, 1, 1, 1, 0),
        new ConvShape(1, 2, 45, LANES, 3, 5, 5, 1, 2),
        new ConvShape(17, 2, 4, 4, 3, 3, 3, 1, 1),
        new ConvShape(3, 4, LANES / 2 + 2, LANES / 2 + 2, 7, 3, 3, 1, 0),
        new ConvShape(2, 30, 5, LANES / 2, 9, 3, 3, 1, 1),
        new ConvShape(1, 2, 7, LANES / 2, 3, 3, 3, 1, 1),
    };

    @AfterAll
    static void closePools() {
        ONE.close();
        TWO.close();
    }

    static int inputSize(ConvShape s) {
        return s.n() * s.inPerImage();
    }

    static int outputSize(ConvShape s) {
        return s.n() * s.outPerImage();
    }

    /** A random [F, patch] matrix with leading dimension patch + 3 and NaN in the padding. */
    private static float[] weights(long seed, ConvShape s) {
        int ld = s.patch() + 3;
        float[] w = random(seed, s.f() * ld);
        for (int f = 0; f < s.f(); f++) {
            for (int c = s.patch(); c < ld; c++) {
                w[f * ld + c] = NAN;
            }
        }
        return w;
    }

    private static final float NAN = Float.NaN;
    // one 3 x 3 image
    private static final float[] X = {
        1, 2, 3,
        4, 5, 6,
        7, 8, 9,
    };

    @Test
    void forwardTwoByTwoKernelByHand() {
        ConvShape s = new ConvShape(1, 1, 3, 3, 1, 2, 2, 1, 0);
        // taps [[1, 2], [3, 4]], ldw = 6 with NaN padding that must not be read
        float[] w = {1, 2, 3, 4, NAN, NAN};
        float[] y = new float[4];
        CpuConv.forward(s, X, w, 6, new float[] {0.5f}, y);
        // (0,0): 1*1 + 2*2 + 3*4 + 4*5 = 37; (0,1): 2 + 6 + 15 + 24 = 47;
        // (1,0): 4 + 10 + 21 + 32 = 67;     (1,1): 5 + 12 + 24 + 36 = 77
        assertArrayEquals(new float[] {37.5f, 47.5f, 67.5f, 77.5f}, y);
    }

    @Test
    void forwardPaddingAndStrideByHand() {
        ConvShape s = new ConvShape(1, 1, 3, 3, 1, 3, 3, 2, 1);
        float[] y = new float[4];
        CpuConv.forward(s, X, KernelTestSupport.filled(9, 1f), 9, null, y);
        // each output sums the 2 x 2 corner block of the image its padded window covers
        assertArrayEquals(new float[] {12, 16, 24, 28}, y);
    }

    @Test
    void forwardChannelsAndFiltersByHand() {
        // N = 2, C = 2, 1 x 2 images, F = 2, 1 x 1 kernel: y[f] = sum_c W[f, c] x[c]
        ConvShape s = new ConvShape(2, 2, 1, 2, 2, 1, 1, 1, 0);
        float[] x = {1, 2, 3, 4, /* image 2 */ 0, 1, 0, -1};
        float[] w = {1, 10, 2, -1};
        float[] y = new float[8];
        CpuConv.forward(s, x, w, 2, new float[] {0, 100}, y);
        assertArrayEquals(new float[] {31, 42, 99, 100, 0, -9, 100, 103}, y);
    }

    @Test
    void backwardDataAccumulatesByHand() {
        ConvShape s = new ConvShape(1, 1, 3, 3, 1, 2, 2, 1, 0);
        float[] dx = KernelTestSupport.filled(9, 10f);
        CpuConv.backwardData(s, new float[] {1, 0, 0, 2}, new float[] {1, 2, 3, 4, NAN}, 5, dx);
        // dy(0,0) = 1 spreads the taps over rows 0-1, cols 0-1; dy(1,1) = 2 spreads 2x them over rows 1-2, cols 1-2
        assertArrayEquals(new float[] {
            11, 12, 10,
            13, 16, 14,
            10, 16, 18,
        }, dx);
    }

    @Test
    void backwardWeightsAccumulatesByHand() {
        ConvShape s = new ConvShape(1, 1, 3, 3, 1, 2, 2, 1, 0);
        float[] dw = {1, 1, 1, 1, NAN};
        float[] db = {1};
        CpuConv.backwardWeights(s, X, new float[] {1, 0, 0, 2}, dw, 5, FrozenBlock.NONE, db, FrozenBlock.NONE);
        // dW(i,j) = x(i,j) + 2*x(1+i,1+j): 1 + 10, 2 + 12, 4 + 16, 5 + 18
        assertArrayEquals(new float[] {12, 15, 21, 24, NAN}, dw);
        assertArrayEquals(new float[] {4}, db);
    }

    @Test
    void backwardWeightsSkipsTheFrozenBlock() {
        // N = 2, C = 2, 1 x 2 images, F = 2, 1 x 1 kernel: dW[f, c] = sum_{n,pos} dy[n,f,pos] x[n,c,pos]
        ConvShape s = new ConvShape(2, 2, 1, 2, 2, 1, 1, 1, 0);
        float[] x = {1, 2, 3, 4, /* image 2 */ 0, 1, 0, -1};
        float[] dy = {1, 1, 2, 0, /* image 2 */ 1, -1, 0, 3};
        // the frozen cell dW[0,0] and bias db[0] hold a finite sentinel, so any write there shows
        float[] dw = {7.25f, 0, 0, 0};
        float[] db = {7.25f, 0};
        CpuConv.backwardWeights(s, x, dy, dw, 2, new FrozenBlock(1, 1), db, FrozenBlock.rows(1));
        // dW[0,1] = 1*3 + 1*4 + 1*0 + (-1)*(-1) = 8
        // dW[1,0] = 2*1 + 0*2 + 0*0 + 3*1 = 5;  dW[1,1] = 2*3 + 0 + 0 + 3*(-1) = 3;  db[1] = 2 + 0 + 0 + 3 = 5
        assertArrayEquals(new float[] {7.25f, 8, 5, 3}, dw);
        assertArrayEquals(new float[] {7.25f, 5}, db);
    }

    @Test
    void frozenWeightRowsLeaveTheBiasGradientWhole() {
        // the shape and data of backwardWeightsSkipsTheFrozenBlock: db = {1+1+1-1, 2+0+0+3} = {2, 5}
        ConvShape s = new ConvShape(2, 2, 1, 2, 2, 1, 1, 1, 0);
        float[] x = {1, 2, 3, 4, /* image 2 */ 0, 1, 0, -1};
        float[] dy = {1, 1, 2, 0, /* image 2 */ 1, -1, 0, 3};
        for (int path = 0; path < 2; path++) {
            // every weight cell frozen (whole rows), the bias trainable: the bias still gets its full gradient
            float[] dw = KernelTestSupport.filled(4, 7.25f), db = {0.5f, 0.5f};
            backwardWeights(path, s, x, dy, dw, 2, FrozenBlock.rows(2), db, FrozenBlock.NONE);
            assertArrayEquals(KernelTestSupport.filled(4, 7.25f), dw, "path " + path);
            assertArrayEquals(new float[] {2.5f, 5.5f}, db, "path " + path);
            // the other way round: bias row 0 frozen, every weight trainable
            float[] dw2 = new float[4], db2 = {7.25f, 0};
            backwardWeights(path, s, x, dy, dw2, 2, FrozenBlock.NONE, db2, FrozenBlock.rows(1));
            // dW[0,0] = 1*1 + 1*2 + 1*0 + (-1)*1 = 2, dW[0,1] = 8, dW[1,0] = 5, dW[1,1] = 3
            assertArrayEquals(new float[] {2, 8, 5, 3}, dw2, "path " + path);
            assertArrayEquals(new float[] {7.25f, 5}, db2, "path " + path);
        }
    }

    /** The scalar kernel (path 0) or the vector kernel on two threads (path 1). */
    private static void backwardWeights(int path, ConvShape s, float[] x, float[] dy, float[] dw, int lddw,
                                        FrozenBlock dwFrozen, float[] db, FrozenBlock dbFrozen) {
        if (path == 0) {
            CpuConv.backwardWeights(s, x, dy, dw, lddw, dwFrozen, db, dbFrozen);
        } else {
            CpuConv.Vector.backwardWeights(TWO, s, x, dy, dw, lddw, dwFrozen, db, dbFrozen);
        }
    }

    // ---------------------------------------------------------------- vector against scalar

    @Test
    void forwardVectorMatchesScalar() {
        int seed = 100;
        for (ConvShape s : SHAPES) {
            int ldw = s.patch() + 3;
            float[] x = random(seed++, inputSize(s)), w = weights(seed++, s);
            for (float[] bias : new float[][] {random(seed++, s.f()), null}) {
                float[] ys = new float[outputSize(s)], yv = new float[outputSize(s)], bound = new float[outputSize(s)];
                CpuConv.forward(s, x, w, ldw, bias, ys);
                CpuConv.Vector.forward(TWO, s, x, w, ldw, bias, yv);
                CpuConv.forward(s, abs(x), abs(w), ldw, bias == null ? null : abs(bias), bound);
                assertWithinSumOfTerms(ys, yv, bound, REL, "forward " + s);
                if (s.n() != 1) {
                    // images go to threads whole, so the thread count cannot change a result
                    float[] y1 = new float[outputSize(s)];
                    CpuConv.Vector.forward(ONE, s, x, w, ldw, bias, y1);
                    assertBitsEqual(y1, yv, "forward 1 vs 2 threads " + s);
                }
            }
        }
    }

    @Test
    void backwardDataVectorMatchesScalarAndAccumulates() {
        int seed = 200;
        for (ConvShape s : SHAPES) {
            int ldw = s.patch() + 3;
            float[] dy = random(seed++, outputSize(s)), w = weights(seed++, s), dx = random(seed++, inputSize(s));
            float[] dxs = dx.clone(), dxv = dx.clone(), bound = abs(dx);
            CpuConv.backwardData(s, dy, w, ldw, dxs);
            CpuConv.Vector.backwardData(TWO, s, dy, w, ldw, dxv);
            CpuConv.backwardData(s, abs(dy), abs(w), ldw, bound);
            assertWithinSumOfTerms(dxs, dxv, bound, REL, "backward data " + s);
            if (s.n() != 1) {
                float[] dx1 = dx.clone();
                CpuConv.Vector.backwardData(ONE, s, dy, w, ldw, dx1);
                assertBitsEqual(dx1, dxv, "backward data 1 vs 2 threads " + s);
            }
        }
    }

    /**
     * Frozen rectangles: none (three ways), all, one row with a column count that splits a channel, a
     * corner, whole rows ({@link FrozenBlock#ALL} columns).
     */
    private static int[][] frozenRectangles(ConvShape s) {
        int taps = s.kh() * s.kw();
        return new int[][] {
            {0, 0}, {s.f(), 0}, {0, s.patch()}, {s.f(), s.patch()},
            {1, Math.min(s.patch(), taps + 1)}, {s.f() / 2, s.patch() / 2 + 1}, {s.f(), Math.max(1, taps - 1)},
            {s.f() / 2, FrozenBlock.ALL},
        };
    }

    @Test
    void backwardWeightsVectorMatchesScalarAndSkipsFrozenCells() {
        int seed = 300;
        for (ConvShape s : SHAPES) {
            seed = assertWeightGradientMatchesScalar(s, seed, "backward weights",
                    (x, dy, dw, lddw, block, db, biasBlock) ->
                            CpuConv.Vector.backwardWeights(TWO, s, x, dy, dw, lddw, block, db, biasBlock));
        }
    }

    /** A weight gradient of one shape: dW and db accumulated, the cells of the blocks left alone. */
    @FunctionalInterface
    interface WeightGradient {
        void run(float[] x, float[] dy, float[] dw, int lddw, FrozenBlock block, float[] db, FrozenBlock biasBlock);
    }

    /**
     * {@code kernel} on s against the scalar twin, for each of {@link #frozenRectangles} (the bias
     * rows of the frozen filters frozen too, as after an expansion): frozen cells and padding keep
     * their bits, the trainable ones agree within REL of the sum of |terms|, and a second call gives
     * the same bits. Random data from seeds {@code seed ..}; returns the next unused seed.
     */
    static int assertWeightGradientMatchesScalar(ConvShape s, int seed, String name, WeightGradient kernel) {
        int lddw = s.patch() + 2;
        float[] x = random(seed++, inputSize(s)), dy = random(seed++, outputSize(s));
        for (int[] frozen : frozenRectangles(s)) {
            int fr = frozen[0], fc = frozen[1];
            FrozenBlock block = new FrozenBlock(fr, fc), biasBlock = FrozenBlock.rows(fr);
            String what = name + " " + s + " frozen " + fr + "x" + fc;
            // frozen cells and padding hold finite values, so a read-modify-write there would show
            float[] dw = random(seed++, s.f() * lddw), db = random(seed++, s.f());
            float[] dws = dw.clone(), dwv = dw.clone(), dwAgain = dw.clone(), dwBound = abs(dw);
            float[] dbs = db.clone(), dbv = db.clone(), dbAgain = db.clone(), dbBound = abs(db);
            CpuConv.backwardWeights(s, x, dy, dws, lddw, block, dbs, biasBlock);
            kernel.run(x, dy, dwv, lddw, block, dbv, biasBlock);
            kernel.run(x, dy, dwAgain, lddw, block, dbAgain, biasBlock);
            CpuConv.backwardWeights(s, abs(x), abs(dy), dwBound, lddw, block, dbBound, biasBlock);
            assertFrozenUntouched(dw, dwv, lddw, s.patch(), fr, fc, what);
            assertFrozenUntouched(db, dbv, 1, 1, fr, 1, what + " (bias)");
            assertWithinSumOfTerms(trainable(dws, lddw, s, fr, fc), trainable(dwv, lddw, s, fr, fc),
                    trainable(dwBound, lddw, s, fr, fc), REL, what);
            assertWithinSumOfTerms(trainable(dbs, 1, s, fr, 1), trainable(dbv, 1, s, fr, 1),
                    trainable(dbBound, 1, s, fr, 1), REL, what + " (bias)");
            assertBitsEqual(dwAgain, dwv, what + ": reproducible");
            assertBitsEqual(dbAgain, dbv, what + ": reproducible (bias)");
        }
        return seed;
    }

    /**
     * The weight's and the bias's blocks are independent: each cell outside its own block gets
     * exactly the bits of the unfrozen gradient, and each cell inside keeps its old bits, for every
     * combination of whole rows, a corner, {@link FrozenBlock#ALL} columns and nothing frozen.
     */
    @Test
    void weightAndBiasBlocksAreIndependent() {
        int seed = 350;
        for (ConvShape s : SHAPES) {
            int lddw = s.patch() + 1, half = Math.max(1, s.f() / 2);
            float[] x = random(seed++, inputSize(s)), dy = random(seed++, outputSize(s));
            float[] dw = random(seed++, s.f() * lddw), db = random(seed++, s.f());
            FrozenBlock[] weightBlocks = {
                FrozenBlock.NONE, FrozenBlock.rows(s.f()), new FrozenBlock(half, FrozenBlock.ALL),
                new FrozenBlock(half, s.patch() / 2 + 1), new FrozenBlock(s.f(), s.patch()),
            };
            FrozenBlock[] biasBlocks = {FrozenBlock.NONE, FrozenBlock.rows(half), FrozenBlock.rows(s.f())};
            for (int path = 0; path < 2; path++) {
                float[] dwAll = dw.clone(), dbAll = db.clone();
                backwardWeights(path, s, x, dy, dwAll, lddw, FrozenBlock.NONE, dbAll, FrozenBlock.NONE);
                for (FrozenBlock wb : weightBlocks) {
                    for (FrozenBlock bb : biasBlocks) {
                        String what = s + " path " + path + " weight block " + wb + " bias block " + bb;
                        float[] dwp = dw.clone(), dbp = db.clone();
                        backwardWeights(path, s, x, dy, dwp, lddw, wb, dbp, bb);
                        assertBitsEqual(select(wb, lddw, s.patch(), dwAll, dw), dwp, what);
                        assertBitsEqual(select(bb, 1, 1, dbAll, db), dbp, what + " (bias)");
                    }
                }
            }
        }
    }

    /** Cells of a [rows, ld] array outside {@code block} (and columns < cols) from {@code computed}, the rest from {@code before}. */
    private static float[] select(FrozenBlock block, int ld, int cols, float[] computed, float[] before) {
        float[] out = before.clone();
        for (int i = 0; i < out.length; i++) {
            int r = i / ld, c = i % ld;
            if (c < cols && !block.contains(r, c)) {
                out[i] = computed[i];
            }
        }
        return out;
    }

    @Test
    void backwardWeightsWithoutBias() {
        ConvShape s = new ConvShape(3, 8, 18, 18, 16, 3, 3, 1, 1);
        float[] x = random(400, inputSize(s)), dy = random(401, outputSize(s)), dw = random(402, s.f() * s.patch());
        float[] dws = dw.clone(), dwv = dw.clone(), bound = abs(dw);
        CpuConv.backwardWeights(s, x, dy, dws, s.patch(), new FrozenBlock(3, 20), null, FrozenBlock.NONE);
        CpuConv.Vector.backwardWeights(TWO, s, x, dy, dwv, s.patch(), new FrozenBlock(3, 20), null, FrozenBlock.NONE);
        CpuConv.backwardWeights(s, abs(x), abs(dy), bound, s.patch(), new FrozenBlock(3, 20), null, FrozenBlock.NONE);
        assertWithinSumOfTerms(dws, dwv, bound, REL, "no bias");
    }

    /** Frozen cells ({@code r < fr && c < fc}) and padding ({@code c >= cols}) keep their exact bits. */
    private static void assertFrozenUntouched(float[] before, float[] after, int ld, int cols, int fr, int fc, String what) {
        for (int i = 0; i < before.length; i++) {
            int r = i / ld, c = i % ld;
            if ((c >= cols || (r < fr && c < fc))
                    && Float.floatToRawIntBits(before[i]) != Float.floatToRawIntBits(after[i])) {
                throw new AssertionError(what + ": frozen or padding cell " + i + " was written");
            }
        }
    }

    /** The trainable cells of a [F, patch] gradient (leading dimension ld), in row-major order; for db pass ld = 1. */
    private static float[] trainable(float[] a, int ld, ConvShape s, int fr, int fc) {
        int cols = ld == 1 ? 1 : s.patch();
        float[] out = new float[a.length];
        int k = 0;
        for (int i = 0; i < a.length; i++) {
            int r = i / ld, c = i % ld;
            if (c < cols && !(r < fr && c < fc)) {
                out[k++] = a[i];
            }
        }
        return java.util.Arrays.copyOf(out, k);
    }

    private static float[] scaled(float[] a, float k) {
        float[] b = a.clone();
        for (int i = 0; i < b.length; i++) {
            b[i] *= k;
        }
        return b;
    }

    @Test
    void backendApiScalarAndVectorAgree() {
        ConvShape s = new ConvShape(3, 8, 18, 18, 16, 3, 3, 2, 1);
        int ldw = s.patch() + 5, fr = 8, fc = 40;
        FrozenBlock block = new FrozenBlock(fr, fc), biasBlock = FrozenBlock.rows(fr);
        float[] x = random(500, inputSize(s)), w = random(501, s.f() * ldw), bias = random(502, s.f());
        float[][] y = new float[2][], dx = new float[2][], dw = new float[2][], db = new float[2][];
        for (int b = 0; b < 2; b++) {
            try (CpuBackend backend = b == 1 ? vectorBackend() : CpuBackend.scalar()) {
                Buffer xb = upload(backend, x), wb = upload(backend, w), yb = backend.allocate(outputSize(s));
                backend.conv2dForward(s, xb, wb, ldw, upload(backend, bias), yb);
                Buffer dxb = backend.allocate(inputSize(s)), dwb = backend.allocate(s.f() * ldw), dbb = backend.allocate(s.f());
                // the output itself serves as the upstream gradient
                backend.conv2dBackwardData(s, yb, wb, ldw, dxb);
                backend.conv2dBackwardWeights(s, xb, yb, dwb, ldw, block, dbb, biasBlock);
                y[b] = download(yb);
                dx[b] = download(dxb);
                dw[b] = download(dwb);
                db[b] = download(dbb);
            }
        }
        float[] yBound = new float[outputSize(s)], dxBound = new float[inputSize(s)];
        float[] dwBound = new float[s.f() * ldw], dbBound = new float[s.f()];
        CpuConv.forward(s, abs(x), abs(w), ldw, abs(bias), yBound);
        CpuConv.backwardData(s, abs(y[0]), abs(w), ldw, dxBound);
        CpuConv.backwardWeights(s, abs(x), abs(y[0]), dwBound, ldw, block, dbBound, biasBlock);
        assertWithinSumOfTerms(y[0], y[1], yBound, REL, "forward");
        // the gradients start from slightly different y, which adds up to REL times their bound again
        assertWithinSumOfTerms(dx[0], dx[1], scaled(dxBound, 2), REL, "backward data");
        assertWithinSumOfTerms(dw[0], dw[1], scaled(dwBound, 2), REL, "backward weights");
        assertWithinSumOfTerms(db[0], db[1], scaled(dbBound, 2), REL, "bias");
        for (int f = 0; f < fr; f++) {
            for (int c = 0; c < fc; c++) {
                assertEquals(0f, dw[1][f * ldw + c], "frozen cell (" + f + ", " + c + ") stays zero");
            }
            assertEquals(0f, db[1][f], "frozen bias " + f + " stays zero");
        }
    }
}
