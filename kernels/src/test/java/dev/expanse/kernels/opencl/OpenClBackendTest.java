package dev.expanse.kernels.opencl;

import static dev.expanse.kernels.opencl.Equivalence.abs;
import static dev.expanse.kernels.opencl.Equivalence.assertRelative;
import static dev.expanse.kernels.opencl.Equivalence.assertWithinSumOfTerms;
import static dev.expanse.kernels.opencl.Equivalence.filled;
import static dev.expanse.kernels.opencl.Equivalence.random;
import static dev.expanse.kernels.opencl.Equivalence.randomInts;
import static dev.expanse.kernels.opencl.Equivalence.randomWithSpecials;
import static dev.expanse.kernels.opencl.Equivalence.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.expanse.kernels.Backend;
import dev.expanse.kernels.Buffer;
import dev.expanse.kernels.ConvShape;
import dev.expanse.kernels.FrozenBlock;
import dev.expanse.kernels.PoolShape;
import dev.expanse.kernels.cpu.CpuBackend;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Equivalence of the {@link dev.expanse.kernels.Backend} kernels: OpenCL against the scalar CPU
 * reference ({@link CpuBackend#scalar()}), on awkward sizes (0, 1, 15, 16, 17, 127, 1000),
 * leading dimensions larger than the column count, offsets, and frozen blocks (rectangles, whole
 * rows, blocks larger than the matrix; for convolution a weight block and a separate bias block).
 * The activations are in {@link OpenClActivationTest}, memory and life cycle in
 * {@link OpenClRuntimeTest}.
 *
 * <p>GEMM and convolution run with every GEMM variant (the GPU kernel and both CPU tiles) on
 * whatever device is present, the ones not native to it forced and with convolution chunks of
 * about one image so that the chunk loop is covered too. With a CPU tile, convolutions of stride
 * 1 run the direct kernels (conv_direct.cl), the others im2col + GEMM.
 *
 * <p>Tolerances: sums (GEMM, convolution, reductions) within 1e-5 times the sum of the
 * magnitudes of their terms; everything else within 1e-5 relative (on PoCL they are in fact
 * bit-identical, as the kernels switch off FP contraction); softmax losses within 1e-5 times
 * (1 + |loss|).
 */
class OpenClBackendTest {
    private static final int[] SIZES = {0, 1, 15, 16, 17, 127, 1000};
    private static final float NAN = Float.NaN;
    private static final double RTOL = 1e-5;

    private static CpuBackend reference;
    private static OpenClBackend native_;
    /** A backend per GEMM variant: the native one, and the others forced (with small conv chunks). */
    private static final Map<ClGemm.Variant, OpenClBackend> byVariant = new EnumMap<>(ClGemm.Variant.class);

    private static OpenClDevice device;

    @BeforeAll
    static void open() {
        device = Equivalence.deviceOrNull();
        if (device == null) {
            return;
        }
        reference = CpuBackend.scalar();
        native_ = new OpenClBackend(device);
        for (ClGemm.Variant v : ClGemm.Variant.values()) {
            byVariant.put(v, v == native_.gemmVariant() ? native_ : new OpenClBackend(device, v, 400));
        }
    }

    @BeforeEach
    void skipWithoutOpenCl() {
        Equivalence.skipUnlessAvailable(device);
    }

    @AfterAll
    static void close() {
        Equivalence.closeAll(reference);
        Equivalence.closeAll(byVariant.values().toArray(AutoCloseable[]::new));
        byVariant.clear();
    }

    private static OpenClBackend backend(ClGemm.Variant variant) {
        return byVariant.get(variant);
    }

    // ---------------------------------------------------------------- GEMM

    @ParameterizedTest
    @EnumSource(ClGemm.Variant.class)
    void gemmMatchesTheReference(ClGemm.Variant variant) {
        OpenClBackend cl = backend(variant);
        Random rnd = new Random(3);
        // m, n, k: empty, tiny, around the tile sizes (8 x 32 and 6 x 16 on CPUs, 64 x 64 x 16 on GPUs), aligned.
        int[][] shapes = {{0, 5, 3}, {5, 0, 3}, {4, 5, 0}, {1, 1, 1}, {15, 16, 17}, {17, 33, 9}, {65, 31, 127},
            {1, 1000, 3}, {33, 1, 70}, {128, 64, 32}, {64, 128, 48}};
        // padding of the leading dimensions and offset of each matrix: tight, odd, multiples of 4
        int[][] layouts = {{0, 0}, {3, 5}, {4, 8}};
        float[][] alphaBeta = {{1f, 0f}, {0.5f, -1.5f}};
        for (int[] s : shapes) {
            for (int t = 0; t < 4; t++) {
                for (int[] layout : layouts) {
                    for (float[] ab : alphaBeta) {
                        checkGemm(cl, rnd, s[0], s[1], s[2], (t & 1) != 0, (t & 2) != 0, layout[0], layout[1], ab[0], ab[1]);
                    }
                }
            }
        }
    }

    private static void checkGemm(Backend cl, Random rnd, int m, int n, int k, boolean ta, boolean tb,
                                  int pad, int off, float alpha, float beta) {
        int rowsA = ta ? k : m, colsA = ta ? m : k, lda = colsA + pad;
        int rowsB = tb ? n : k, colsB = tb ? k : n, ldb = colsB + pad;
        int ldc = n + pad;
        // Cells outside the matrices hold NaN in A and B (they must not be read) and random values
        // in C (they must not be written); with beta == 0, C itself holds NaN (it must not be read).
        float[] a = matrix(rnd, off, rowsA, colsA, lda, NAN);
        float[] b = matrix(rnd, off, rowsB, colsB, ldb, NAN);
        float[] c = random(rnd, off + m * ldc);
        if (beta == 0f) {
            for (int i = 0; i < m; i++) {
                Arrays.fill(c, off + i * ldc, off + i * ldc + n, NAN);
            }
        }
        String what = String.format("gemm %s%s m=%d n=%d k=%d pad=%d off=%d alpha=%s beta=%s",
                ta ? "T" : "N", tb ? "T" : "N", m, n, k, pad, off, alpha, beta);
        float[][] init = {a, b, c};
        float[][] expected = run(reference, init, gemmOp(ta, tb, m, n, k, alpha, off, lda, ldb, beta, ldc));
        float[][] actual = run(cl, init, gemmOp(ta, tb, m, n, k, alpha, off, lda, ldb, beta, ldc));
        float[][] scale = run(reference, abs(init), gemmOp(ta, tb, m, n, k, Math.abs(alpha), off, lda, ldb, Math.abs(beta), ldc));
        assertWithinSumOfTerms(expected, actual, scale, RTOL, what);
    }

    private static Equivalence.Op gemmOp(boolean ta, boolean tb, int m, int n, int k, float alpha, int off,
                                         int lda, int ldb, float beta, int ldc) {
        return (be, buf) -> be.gemm(ta, tb, m, n, k, alpha, buf[0], off, lda, buf[1], off, ldb, beta, buf[2], off, ldc);
    }

    /** A rows x cols matrix at offset off with leading dimension ld, other cells set to outside. */
    private static float[] matrix(Random rnd, int off, int rows, int cols, int ld, float outside) {
        float[] m = filled(off + rows * ld, outside);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                m[off + r * ld + c] = rnd.nextFloat() * 2f - 1f;
            }
        }
        return m;
    }

    // ---------------------------------------------------------------- elementwise (activations: OpenClActivationTest)

    @Test
    void elementwiseOpsMatchTheReference() {
        Random rnd = new Random(4);
        for (int n : SIZES) {
            float[][] init = {randomWithSpecials(rnd, n), randomWithSpecials(rnd, n), random(rnd, n)};
            checkExact(init, (be, b) -> be.axpy(n, -0.75f, b[0], b[1]), "axpy n=" + n);
            checkExact(init, (be, b) -> be.scale(n, 3.5f, b[0]), "scale n=" + n);
            checkExact(init, (be, b) -> be.add(n, b[0], b[1], b[2]), "add n=" + n);
            checkExact(init, (be, b) -> be.add(n, b[0], b[1], b[0]), "add into x n=" + n);
            checkExact(init, (be, b) -> be.mul(n, b[0], b[1], b[2]), "mul n=" + n);
            checkExact(init, (be, b) -> be.mul(n, b[0], b[1], b[1]), "mul into y n=" + n);
        }
    }

    @Test
    void addRowVectorMatchesTheReference() {
        Random rnd = new Random(5);
        for (int rows : new int[] {0, 1, 17}) {
            for (int cols : SIZES) {
                int ldy = cols + 5;
                float[][] init = {random(rnd, rows * ldy), random(rnd, cols)};
                checkExact(init, (be, b) -> be.addRowVector(rows, cols, b[0], ldy, b[1]), "addRowVector " + rows + "x" + cols);
            }
        }
    }

    private static void checkExact(float[][] init, Equivalence.Op op, String what) {
        assertRelative(run(reference, init, op), run(native_, init, op), RTOL, what);
    }

    // ---------------------------------------------------------------- reductions

    @Test
    void rowAndColumnSumsMatchTheReference() {
        Random rnd = new Random(6);
        for (int rows : SIZES) {
            for (int cols : new int[] {0, 1, 17, 127}) {
                int ld = cols + 3;
                for (float beta : new float[] {0f, 0.5f}) {
                    float[] x = random(rnd, rows * ld);
                    // with beta == 0 the output must not be read: NaN there must not leak
                    float[] outCols = beta == 0f ? filled(cols, NAN) : random(rnd, cols);
                    float[] outRows = beta == 0f ? filled(rows, NAN) : random(rnd, rows);
                    String what = rows + "x" + cols + " beta=" + beta;
                    checkSum(new float[][] {x, outCols}, (be, b) -> be.sumOverRows(rows, cols, b[0], ld, beta, b[1]),
                            (be, b) -> be.sumOverRows(rows, cols, b[0], ld, Math.abs(beta), b[1]), "sumOverRows " + what);
                    checkSum(new float[][] {x, outRows}, (be, b) -> be.sumOverColumns(rows, cols, b[0], ld, beta, b[1]),
                            (be, b) -> be.sumOverColumns(rows, cols, b[0], ld, Math.abs(beta), b[1]), "sumOverColumns " + what);
                }
            }
        }
    }

    @Test
    void argmaxTakesTheFirstMaximum() {
        Random rnd = new Random(7);
        for (int rows : new int[] {0, 1, 17}) {
            for (int cols : SIZES) {
                float[][] init = {randomInts(rnd, rows * cols, 3), filled(rows, -1f)};
                checkExact(init, (be, b) -> be.argmaxRows(rows, cols, b[0], b[1]), "argmax " + rows + "x" + cols);
            }
        }
    }

    private static void checkSum(float[][] init, Equivalence.Op op, Equivalence.Op absOp, String what) {
        assertWithinSumOfTerms(run(reference, init, op), run(native_, init, op), run(reference, abs(init), absOp), RTOL, what);
    }

    // ---------------------------------------------------------------- convolution

    /** n, c, h, w, f, kh, kw, stride, pad: batch 1 and 3, odd and non-square, stride 2, padding 1 and 2. */
    private static final int[][] CONV_SHAPES = {
        {1, 1, 5, 5, 1, 3, 3, 1, 0},
        {3, 2, 7, 5, 4, 3, 3, 1, 1},
        {3, 3, 9, 6, 5, 3, 2, 2, 1},
        {1, 2, 6, 7, 3, 5, 5, 1, 2},
        {3, 1, 8, 8, 2, 1, 1, 2, 0},
        {2, 4, 5, 9, 3, 2, 2, 2, 2},
        {3, 16, 11, 12, 9, 3, 3, 1, 1},
        {0, 2, 5, 5, 3, 3, 3, 1, 1},
        {2, 2, 5, 5, 0, 3, 3, 1, 1},
        // Stride 1 on CPU devices runs the direct kernels: non-square, pad 0 with a wide kernel,
        // more filters than a tile, pad 2 under a 2x2 kernel (backward data then takes im2col).
        {2, 3, 7, 6, 5, 3, 2, 1, 1},
        {2, 3, 9, 10, 7, 5, 5, 1, 0},
        {2, 5, 6, 6, 19, 3, 3, 1, 1},
        {2, 3, 5, 6, 4, 2, 2, 1, 2},
    };

    @ParameterizedTest
    @EnumSource(ClGemm.Variant.class)
    void convolutionMatchesTheReference(ClGemm.Variant variant) {
        OpenClBackend cl = backend(variant);
        Random rnd = new Random(8);
        for (int[] d : CONV_SHAPES) {
            ConvShape s = new ConvShape(d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7], d[8]);
            int p = s.patch(), ldw = p + 3;
            int xs = s.n() * s.inPerImage(), ys = s.n() * s.outPerImage();
            // W's spare columns hold NaN: they must not be read.
            float[] w = matrix(rnd, 0, s.f(), p, ldw, NAN);
            float[] x = random(rnd, xs);
            for (boolean bias : new boolean[] {false, true}) {
                float[][] init = {x, w, random(rnd, s.f()), filled(ys, NAN)};
                Equivalence.Op op = (be, b) -> be.conv2dForward(s, b[0], b[1], ldw, bias ? b[2] : null, b[3]);
                assertWithinSumOfTerms(run(reference, init, op), run(cl, init, op), run(reference, abs(init), op), RTOL,
                        "conv forward " + s + " bias=" + bias);
            }
            float[][] initData = {random(rnd, ys), w, random(rnd, xs)};
            Equivalence.Op data = (be, b) -> be.conv2dBackwardData(s, b[0], b[1], ldw, b[2]);
            assertWithinSumOfTerms(run(reference, initData, data), run(cl, initData, data), run(reference, abs(initData), data),
                    RTOL, "conv backward data " + s);
            for (FrozenBlock[] blocks : weightAndBiasBlocks(s.f(), p)) {
                for (boolean bias : new boolean[] {false, true}) {
                    checkBackwardWeights(cl, rnd, s, x, blocks[0], blocks[1], bias);
                }
            }
        }
    }

    /**
     * On the native backend every convolution kernel repeats bit for bit, and the forward and the
     * data gradient (one sum per output) do not depend on how the batch is cut into chunks: the
     * same cells with chunks of about one image. Run for the direct kernels of CPU devices (stride
     * 1) and for im2col + GEMM (stride 2).
     */
    @Test
    void convolutionRepeatsBitForBitWhateverTheChunks() {
        Random rnd = new Random(9);
        try (OpenClBackend chunked = new OpenClBackend(device, native_.gemmVariant(), 400)) {
            for (ConvShape s : new ConvShape[] {new ConvShape(3, 5, 9, 8, 11, 3, 3, 1, 1), new ConvShape(3, 4, 9, 9, 6, 3, 3, 2, 1)}) {
                int p = s.patch(), xs = s.n() * s.inPerImage(), ys = s.n() * s.outPerImage();
                float[] x = random(rnd, xs), w = random(rnd, s.f() * p), dy = random(rnd, ys);
                float[][] fwd = {x, w, random(rnd, s.f()), filled(ys, NAN)};
                Equivalence.Op forward = (be, b) -> be.conv2dForward(s, b[0], b[1], p, b[2], b[3]);
                float[][] data = {dy, w, random(rnd, xs)};
                Equivalence.Op backwardData = (be, b) -> be.conv2dBackwardData(s, b[0], b[1], p, b[2]);
                float[][] grads = {x, dy, random(rnd, s.f() * p), random(rnd, s.f())};
                Equivalence.Op backwardWeights = (be, b) -> be.conv2dBackwardWeights(s, b[0], b[1], b[2], p,
                        FrozenBlock.NONE, b[3], FrozenBlock.NONE);
                float[] y = run(native_, fwd, forward)[3], dx = run(native_, data, backwardData)[2];
                float[][] dwDb = run(native_, grads, backwardWeights);
                assertArrayEquals(y, run(native_, fwd, forward)[3], "forward repeated " + s);
                assertArrayEquals(dx, run(native_, data, backwardData)[2], "backward data repeated " + s);
                float[][] again = run(native_, grads, backwardWeights);
                assertArrayEquals(dwDb[2], again[2], "weight gradient repeated " + s);
                assertArrayEquals(dwDb[3], again[3], "bias gradient repeated " + s);
                assertArrayEquals(y, run(chunked, fwd, forward)[3], "forward in chunks " + s);
                assertArrayEquals(dx, run(chunked, data, backwardData)[2], "backward data in chunks " + s);
            }
        }
    }

    /**
     * (weight block, bias block) pairs. Each weight block comes with the bias frozen over the same
     * rows and with a trainable bias; then a trainable weight with frozen bias rows, blocks of
     * whole rows (cols = ALL), and blocks larger than the matrix.
     */
    private static FrozenBlock[][] weightAndBiasBlocks(int f, int p) {
        FrozenBlock none = FrozenBlock.NONE;
        FrozenBlock[] weights = {none, new FrozenBlock(Math.min(2, f), 5), new FrozenBlock(f, p - 1),
            new FrozenBlock(1, p), new FrozenBlock(f, p), FrozenBlock.rows(f), FrozenBlock.rows(1)};
        List<FrozenBlock[]> pairs = new ArrayList<>();
        for (FrozenBlock w : weights) {
            pairs.add(new FrozenBlock[] {w, FrozenBlock.rows(w.rows())});
            pairs.add(new FrozenBlock[] {w, none});
        }
        pairs.add(new FrozenBlock[] {none, FrozenBlock.rows(Math.min(2, f))});
        pairs.add(new FrozenBlock[] {none, new FrozenBlock(f, 1)});
        pairs.add(new FrozenBlock[] {new FrozenBlock(1, 2), FrozenBlock.rows(f)});
        pairs.add(new FrozenBlock[] {FrozenBlock.rows(f + 3), FrozenBlock.rows(f + 3)});
        return pairs.toArray(new FrozenBlock[0][]);
    }

    /**
     * conv2dBackwardWeights under a weight block and a bias block. dw is checked against the
     * reference backend, asked without a bias; db against its definition (see {@link #biasGradient}),
     * so that this test pins the bias block's independence from the weight block by itself.
     */
    private static void checkBackwardWeights(Backend cl, Random rnd, ConvShape s, float[] x,
                                             FrozenBlock dwFrozen, FrozenBlock dbFrozen, boolean bias) {
        int lddw = s.patch() + 2;
        float[][] init = {x, random(rnd, s.n() * s.outPerImage()), random(rnd, s.f() * lddw), random(rnd, s.f())};
        Equivalence.Op weightsOnly = (be, b) -> be.conv2dBackwardWeights(s, b[0], b[1], b[2], lddw, dwFrozen,
                null, FrozenBlock.NONE);
        float[][] expected = run(reference, init, weightsOnly);
        float[][] scale = run(reference, abs(init), weightsOnly);
        if (bias) {
            biasGradient(s, init[1], dbFrozen, expected[3], scale[3]);
        }
        float[][] actual = run(cl, init, (be, b) -> be.conv2dBackwardWeights(s, b[0], b[1], b[2], lddw, dwFrozen,
                bias ? b[3] : null, dbFrozen));
        assertWithinSumOfTerms(expected, actual, scale, RTOL, "conv backward weights " + s + " weight frozen "
                + dwFrozen + (bias ? ", bias frozen " + dbFrozen : ", no bias"));
    }

    /**
     * db[f] += sum over n and positions of dy[n, f, .] for the rows below dbFrozen, summed in
     * double; scale[f] gets the sum of the magnitudes of those terms.
     */
    private static void biasGradient(ConvShape s, float[] dy, FrozenBlock dbFrozen, float[] db, float[] scale) {
        int positions = s.oh() * s.ow();
        for (int f = dbFrozen.firstTrainableRow(0, s.f()); f < s.f(); f++) {
            double sum = db[f], magnitude = Math.abs(db[f]);
            for (int n = 0; n < s.n(); n++) {
                for (int i = 0; i < positions; i++) {
                    float v = dy[(n * s.f() + f) * positions + i];
                    sum += v;
                    magnitude += Math.abs(v);
                }
            }
            db[f] = (float) sum;
            scale[f] = (float) magnitude;
        }
    }

    /**
     * Hand-computed: frozen weight rows with a trainable bias still give the bias its gradient
     * (dy = 1 everywhere: db[f] = N*OH*OW), and leave dw untouched; the reverse leaves db alone.
     */
    @Test
    void aTrainableBiasUnderFrozenWeightRowsGetsItsGradient() {
        ConvShape s = new ConvShape(2, 1, 4, 4, 3, 3, 3, 1, 0); // OH = OW = 2
        float[][] init = {filled(s.n() * s.inPerImage(), 1f), filled(s.n() * s.outPerImage(), 1f),
            filled(3 * s.patch(), 0.5f), filled(3, 0.25f)};
        float[][] frozenWeights = run(native_, init, (be, b) -> be.conv2dBackwardWeights(s, b[0], b[1], b[2], s.patch(),
                FrozenBlock.rows(3), b[3], FrozenBlock.NONE));
        assertArrayEquals(init[2], frozenWeights[2], "dw under frozen rows");
        assertArrayEquals(filled(3, 8.25f), frozenWeights[3], "db, trainable");
        float[][] frozenBias = run(native_, init, (be, b) -> be.conv2dBackwardWeights(s, b[0], b[1], b[2], s.patch(),
                FrozenBlock.NONE, b[3], FrozenBlock.rows(3)));
        assertArrayEquals(filled(3 * s.patch(), 8.5f), frozenBias[2], "dw, trainable: 2 images x 4 positions");
        assertArrayEquals(init[3], frozenBias[3], "db under frozen rows");
    }

    // ---------------------------------------------------------------- pooling

    @Test
    void maxPoolMatchesTheReferenceWithTies() {
        Random rnd = new Random(9);
        // n, c, h, w, k, stride: non-overlapping, overlapping (stride < k), gaps (stride > k), odd sizes
        int[][] shapes = {{1, 1, 4, 4, 2, 2}, {3, 2, 7, 5, 2, 2}, {2, 3, 7, 7, 3, 2}, {1, 2, 6, 9, 3, 1},
            {2, 1, 8, 5, 2, 3}, {0, 2, 4, 4, 2, 2}, {2, 0, 4, 4, 2, 2}, {1, 1, 1, 1, 1, 1}};
        for (int[] d : shapes) {
            PoolShape s = new PoolShape(d[0], d[1], d[2], d[3], d[4], d[5]);
            int xs = s.n() * s.c() * s.h() * s.w(), ys = s.n() * s.c() * s.oh() * s.ow();
            // few distinct values, so most windows have ties and the first maximum matters
            float[] x = randomInts(rnd, xs, 3);
            checkExact(new float[][] {x, filled(ys, NAN)}, (be, b) -> be.maxPoolForward(s, b[0], b[1]), "max-pool forward " + Arrays.toString(d));
            checkExact(new float[][] {x, random(rnd, ys), random(rnd, xs)},
                    (be, b) -> be.maxPoolBackward(s, b[0], b[1], b[2], true), "max-pool backward " + Arrays.toString(d));
            // overwriting: dx's old values (NaN) replaced by zeros and the routed gradients
            checkExact(new float[][] {x, random(rnd, ys), filled(xs, NAN)},
                    (be, b) -> be.maxPoolBackward(s, b[0], b[1], b[2], false), "max-pool backward overwriting " + Arrays.toString(d));
        }
    }

    // ---------------------------------------------------------------- loss

    @Test
    void softmaxCrossEntropyMatchesTheReference() {
        Random rnd = new Random(10);
        for (int rows : new int[] {0, 1, 17}) {
            for (int cols : new int[] {1, 10, 17, 1000}) {
                float[] logits = random(rnd, rows * cols);
                for (int i = 0; i < logits.length; i++) {
                    logits[i] *= 40f; // large logits: the stable formulation must not overflow
                }
                float[] labels = randomInts(rnd, rows, cols);
                float[][] init = {logits, labels, filled(rows * cols, NAN), filled(rows, NAN)};
                Equivalence.Op forward = (be, b) -> be.softmaxCrossEntropyForward(rows, cols, b[0], b[1], b[2], b[3]);
                float[][] expected = run(reference, init, forward);
                float[][] scale = abs(expected);
                for (int r = 0; r < rows; r++) {
                    scale[3][r] += 1f;
                }
                assertWithinSumOfTerms(expected, run(native_, init, forward), scale, RTOL, "softmax-CE forward " + rows + "x" + cols);

                float[][] initBack = {expected[2], labels, random(rnd, rows * cols)};
                checkExact(initBack, (be, b) -> be.softmaxCrossEntropyBackward(rows, cols, b[0], b[1], 0.125f, b[2]),
                        "softmax-CE backward " + rows + "x" + cols);
            }
        }
    }

    // ---------------------------------------------------------------- optimizers

    @Test
    void optimizerStepsSkipTheFrozenRectangle() {
        Random rnd = new Random(11);
        int[][] shapes = {{0, 5}, {1, 1}, {3, 17}, {17, 15}, {16, 127}, {2, 1000}};
        for (int[] d : shapes) {
            int rows = d[0], cols = d[1], ld = cols + 3;
            // rectangles, blocks larger than the matrix, and whole rows (cols = ALL)
            FrozenBlock[] blocks = {FrozenBlock.NONE, new FrozenBlock(rows / 2, cols / 2), new FrozenBlock(rows, cols),
                new FrozenBlock(rows + 2, 1), new FrozenBlock(1, cols + 4), FrozenBlock.rows(rows / 2), FrozenBlock.rows(1),
                FrozenBlock.rows(rows + 2)};
            for (FrozenBlock frozen : blocks) {
                String what = rows + "x" + cols + " frozen " + frozen;
                int size = rows * ld;
                float[][] init = {random(rnd, size), random(rnd, size), random(rnd, size), abs(new float[][] {random(rnd, size)})[0]};
                checkExact(init, (be, b) -> be.sgdStep(rows, cols, ld, frozen, b[0], b[1], b[2], 0.1f, 0.9f, 1e-3f),
                        "sgd " + what);
                for (int t : new int[] {1, 7}) {
                    checkExact(init, (be, b) -> be.adamStep(rows, cols, ld, frozen, b[0], b[1], b[2], b[3],
                            1e-2f, 0.9f, 0.999f, 1e-8f, t), "adam t=" + t + " " + what);
                }
            }
        }
    }
}
