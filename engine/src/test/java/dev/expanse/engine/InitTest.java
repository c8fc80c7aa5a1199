package dev.expanse.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.expanse.kernels.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

/**
 * The built-in inits fill in bulk; a seeded run must not notice: the same values, in the same
 * order, from the same stream position, as one {@link Init#sample} per value. And growth with zeros
 * writes nothing yet leaves zeros, inside the capacity and past it.
 */
class InitTest {

    private static final Init[] BUILT_IN = {
        Init.HE_NORMAL, Init.HE_UNIFORM, Init.XAVIER_NORMAL, Init.XAVIER_UNIFORM, Init.normal(0.05), Init.uniform(0.3),
        Init.ZEROS,
    };

    @Test
    void bulkFillDrawsWhatSamplingDraws() {
        for (Init init : BUILT_IN) {
            for (int n : new int[] {0, 1, 2, 7, 1001}) {
                Rng bulk = new Rng(5), one = new Rng(5);
                bulk.nextGaussian(); // a spare Gaussian pending, so the bulk fill must start from it
                one.nextGaussian();
                float[] filled = init.fill(bulk, n, 300, 40);
                float[] sampled = new float[n];
                for (int i = 0; i < n; i++) {
                    sampled[i] = init.sample(one, 300, 40);
                }
                assertArrayEquals(sampled, filled, init + " n=" + n);
                // the streams stand at the same place afterwards
                assertEquals(one.nextLong(), bulk.nextLong(), init + " n=" + n + ": stream position");
                assertEquals(one.nextGaussian(), bulk.nextGaussian(), init + " n=" + n + ": pending Gaussian");
            }
        }
    }

    @Test
    void onlyZerosSaysItIsZero() {
        for (Init init : BUILT_IN) {
            assertEquals(init == Init.ZEROS, init.isZero(), String.valueOf(init));
        }
        assertFalse(((Init) (rng, fanIn, fanOut) -> 0f).isZero(), "a lambda is not known to be zero");
    }

    @Test
    void zeroGrowthLeavesZerosInsideAndPastTheCapacity() {
        try (CpuBackend be = CpuBackend.scalar()) {
            Parameter p = new Parameter("w", be, 2, 3, 4, 5);
            p.set(new float[] {1, 2, 3, 4, 5, 6});
            p.growCols(2);
            p.growRows(2);
            assertArrayEquals(new float[] {1, 2, 3, 0, 0, 4, 5, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, p.toArray());
            assertEquals(0, p.reallocations(), "inside the capacity");
            p.growCols(1);
            p.growRows(1);
            assertTrue(p.reallocations() > 0, "past the capacity");
            float[] all = p.toArray();
            assertEquals(5 * 6, all.length);
            assertArrayEquals(new float[] {1, 2, 3, 0, 0, 0}, java.util.Arrays.copyOf(all, 6));
            for (int i = 12; i < all.length; i++) {
                assertEquals(0f, all[i], "cell " + i);
            }
        }
    }
}
