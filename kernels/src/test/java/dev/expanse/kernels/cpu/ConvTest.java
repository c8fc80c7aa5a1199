package dev.expanse.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.expanse.kernels.ConvShape;
import org.junit.jupiter.api.Test;

class ConvTest {

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
        Conv.forwardScalar(s, X, w, 6, new float[] {0.5f}, y);
        // (0,0): 1*1 + 2*2 + 3*4 + 4*5 = 37; (0,1): 2 + 6 + 15 + 24 = 47;
        // (1,0): 4 + 10 + 21 + 32 = 67;     (1,1): 5 + 12 + 24 + 36 = 77
        assertArrayEquals(new float[] {37.5f, 47.5f, 67.5f, 77.5f}, y);
    }

    @Test
    void forwardPaddingAndStrideByHand() {
        ConvShape s = new ConvShape(1, 1, 3, 3, 1, 3, 3, 2, 1);
        float[] y = new float[4];
        Conv.forwardScalar(s, X, KernelTestSupport.filled(9, 1f), 9, null, y);
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
        Conv.forwardScalar(s, x, w, 2, new float[] {0, 100}, y);
        assertArrayEquals(new float[] {31, 42, 99, 100, 0, -9, 100, 103}, y);
    }

    @Test
    void backwardDataAccumulatesByHand() {
        ConvShape s = new ConvShape(1, 1, 3, 3, 1, 2, 2, 1, 0);
        float[] dx = KernelTestSupport.filled(9, 10f);
        Conv.backwardDataScalar(s, new float[] {1, 0, 0, 2}, new float[] {1, 2, 3, 4, NAN}, 5, dx);
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
        Conv.backwardWeightsScalar(s, X, new float[] {1, 0, 0, 2}, dw, 5, db, 0, 0);
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
        float[] dw = {NAN, 0, 0, 0};
        float[] db = {NAN, 0};
        Conv.backwardWeightsScalar(s, x, dy, dw, 2, db, 1, 1);
        // dW[0,1] = 1*3 + 1*4 + 1*0 + (-1)*(-1) = 8
        // dW[1,0] = 2*1 + 0*2 + 0*0 + 3*1 = 5;  dW[1,1] = 2*3 + 0 + 0 + 3*(-1) = 3;  db[1] = 2 + 0 + 0 + 3 = 5
        assertArrayEquals(new float[] {NAN, 8, 5, 3}, dw);
        assertArrayEquals(new float[] {NAN, 5}, db);
    }
}
