package dev.expanse.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class ReluTest {

    @Test
    void forwardByHand() {
        float[] y = {9, 9, 9, 9, 9};
        Relu.forwardScalar(4, new float[] {-1, 0, 2, -0f, 3}, y);
        assertArrayEquals(new float[] {0, 0, 2, 0, 9}, y);
        KernelTestSupport.assertBitsEqual(new float[] {0f}, new float[] {y[3]}, "relu(-0) is +0");
    }

    @Test
    void backwardAccumulatesWherePositive() {
        float[] dx = {1, 1, 1, 1};
        Relu.backwardScalar(3, new float[] {-1, 0, 2, 5}, new float[] {5, 6, 7, 8}, dx);
        assertArrayEquals(new float[] {1, 1, 8, 1}, dx);
    }
}
