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
import dev.expanse.kernels.PoolShape;
import dev.expanse.kernels.cpu.CpuBackend;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Equivalence of every {@link dev.expanse.kernels.Backend} method: OpenCL against the scalar CPU
 * reference ({@code new CpuBackend(false, 1)}), on awkward sizes (0, 1, 15, 16, 17, 127, 1000),
 * leading dimensions larger than the column count, offsets, and frozen rectangles.
 *
 * <p>GEMM and convolution run with both GEMM variants on whatever device is present (on PoCL the
 * GPU variant is forced), the non-native one with convolution chunks of about one image so that
 * the chunk loop is covered too.
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
    private static OpenClBackend other;

    private static OpenClDevice device;

    @BeforeAll
    static void open() {
        device = Equivalence.deviceOrNull();
        if (device == null) {
            return;
        }
        reference = new CpuBackend(false, 1);
        native_ = new OpenClBackend(device);
        ClGemm.Variant otherVariant = native_.gemmVariant() == ClGemm.Variant.CPU ? ClGemm.Variant.GPU : ClGemm.Variant.CPU;
        other = new OpenClBackend(device, otherVariant, 400);
    }

    @BeforeEach
    void skipWithoutOpenCl() {
        Equivalence.skipUnlessAvailable(device);
    }

    @AfterAll
    static void close() {
        for (AutoCloseable b : new AutoCloseable[] {reference, native_, other}) {
            if (b != null) {
                try {
                    b.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    private static OpenClBackend backend(ClGemm.Variant variant) {
        return native_.gemmVariant() == variant ? native_ : other;
    }

    // ---------------------------------------------------------------- memory

    @Test
    void allocateGivesZerosOfTheRightSize() {
        for (int n : SIZES) {
            try (Buffer b = native_.allocate(n)) {
                assertEquals(n, b.size());
                float[] out = filled(n, NAN);
                native_.download(b, 0, out, 0, n);
                assertArrayEquals(new float[n], out, "size " + n);
            }
        }
    }

    @Test
    void uploadDownloadAndFillHonourOffsets() {
        Random rnd = new Random(1);
        for (int n : SIZES) {
            float[] src = random(rnd, n + 7);
            float[] init = random(rnd, n + 9);
            Equivalence.Op op = (be, b) -> {
                be.upload(src, 3, b[0], 4, n);
                be.fill(b[0], 2, Math.min(2, n), 0.25f);
                float[] back = new float[n + 5];
                be.download(b[0], 1, back, 2, n);
                be.upload(back, 0, b[1], 0, n + 5);
            };
            float[][] start = {init, filled(n + 5, -1f)};
            assertRelative(run(reference, start, op), run(native_, start, op), 0, "upload/fill/download n=" + n);
        }
    }

    @Test
    void copy2dCopiesARectangleBetweenLeadingDimensions() {
        Random rnd = new Random(2);
        int[][] cases = {{0, 5}, {4, 0}, {1, 1}, {3, 17}, {17, 15}, {5, 127}};
        for (int[] c : cases) {
            int rows = c[0], cols = c[1], lds = cols + 3, ldd = cols + 11;
            float[][] init = {random(rnd, 5 + rows * lds), random(rnd, 2 + rows * ldd)};
            Equivalence.Op op = (be, b) -> be.copy2d(rows, cols, b[0], 5, lds, b[1], 2, ldd);
            assertRelative(run(reference, init, op), run(native_, init, op), 0, "copy2d " + rows + "x" + cols);
        }
    }

    @Test
    void buffersAreCheckedAndReleased() {
        try (CpuBackend cpu = new CpuBackend(false, 1); Buffer foreign = cpu.allocate(4)) {
            Buffer own = native_.allocate(4);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> native_.axpy(4, 1f, foreign, own));
            assertTrue(e.getMessage().contains("cpu-scalar"), e.getMessage());
            own.close();
            own.close(); // twice is harmless
            assertThrows(IllegalStateException.class, () -> native_.scale(4, 2f, own));
        }
    }

    @Test
    void closingTheBackendReleasesItAndItsBuffers() {
        OpenClBackend backend = new OpenClBackend(native_.device());
        Buffer b = backend.allocate(8);
        backend.scale(8, 2f, b);
        backend.close();
        backend.close(); // twice is harmless
        assertThrows(IllegalStateException.class, () -> backend.allocate(1));
        assertThrows(IllegalStateException.class, () -> backend.download(b, 0, new float[8], 0, 8));
        b.close();
    }

    @Test
    void aFailingCallIsNamedInTheException() {
        try (Buffer small = native_.allocate(4); Buffer big = native_.allocate(64)) {
            // 8 rows of 8 do not fit in 4 floats: the copy is refused by the OpenCL runtime
            OpenClException e = assertThrows(OpenClException.class, () -> native_.copy2d(8, 8, small, 0, 8, big, 0, 8));
            assertTrue(e.getMessage().contains("clEnqueueCopyBufferRect"), e.getMessage());
            assertTrue(e.code() < 0, e.getMessage());
        }
    }

    @Test
    void aBuildErrorCarriesTheBuildLog() {
        try (ClRuntime rt = new ClRuntime(device)) {
            OpenClException e = assertThrows(OpenClException.class,
                    () -> rt.kernel("elementwise.cl", "-Dget_global_id=no_such_function", "axpy"));
            assertTrue(e.getMessage().contains("elementwise.cl") && e.getMessage().contains("no_such_function"), e.getMessage());
        }
    }

    // ---------------------------------------------------------------- GEMM

    @ParameterizedTest
    @EnumSource(ClGemm.Variant.class)
    void gemmMatchesTheReference(ClGemm.Variant variant) {
        OpenClBackend cl = backend(variant);
        Random rnd = new Random(3);
        // m, n, k: empty, tiny, around the tile sizes (8 x 32 on CPUs, 64 x 64 x 16 on GPUs), aligned.
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

    // ---------------------------------------------------------------- elementwise and activations

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
            checkExact(init, (be, b) -> be.reluForward(n, b[0], b[2]), "relu forward n=" + n);
            checkExact(init, (be, b) -> be.reluBackward(n, b[0], b[1], b[2]), "relu backward n=" + n);
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
            int f = s.f();
            int[][] frozen = {{0, 0}, {Math.min(2, f), 5}, {f, p - 1}, {1, p}, {f, 0}, {f, p}};
            for (int[] fz : frozen) {
                for (boolean bias : new boolean[] {false, true}) {
                    int lddw = p + 2;
                    float[][] initW = {x, random(rnd, ys), random(rnd, f * lddw), random(rnd, f)};
                    Equivalence.Op weights = (be, b) -> be.conv2dBackwardWeights(s, b[0], b[1], b[2], lddw,
                            bias ? b[3] : null, fz[0], fz[1]);
                    assertWithinSumOfTerms(run(reference, initW, weights), run(cl, initW, weights),
                            run(reference, abs(initW), weights), RTOL,
                            "conv backward weights " + s + " frozen " + fz[0] + "x" + fz[1] + " bias=" + bias);
                }
            }
        }
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
                    (be, b) -> be.maxPoolBackward(s, b[0], b[1], b[2]), "max-pool backward " + Arrays.toString(d));
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
            int[][] frozen = {{0, 0}, {rows / 2, cols / 2}, {rows, cols}, {rows + 2, 1}, {1, cols + 4}};
            for (int[] fz : frozen) {
                String what = rows + "x" + cols + " frozen " + fz[0] + "x" + fz[1];
                int size = rows * ld;
                float[][] init = {random(rnd, size), random(rnd, size), random(rnd, size), abs(new float[][] {random(rnd, size)})[0]};
                checkExact(init, (be, b) -> be.sgdStep(rows, cols, ld, fz[0], fz[1], b[0], b[1], b[2], 0.1f, 0.9f, 1e-3f),
                        "sgd " + what);
                for (int t : new int[] {1, 7}) {
                    checkExact(init, (be, b) -> be.adamStep(rows, cols, ld, fz[0], fz[1], b[0], b[1], b[2], b[3],
                            1e-2f, 0.9f, 0.999f, 1e-8f, t), "adam t=" + t + " " + what);
                }
            }
        }
    }
}
