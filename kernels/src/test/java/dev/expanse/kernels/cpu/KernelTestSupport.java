package dev.expanse.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.expanse.kernels.Backend;
import dev.expanse.kernels.Buffer;
import java.util.Random;
import java.util.stream.IntStream;

/** Shared helpers of the CPU kernel tests: seeded data, the size list, exact and bounded comparisons. */
final class KernelTestSupport {
    private KernelTestSupport() {
    }

    /** Lanes of the preferred float species (16 with AVX-512); asked of a nested Vector class, so this class needs no Vector API type. */
    static final int LANES = CpuElementwise.Vector.lanes();

    /** |a - b| in ulps of b (for the exp and tanh tests). */
    static double ulps(float a, float b) {
        return Math.abs((double) a - b) / Math.ulp(b);
    }

    /**
     * The vector backend on two threads, checked to be one: without the Vector API module the
     * factory gives the scalar backend, and a scalar-versus-vector test would compare scalar with
     * itself and pass without testing anything.
     */
    static CpuBackend vectorBackend() {
        CpuBackend backend = CpuBackend.vector(2);
        assertTrue(backend.isVector(), "expected the vector backend, got " + backend.name());
        return backend;
    }

    /** Sizes every equivalence test covers: 0, 1, lanes - 1, lanes, lanes + 1, 127, 1000. */
    static int[] sizes() {
        return IntStream.of(0, 1, LANES - 1, LANES, LANES + 1, 127, 1000).filter(n -> n >= 0).distinct().toArray();
    }

    /**
     * Elements enough for the vector kernels to split over two threads (their grain is 2^15), so the
     * equivalence tests cover the parallel path and its chunk boundaries too.
     */
    static final int PARALLEL_SIZE = 100_003;

    /** {@link #sizes()} and {@link #PARALLEL_SIZE}. */
    static int[] sizesAndParallel() {
        return IntStream.concat(IntStream.of(sizes()), IntStream.of(PARALLEL_SIZE)).toArray();
    }

    /** A fresh buffer of {@code backend} holding a copy of {@code a}. */
    static Buffer upload(Backend backend, float[] a) {
        Buffer b = backend.allocate(a.length);
        backend.upload(a, 0, b, 0, a.length);
        return b;
    }

    /** The contents of {@code b}. */
    static float[] download(Buffer b) {
        float[] a = new float[(int) b.size()];
        b.backend().download(b, 0, a, 0, a.length);
        return a;
    }

    /** n floats uniform in [-1, 1) from a generator seeded with {@code seed}. */
    static float[] random(long seed, int n) {
        return random(new Random(seed), n);
    }

    static float[] random(Random rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = rnd.nextFloat() * 2f - 1f;
        }
        return a;
    }

    /** n copies of {@code value}. */
    static float[] filled(int n, float value) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, value);
        return a;
    }

    /**
     * n floats that are mostly uniform in [-1, 1) but include the special values a kernel must not
     * mishandle: +-0, +-infinity, NaN, and repeated values (ties).
     */
    static float[] randomWithSpecials(long seed, int n) {
        Random rnd = new Random(seed);
        float[] specials = {0f, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 0.5f, -0.5f};
        float[] a = random(rnd, n);
        for (int i = 0; i < n; i++) {
            if (rnd.nextInt(8) == 0) {
                a[i] = specials[rnd.nextInt(specials.length)];
            }
        }
        return a;
    }

    /** n small integers in [0, bound) as floats: many ties. */
    static float[] randomInts(long seed, int n, int bound) {
        Random rnd = new Random(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = rnd.nextInt(bound);
        }
        return a;
    }

    static float[] abs(float[] a) {
        float[] b = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            b[i] = Math.abs(a[i]);
        }
        return b;
    }

    /**
     * Bit-for-bit equality, except that all NaNs are equal (Java leaves NaN payloads to the
     * hardware); -0 and +0 differ.
     */
    static void assertBitsEqual(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(actual[i])) {
                fail(what + ": element " + i + " expected " + expected[i] + " but was " + actual[i]);
            }
        }
    }

    /** {@code |expected - actual| <= atol} elementwise. */
    static void assertClose(float[] expected, float[] actual, double atol, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            if (!(Math.abs((double) expected[i] - actual[i]) <= atol)) {
                fail(what + ": element " + i + " expected " + expected[i] + " but was " + actual[i] + " (atol " + atol + ")");
            }
        }
    }

    /**
     * Error bounded by the magnitude of the sum: {@code |expected - actual| <= rel * scale[i] + 1e-30}
     * elementwise, where scale[i] is the sum of the absolute values of the terms behind element i.
     */
    static void assertWithinSumOfTerms(float[] expected, float[] actual, float[] scale, double rel, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            double tol = rel * scale[i] + 1e-30;
            if (!(Math.abs((double) expected[i] - actual[i]) <= tol)) {
                fail(what + ": element " + i + " expected " + expected[i] + " but was " + actual[i] + " (tol " + tol + ")");
            }
        }
    }
}
