package dev.expanse.kernels.cpu;

import static dev.expanse.kernels.cpu.KernelTestSupport.ulps;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The vector kernels' exp: against {@link Math#exp} (rounded to float) within a stated number of
 * ulps, over a dense sweep of the range where it is finite and non-zero and over random inputs;
 * its vector lanes against its scalar twin bit for bit, at the edges too.
 */
class CpuExpTest {

    /** The bound held: measured 1 ulp at most (of the float result) over the sweep. */
    private static final int MAX_ULPS = 2;

    @Test
    void withinTwoUlpsOfMathExp() {
        double worst = 0;
        for (float x = -87.6f; x < 88.3f; x += 1e-3f) {
            worst = Math.max(worst, ulps(CpuExp.exp(x), (float) Math.exp(x)));
        }
        Random rnd = new Random(3);
        for (int i = 0; i < 200_000; i++) {
            float x = (rnd.nextFloat() * 2 - 1) * (i % 2 == 0 ? 1f : 87f);
            worst = Math.max(worst, ulps(CpuExp.exp(x), (float) Math.exp(x)));
        }
        assertTrue(worst <= MAX_ULPS, "worst error " + worst + " ulps");
    }

    @Test
    void edges() {
        assertEquals(1f, CpuExp.exp(0f));
        assertEquals(1f, CpuExp.exp(-0f));
        assertEquals(0f, CpuExp.exp(-88f));
        assertEquals(0f, CpuExp.exp(Float.NEGATIVE_INFINITY));
        assertEquals(Float.POSITIVE_INFINITY, CpuExp.exp(89f));
        assertEquals(Float.POSITIVE_INFINITY, CpuExp.exp(Float.POSITIVE_INFINITY));
        assertTrue(Float.isNaN(CpuExp.exp(Float.NaN)));
        // just above the cut-off the result is subnormal, and still close
        float x = -87.6f, y = CpuExp.exp(x);
        assertTrue(y > 0f && y < Float.MIN_NORMAL, "subnormal " + y);
        assertEquals(Math.exp(x), y, 1e-44);
    }

    @Test
    void lanesMatchTheScalarTwinBitForBit() {
        float[] special = {0f, -0f, 1f, -1f, -87.68f, -87.679f, -87.681f, -87.7f, 88.37f, 88.369f, 88.371f, 100f, -100f,
            Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1e-30f, -1e-30f, 0.34657f, -0.34657f};
        Random rnd = new Random(4);
        int lanes = KernelTestSupport.LANES;
        float[] x = new float[special.length + 10_000];
        System.arraycopy(special, 0, x, 0, special.length);
        for (int i = special.length; i < x.length; i++) {
            x[i] = (rnd.nextFloat() * 2 - 1) * 90f;
        }
        float[] v = new float[lanes];
        for (int i = 0; i + lanes <= x.length; i += lanes) {
            CpuExp.Vector.exp(x, i, v, 0);
            for (int l = 0; l < lanes; l++) {
                assertEquals(Float.floatToRawIntBits(CpuExp.exp(x[i + l])), Float.floatToRawIntBits(v[l]), "exp(" + x[i + l] + ")");
            }
        }
    }
}
