package dev.expanse.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.expanse.kernels.PoolShape;
import org.junit.jupiter.api.Test;

class PoolTest {

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
        Pool.forwardScalar(s, x, y);
        assertArrayEquals(new float[] {5, 8, -1, 7}, y);

        float[] dx = new float[20];
        Pool.backwardScalar(s, x, new float[] {1, 2, 3, 4}, dx);
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
        Pool.forwardScalar(s, x, y);
        assertArrayEquals(new float[] {2, 2, 2, 2}, y);

        float[] dx = KernelTestSupport.filled(9, 0.5f);
        Pool.backwardScalar(s, x, new float[] {1, 10, 100, 1000}, dx);
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
        Pool.forwardScalar(s, x, y);
        assertArrayEquals(new float[] {4, -5}, y);
        float[] dx = new float[8];
        Pool.backwardScalar(s, x, new float[] {3, 7}, dx);
        assertArrayEquals(new float[] {0, 3, 0, 0, 7, 0, 0, 0}, dx);
    }

    @Test
    void emptyBatchDoesNothing() {
        float[] y = {42};
        Pool.forwardScalar(new PoolShape(0, 3, 2, 2, 2, 2), new float[0], y);
        Pool.backwardScalar(new PoolShape(0, 3, 2, 2, 2, 2), new float[0], new float[0], y);
        assertArrayEquals(new float[] {42}, y);
    }
}
