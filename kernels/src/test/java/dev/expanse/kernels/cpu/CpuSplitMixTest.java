package dev.expanse.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jdk.incubator.vector.LongVector;
import org.junit.jupiter.api.Test;

/**
 * The generator against the published SplitMix64, and the bulk draw's vector lanes against its
 * scalar twin bit for bit: awkward lengths (empty, shorter than a vector, a partial last vector),
 * states that wrap around, scales of either sign and of extreme size.
 */
class CpuSplitMixTest {

    @Test
    void mixIsSplitMix64() {
        // The first two outputs of Vigna's splitmix64.c seeded with 0; the third from a Python
        // transcription of it, seeded with 1234567.
        assertEquals(0xE220A8397B1DCDAFL, CpuSplitMix.mix(CpuSplitMix.GOLDEN));
        assertEquals(0x6E789E6AA1B965F4L, CpuSplitMix.mix(2 * CpuSplitMix.GOLDEN));
        assertEquals(0x599ED017FB08FC85L, CpuSplitMix.mix(1234567 + CpuSplitMix.GOLDEN));
    }

    @Test
    void scalarFillIsOneDrawPerCellInOrder() {
        float[] v = new float[37];
        long s0 = -5, end = CpuSplitMix.fillUniformScalar(v, 0, s0, 0.25);
        for (int i = 0; i < v.length; i++) {
            double u = (CpuSplitMix.mix(s0 + (i + 1) * CpuSplitMix.GOLDEN) >>> 11) * 0x1.0p-53;
            assertEquals((float) ((u * 2 - 1) * 0.25), v[i], "cell " + i);
        }
        assertEquals(s0 + v.length * CpuSplitMix.GOLDEN, end);
    }

    @Test
    void vectorFillMatchesTheScalarTwinBitForBit() {
        assertTrue(CpuBackend.vectorModulePresent(), "the tests run with the Vector API module");
        int lanes = LongVector.SPECIES_PREFERRED.length();
        int[] lengths = {0, 1, lanes - 1, lanes, lanes + 1, 3 * lanes - 1, 1000, 65_537};
        long[] states = {0, -1, Long.MIN_VALUE, Long.MAX_VALUE - 3, 0x123456789ABCDEFL};
        double[] scales = {1, 0.0765, -2.5, 1e-30, 3e38};
        for (int n : lengths) {
            for (long s : states) {
                for (double a : scales) {
                    float[] fast = new float[n], slow = new float[n];
                    long endFast = CpuSplitMix.Vector.fillUniform(fast, s, a), endSlow = CpuSplitMix.fillUniformScalar(slow, 0, s, a);
                    assertEquals(endSlow, endFast, "state after " + n + " draws from " + s);
                    for (int i = 0; i < n; i++) {
                        assertEquals(Float.floatToRawIntBits(slow[i]), Float.floatToRawIntBits(fast[i]),
                                "cell " + i + " of " + n + ", state " + s + ", scale " + a);
                    }
                }
            }
        }
    }

    /**
     * The vector loop's conversion of 53 random bits to [-1, 1) is exact where a dropped or
     * misplaced bit would show: around x = 2^52 (the zero of {@code x * 2^-52 - 1}) and at the ends.
     * Each x is put in the first and in the last lane by a state crafted with the inverse of mix;
     * the scale 2^52 makes the result the integer {@code x - 2^52}, which a float holds exactly
     * near zero, so a value off by 2^-52 before scaling comes out off by 1.
     */
    @Test
    void vectorConversionIsExactAtTheEdges() {
        long[] xs = {0, 1, 2, 3, (1L << 52) - 3, (1L << 52) - 1, 1L << 52, (1L << 52) + 1, (1L << 52) + 2,
            (1L << 52) + 5, (1L << 53) - 2, (1L << 53) - 1};
        int lanes = LongVector.SPECIES_PREFERRED.length();
        for (long x : xs) {
            for (int lane : new int[] {0, lanes - 1}) {
                long bits = (x << 11) | 0x5A5; // the 11 bits dropped by the shift must not matter
                long state = unmix(bits) - (lane + 1) * CpuSplitMix.GOLDEN;
                assertEquals(bits, CpuSplitMix.mix(state + (lane + 1) * CpuSplitMix.GOLDEN), "unmix");
                float[] fast = new float[lanes], slow = new float[lanes];
                CpuSplitMix.Vector.fillUniform(fast, state, 0x1.0p52);
                CpuSplitMix.fillUniformScalar(slow, 0, state, 0x1.0p52);
                assertEquals((float) (x - (1L << 52)), slow[lane], "scalar, x = " + x);
                assertEquals(Float.floatToRawIntBits(slow[lane]), Float.floatToRawIntBits(fast[lane]), "x = " + x + ", lane " + lane);
            }
        }
    }

    /** The inverse of {@link CpuSplitMix#mix}: each xor-shift and each odd multiplier undone in turn. */
    private static long unmix(long z) {
        z = z ^ (z >>> 31) ^ (z >>> 62);
        z *= inverse(0x94D049BB133111EBL);
        z = z ^ (z >>> 27) ^ (z >>> 54);
        z *= inverse(0xBF58476D1CE4E5B9L);
        return z ^ (z >>> 30) ^ (z >>> 60);
    }

    /** The inverse of an odd number modulo 2^64, by Newton's iteration (each step doubles the correct bits). */
    private static long inverse(long m) {
        long inv = m; // correct to 3 bits for any odd m
        for (int i = 0; i < 5; i++) inv *= 2 - m * inv;
        assertEquals(1L, m * inv);
        return inv;
    }
}
