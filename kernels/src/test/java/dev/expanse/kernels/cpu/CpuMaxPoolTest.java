package dev.expanse.kernels.cpu;

import static dev.expanse.kernels.cpu.KernelTestSupport.LANES;
import static dev.expanse.kernels.cpu.KernelTestSupport.assertBitsEqual;
import static dev.expanse.kernels.cpu.KernelTestSupport.download;
import static dev.expanse.kernels.cpu.KernelTestSupport.random;
import static dev.expanse.kernels.cpu.KernelTestSupport.randomInts;
import static dev.expanse.kernels.cpu.KernelTestSupport.upload;
import static dev.expanse.kernels.cpu.KernelTestSupport.vectorBackend;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.expanse.kernels.Buffer;
import dev.expanse.kernels.PoolShape;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Hand-computed cases for the scalar kernels, then vector == scalar bit for bit, ties included. */
class CpuMaxPoolTest {

    private static final Parallel ONE = new Parallel(1);
    private static final Parallel TWO = new Parallel(2);

    /**
     * Shapes with output widths below, at and above the lane count (and of narrower species: 4, 14),
     * strides 1 to 3, overlapping
     * windows, ragged edges, and one big enough (8*8 planes of 34 x 35) to split over two threads.
     * For the 2 x 2 stride-2 path: output rows of exactly half the lanes (taken two rows at a
     * time, with an odd row left), of the lanes, and between one and two vectors (an overlapping
     * last vector).
     */
    private static final PoolShape[] SHAPES = {
        new PoolShape(1, 1, 1, 1, 1, 1),
        new PoolShape(2, 3, 5, 7, 2, 2),
        new PoolShape(1, 2, 3, 2 * LANES + 3, 2, 2),
        new PoolShape(2, 1, 4, 2 * LANES + 2, 2, 2),
        new PoolShape(1, 2, 5, LANES + 2, 3, 1),
        new PoolShape(2, 2, 7, 2 * LANES + 5, 3, 2),
        new PoolShape(1, 1, 6, 3 * LANES + 1, 2, 3),
        new PoolShape(1, 3, 4, LANES - 1, 1, 1),
        new PoolShape(1, 3, 3, LANES, 1, 1),
        new PoolShape(1, 1, 2, LANES + 1, 2, 1),
        new PoolShape(2, 3, 28, 28, 2, 2),
        new PoolShape(1, 2, 9, 9, 2, 2),
        new PoolShape(0, 2, 4, 4, 2, 2),
        new PoolShape(8, 8, 34, 35, 2, 2),
        new PoolShape(2, 3, 7, LANES + 1, 2, 2),
        new PoolShape(1, 2, 4, 2 * LANES, 2, 2),
        new PoolShape(2, 2, 6, 3 * LANES + 1, 2, 2),
    };

    @AfterAll
    static void closePools() {
        ONE.close();
        TWO.close();
    }

    @Test
    void twoByTwoStrideTwoDropsTheRaggedEdge() {
        // one plane of 5 x 4; the last input row is not covered by any window
        float[] x = {
            1, 5, 2, 0,
            3, 4, 8, 1,
            -1, -2, 0, 6,
            -3, -4, 7, 2,
            99, 99, 99, 99,
        };
        PoolShape s = new PoolShape(1, 1, 5, 4, 2, 2);
        float[] y = new float[4];
        CpuMaxPool.forward(s, x, y);
        assertArrayEquals(new float[] {5, 8, -1, 7}, y);

        float[] dx = new float[20];
        CpuMaxPool.backward(s, x, new float[] {1, 2, 3, 4}, dx, true);
        float[] expected = new float[20];
        expected[1] = 1;   // 5 at (0, 1)
        expected[6] = 2;   // 8 at (1, 2)
        expected[8] = 3;   // -1 at (2, 0)
        expected[14] = 4;  // 7 at (3, 2)
        assertArrayEquals(expected, dx);
    }

    @Test
    void overlappingWindowsRouteTiesToTheFirstMaximumAndAccumulate() {
        float[] x = {
            1, 2, 1,
            2, 2, 0,
            0, 1, 2,
        };
        PoolShape s = new PoolShape(1, 1, 3, 3, 2, 1);
        float[] y = new float[4];
        CpuMaxPool.forward(s, x, y);
        assertArrayEquals(new float[] {2, 2, 2, 2}, y);

        float[] dx = KernelTestSupport.filled(9, 0.5f);
        CpuMaxPool.backward(s, x, new float[] {1, 10, 100, 1000}, dx, true);
        // windows (0,0) and (0,1) both pick (0,1); (1,0) picks (1,0); (1,1) picks (1,1)
        assertArrayEquals(new float[] {
            0.5f, 11.5f, 0.5f,
            100.5f, 1000.5f, 0.5f,
            0.5f, 0.5f, 0.5f,
        }, dx);
    }

