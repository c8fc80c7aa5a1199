package dev.expanse.kernels.cpu;

import static dev.expanse.kernels.cpu.KernelTestSupport.ulps;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The vector kernels' tanh: against {@link Math#tanh} (rounded to float) within a stated number of
 * ulps, over a dense sweep and random inputs; its vector lanes against its scalar twin bit for bit,
 * at the edges too, before and after the JIT compiles them (lanewise(TANH) failed that).
 */
class CpuTanhTest {

    /** The bound held: measured 1 ulp at most (of the float result; 1.42e-7 relative to the double tanh) over [-10, 10) by 1e-5. */
    private static final int MAX_ULPS = 2;

    @Test
    void withinTwoUlpsOfMathTanh() {
        double worst = 0;
        for (float x = -10f; x < 10f; x += 1e-4f) {
            worst = Math.max(worst, ulps(CpuTanh.tanh(x), (float) Math.tanh(x)));
        }
        Random rnd = new Random(5);
        for (int i = 0; i < 200_000; i++) {
            float x = (rnd.nextFloat() * 2 - 1) * (i % 2 == 0 ? 1f : 1e-3f);
            worst = Math.max(worst, ulps(CpuTanh.tanh(x), (float) Math.tanh(x)));
        }
        assertTrue(worst <= MAX_ULPS, "worst error " + worst + " ulps");
    }

    @Test
    void edges() {
        assertEquals(Float.floatToRawIntBits(0f), Float.floatToRawIntBits(CpuTanh.tanh(0f)));
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(CpuTanh.tanh(-0f)));
        assertEquals(1f, CpuTanh.tanh(10f));
        assertEquals(-1f, CpuTanh.tanh(-50f));
        assertEquals(1f, CpuTanh.tanh(Float.POSITIVE_INFINITY));
        assertEquals(-1f, CpuTanh.tanh(Float.NEGATIVE_INFINITY));
        assertTrue(Float.isNaN(CpuTanh.tanh(Float.NaN)));
        assertEquals(1e-30f, CpuTanh.tanh(1e-30f));
        assertEquals(Float.MIN_VALUE, CpuTanh.tanh(Float.MIN_VALUE));
    }

    @Test
    void lanesMatchTheScalarTwinBitForBitBeforeAndAfterCompilation() {
        float[] special = {0f, -0f, 1f, -1f, 0.625f, -0.625f, 0.62499994f, 0.6250001f, 44f, 45f, -44.5f, 1e-30f,
            -1e-30f, Float.MIN_VALUE, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 9f, -9f, 3e-4f};
        Random rnd = new Random(6);
        int lanes = KernelTestSupport.LANES;
        float[] x = new float[(special.length + 10_000) / lanes * lanes];
        System.arraycopy(special, 0, x, 0, special.length);
        for (int i = special.length; i < x.length; i++) {
            x[i] = (rnd.nextFloat() * 2 - 1) * (i % 3 == 0 ? 0.7f : 12f);
        }
        float[] first = lanes(x), v = new float[lanes];
        for (int rep = 0; rep < 60; rep++) {
            for (int i = 0; i < x.length; i += lanes) {
                CpuTanh.Vector.tanh(x, i, v, 0);
            }
        }
        float[] compiled = lanes(x);
        for (int i = 0; i < x.length; i++) {
            int twin = Float.floatToIntBits(CpuTanh.tanh(x[i]));
            assertEquals(twin, Float.floatToIntBits(first[i]), "tanh(" + x[i] + "), first calls");
            assertEquals(twin, Float.floatToIntBits(compiled[i]), "tanh(" + x[i] + "), compiled");
        }
    }

    private static float[] lanes(float[] x) {
        int lanes = KernelTestSupport.LANES;
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i += lanes) {
            CpuTanh.Vector.tanh(x, i, y, i);
        }
        return y;
    }
}
