package dev.expanse.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SoftmaxCrossEntropyTest {

    private static final float LN2 = (float) Math.log(2);

    @Test
    void forwardByHand() {
        // rows: [0, ln2] label 1, [1000, 1000.5] label 0 (exp(1000) overflows), [0, 200] label 0
        float[] logits = {0, LN2, 1000, 1000.5f, 0, 200};
        float[] labels = {1, 0, 0};
        float[] probs = new float[6];
        float[] losses = new float[3];
        SoftmaxCrossEntropy.forwardScalar(3, 2, logits, labels, probs, losses);
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
        SoftmaxCrossEntropy.backwardScalar(2, 2, probs, new float[] {1, 0}, 0.5f, dlogits);
        assertArrayEquals(new float[] {1 + 1f / 6, 1 - 1f / 6, 5 - 0.375f, 5.375f}, dlogits, 1e-6f);
    }

    @Test
    void zeroRowsDoNothing() {
        float[] probs = {7};
        float[] losses = {8};
        SoftmaxCrossEntropy.forwardScalar(0, 1, new float[0], new float[0], probs, losses);
        SoftmaxCrossEntropy.backwardScalar(0, 1, new float[0], new float[0], 1f, probs);
        assertArrayEquals(new float[] {7}, probs);
        assertArrayEquals(new float[] {8}, losses);
    }
}
