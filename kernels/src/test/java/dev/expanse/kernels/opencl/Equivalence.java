package dev.expanse.kernels.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.expanse.kernels.Backend;
import dev.expanse.kernels.Backends;
import dev.expanse.kernels.Buffer;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs one operation on two backends from the same initial buffers and compares every buffer
 * afterwards (so a kernel that writes where it must not is caught too).
 */
final class Equivalence {
    private Equivalence() {
    }

    /** An operation on the buffers of one backend. */
    @FunctionalInterface
    interface Op {
        void run(Backend backend, Buffer[] buffers);
    }

    /**
     * The device the OpenCL tests run on (GPUs first), or null when OpenCL is unavailable; then
     * each test calls {@link #skipUnlessAvailable} to be skipped with the reason. When the
     * environment variable CI is "true", a missing OpenCL platform fails here instead.
     */
    static OpenClDevice deviceOrNull() {
        String reason = Backends.openClUnavailableReason();
        if (reason == null) {
            return OpenClDevice.all().get(0);
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail("OpenCL is required when CI=true (install ocl-icd-opencl-dev and pocl-opencl-icd): " + reason);
        }
        return null;
    }

    /** Skips the calling test, saying why, when {@code device} is null. */
    static void skipUnlessAvailable(OpenClDevice device) {
        if (device == null) {
            Assumptions.abort("OpenCL test skipped, OpenCL is not available here: " + Backends.openClUnavailableReason());
        }
    }

    /** Closes every backend that is not null (the test classes open theirs only where OpenCL is present). */
    static void closeAll(AutoCloseable... backends) {
        IllegalStateException failure = null;
        for (AutoCloseable b : backends) {
            if (b != null) {
                try {
                    b.close();
                } catch (Exception e) {
                    failure = failure == null ? new IllegalStateException("closing " + b, e) : failure;
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Floats after the end of every buffer, which must be left as they were. */
    private static final int GUARD = 64;
    private static final float GUARD_VALUE = 12345.5f;

    /**
     * The final contents of every buffer after running op on backend from the initial contents
     * init. Each buffer is followed by a guard zone that op must not write (checked here).
     */
    static float[][] run(Backend backend, float[][] init, Op op) {
        Buffer[] buffers = new Buffer[init.length];
        try {
            for (int i = 0; i < init.length; i++) {
                buffers[i] = backend.allocate(init[i].length + GUARD);
                backend.upload(init[i], 0, buffers[i], 0, init[i].length);
                backend.fill(buffers[i], init[i].length, GUARD, GUARD_VALUE);
            }
            op.run(backend, buffers);
            float[][] out = new float[init.length][];
            for (int i = 0; i < init.length; i++) {
                float[] all = new float[init[i].length + GUARD];
                backend.download(buffers[i], 0, all, 0, all.length);
                for (int g = init[i].length; g < all.length; g++) {
                    if (all[g] != GUARD_VALUE) {
                        fail(backend.name() + " wrote past the end of buffer " + i + " (at " + g + ")");
                    }
                }
                out[i] = Arrays.copyOf(all, init[i].length);
            }
            return out;
        } finally {
            for (Buffer b : buffers) {
                if (b != null) {
                    b.close();
                }
            }
        }
    }

    /**
     * Relative error: {@code |actual - expected| <= rtol * |expected|} elementwise; NaNs match NaNs
     * and infinities must be equal.
     */
    static void assertRelative(float[][] expected, float[][] actual, double rtol, String what) {
        for (int b = 0; b < expected.length; b++) {
            assertEquals(expected[b].length, actual[b].length, what + ": buffer " + b + " length");
            for (int i = 0; i < expected[b].length; i++) {
                check(expected[b][i], actual[b][i], rtol * Math.abs(expected[b][i]), what, b, i);
            }
        }
    }

    /**
     * Error relative to the sum of the magnitudes of the terms behind each element:
     * {@code |actual - expected| <= rtol * scale}, where scale comes from running the same
     * operation on the absolute values of every input (and of alpha and beta). This is the bound
     * rounding obeys in a sum, however the sum is ordered.
     */
    static void assertWithinSumOfTerms(float[][] expected, float[][] actual, float[][] scale, double rtol, String what) {
        for (int b = 0; b < expected.length; b++) {
            assertEquals(expected[b].length, actual[b].length, what + ": buffer " + b + " length");
            for (int i = 0; i < expected[b].length; i++) {
                check(expected[b][i], actual[b][i], rtol * Math.abs(scale[b][i]), what, b, i);
            }
        }
    }

    private static void check(float e, float a, double tol, String what, int buffer, int i) {
        boolean ok = Float.isNaN(e) ? Float.isNaN(a)
                : Float.isInfinite(e) ? e == a
                : Math.abs((double) a - e) <= tol;
        if (!ok) {
            fail(what + ": buffer " + buffer + ", element " + i + ": expected " + e + " but was " + a + " (tolerance " + tol + ")");
        }
    }

    static float[] random(Random rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = rnd.nextFloat() * 2f - 1f;
        }
        return a;
    }

    /** Uniform in [-1, 1) with about one element in eight replaced by +-0, +-infinity, NaN or a repeated value. */
    static float[] randomWithSpecials(Random rnd, int n) {
        float[] specials = {0f, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 0.5f, -0.5f};
        float[] a = random(rnd, n);
        for (int i = 0; i < n; i++) {
            if (rnd.nextInt(8) == 0) {
                a[i] = specials[rnd.nextInt(specials.length)];
            }
        }
        return a;
    }

    /** Small integers in [0, bound) as floats: many ties. */
    static float[] randomInts(Random rnd, int n, int bound) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = rnd.nextInt(bound);
        }
        return a;
    }

    static float[] filled(int n, float value) {
        float[] a = new float[n];
        Arrays.fill(a, value);
        return a;
    }

    static float[][] abs(float[][] a) {
        float[][] b = new float[a.length][];
        for (int i = 0; i < a.length; i++) {
            b[i] = new float[a[i].length];
            for (int j = 0; j < a[i].length; j++) {
                b[i][j] = Math.abs(a[i][j]);
            }
        }
        return b;
    }
}