    @Test
    void planesAreIndependent() {
        // N = 2, C = 1, 2 x 2 planes, one window each
        float[] x = {1, 4, 3, 2, -5, -6, -7, -8};
        PoolShape s = new PoolShape(2, 1, 2, 2, 2, 2);
        float[] y = new float[2];
        CpuMaxPool.forward(s, x, y);
        assertArrayEquals(new float[] {4, -5}, y);
        float[] dx = new float[8];
        CpuMaxPool.backward(s, x, new float[] {3, 7}, dx, true);
        assertArrayEquals(new float[] {0, 3, 0, 0, 7, 0, 0, 0}, dx);
    }

    @Test
    void emptyBatchDoesNothing() {
        float[] y = {42};
        CpuMaxPool.forward(new PoolShape(0, 3, 2, 2, 2, 2), new float[0], y);
        CpuMaxPool.backward(new PoolShape(0, 3, 2, 2, 2, 2), new float[0], new float[0], y, true);
        assertArrayEquals(new float[] {42}, y);
    }

    // ---------------------------------------------------------------- vector == scalar, exactly

    @Test
    void vectorMatchesScalarExactly() {
        int seed = 30;
        for (PoolShape s : SHAPES) {
            int in = s.n() * s.c() * s.h() * s.w(), out = s.n() * s.c() * s.oh() * s.ow();
            // distinct values, then small integers so that windows hold ties
            for (float[] x : new float[][] {random(seed++, in), randomInts(seed++, in, 3)}) {
                float[] ys = new float[out], yv = new float[out];
                CpuMaxPool.forward(s, x, ys);
                CpuMaxPool.Vector.forward(TWO, s, x, yv);
                assertBitsEqual(ys, yv, "forward " + s);

                float[] dy = random(seed++, out), dx = random(seed++, in);
                float[] dxs = dx.clone(), dxv = dx.clone(), dx1 = dx.clone();
                CpuMaxPool.backward(s, x, dy, dxs, true);
                CpuMaxPool.Vector.backward(TWO, s, x, dy, dxv, true);
                CpuMaxPool.Vector.backward(ONE, s, x, dy, dx1, true);
                assertBitsEqual(dxs, dxv, "backward " + s);
                assertBitsEqual(dx1, dxv, "backward 1 vs 2 threads " + s);
                // overwriting: dx's old values (NaN here) replaced, the bits of routing onto zeros
                float[] zeros = new float[in], nans = new float[in], nansScalar = new float[in];
                Arrays.fill(nans, Float.NaN);
                Arrays.fill(nansScalar, Float.NaN);
                CpuMaxPool.backward(s, x, dy, zeros, true);
                CpuMaxPool.Vector.backward(TWO, s, x, dy, nans, false);
                CpuMaxPool.backward(s, x, dy, nansScalar, false);
                assertBitsEqual(zeros, nans, "backward overwriting " + s);
                assertBitsEqual(zeros, nansScalar, "scalar backward overwriting " + s);
            }
        }
    }

    @Test
    void backendApiScalarAndVectorAgree() {
        PoolShape s = new PoolShape(8, 8, 34, 35, 2, 2);
        int in = s.n() * s.c() * s.h() * s.w(), out = s.n() * s.c() * s.oh() * s.ow();
        float[] x = randomInts(40, in, 5), dy = random(41, out), dx = random(42, in);
        float[][] results = new float[2][];
        for (int b = 0; b < 2; b++) {
            try (CpuBackend backend = b == 1 ? vectorBackend() : CpuBackend.scalar()) {
                Buffer xb = upload(backend, x), yb = backend.allocate(out), dxb = upload(backend, dx);
                backend.maxPoolForward(s, xb, yb);
                backend.maxPoolBackward(s, xb, upload(backend, dy), dxb, true);
                float[] nans = new float[in];
                Arrays.fill(nans, Float.NaN);
                Buffer fresh = upload(backend, nans);
                backend.maxPoolBackward(s, xb, upload(backend, dy), fresh, false);
                float[] y = download(yb), g = download(dxb), o = download(fresh);
                results[b] = new float[out + 2 * in];
                System.arraycopy(y, 0, results[b], 0, out);
                System.arraycopy(g, 0, results[b], out, in);
                System.arraycopy(o, 0, results[b], out + in, in);
            }
        }
        assertBitsEqual(results[0], results[1], "scalar vs vector backend");
    }
}
