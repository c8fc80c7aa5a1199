package dev.expanse.kernels.cpu;

import static dev.expanse.kernels.cpu.KernelTestSupport.assertBitsEqual;
import static dev.expanse.kernels.cpu.KernelTestSupport.download;
import static dev.expanse.kernels.cpu.KernelTestSupport.randomWithSpecials;
import static dev.expanse.kernels.cpu.KernelTestSupport.sizesAndParallel;
import static dev.expanse.kernels.cpu.KernelTestSupport.upload;
import static dev.expanse.kernels.cpu.KernelTestSupport.vectorBackend;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.expanse.kernels.Activation;
import dev.expanse.kernels.Buffer;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Every {@link Activation}, by itself: hand-computed values of the scalar reference, a central
 * difference check of its backward against its forward, then the vector kernels against the
 * scalar ones on the size list.
 *
 * <p>Vector against scalar: RELU and LEAKY_RELU bit for bit in both directions, NaN, +-0 and
 * +-infinity included; TANH and SIGMOID bit for bit in the backward (float arithmetic on y). The
 * rest evaluate tanh and exp in float (the vector kernels) against double rounded to float (the
 * reference), and are compared with {@code |vector - scalar| <= atol + rtol |scalar|}, see
 * {@link #tolerance}.
 */
class CpuActivationTest {

    /** Relative part of every tolerance: about 3 to 7 float ulps, for a 1-ulp tanh or exp and a few roundings around it. */
    private static final double RTOL = 4e-7;
    private static final Parallel TWO = new Parallel(2);

    @AfterAll
    static void closePool() {
        TWO.close();
    }

    /**
     * Hand-computed {x, f(x), f'(x)} of each function (values in double, from the formulas in
     * {@link Activation}). A switch expression, so a new constant does not compile without its cases.
     */
    private static double[][] handCases(Activation f) {
        return switch (f) {
            case RELU -> new double[][] {{-1, 0, 0}, {0, 0, 0}, {2, 2, 1}, {1e-30, 1e-30, 1}};
            case LEAKY_RELU -> new double[][] {{-2, -0.02, 0.01}, {0, 0, 0.01}, {3, 3, 1}, {-100, -1, 0.01}};
            case TANH -> new double[][] {{0, 0, 1}, {1, 0.7615941559557649, 0.41997434161402614},
                {-2, -0.9640275800758169, 0.07065082485316443}};
            case SIGMOID -> new double[][] {{0, 0.5, 0.25}, {2, 0.8807970779778823, 0.10499358540350662},
                {-40, 4.248354255291589e-18, 4.248354255291589e-18}};
            case GELU -> new double[][] {{0, 0, 0.5}, {1, 0.8411919906082768, 1.0829640838457826},
                {-1, -0.15880800939172324, -0.08296408384578255}, {-3, -0.0036373920817729943, -0.011584166630969516}};
        };
    }

    @Test
    void handComputedValuesOfEveryFunction() {
        for (Activation f : Activation.values()) {
            for (double[] c : handCases(f)) {
                float x = (float) c[0], y = f.forward(x);
                String what = f + " at " + x;
                // the reference rounds a double result to float: within 2^-24 relative
                assertEquals(c[1], y, 1e-7 * Math.abs(c[1]), what);
                // backward accumulates: dx = 0.25 + f'(x) * 2
                assertEquals(0.25 + 2 * c[2], f.backward(x, y, 2f, 0.25f), 1e-6, what + " (backward)");
            }
        }
        // the signs of zero: relu(-0) is +0 (Math.max semantics), leaky(-0) is -0
        assertBitsEqual(new float[] {0f, -0f}, new float[] {Activation.RELU.forward(-0f), Activation.LEAKY_RELU.forward(-0f)}, "zeros");
        assertEquals(0f, Activation.GELU.forward(0f));
        assertEquals(0f, Activation.TANH.forward(0f));
    }

    @Test
    void reluForwardByHand() {
        float[] y = {9, 9, 9, 9, 9};
        CpuActivation.forward(Activation.RELU, 0, 4, new float[] {-1, 0, 2, -0f, 3}, y);
        assertArrayEquals(new float[] {0, 0, 2, 0, 9}, y);
        KernelTestSupport.assertBitsEqual(new float[] {0f}, new float[] {y[3]}, "relu(-0) is +0");
    }

    @Test
    void reluBackwardAccumulatesWherePositive() {
        float[] x = {-1, 0, 2, 5}, y = new float[4], dx = {1, 1, 1, 1};
        CpuActivation.forward(Activation.RELU, 0, 4, x, y);
        CpuActivation.backward(Activation.RELU, 0, 3, x, y, new float[] {5, 6, 7, 8}, dx, true);
        assertArrayEquals(new float[] {1, 1, 8, 1}, dx);
    }

    /**
     * {@code backward(x, f(x), dy, dx) = dx + f'(x) dy} against the central difference
     * {@code (f(x+h) - f(x-h)) / 2h} of the scalar forward, in double, away from the kink at 0.
     * h = 2^-7, so x +- h is exact in float; each f value carries a rounding of at most 2^-24 |f|
     * (|f| <= 3 here), which the quotient turns into at most 2.3e-5, and the truncation error
     * h^2/6 |f'''| stays below 2e-5 (|f'''| <= 2 for these functions): the bound 1e-4 leaves room for both.
     */
    @Test
    void backwardMatchesCentralDifferencesOfForward() {
        float h = 1f / 128;
        float[] points = {-2.75f, -1.25f, -0.375f, 0.25f, 0.625f, 1.5f, 3f};
        for (Activation f : Activation.values()) {
            for (float x : points) {
                double slope = ((double) f.forward(x + h) - f.forward(x - h)) / (2.0 * h);
                float dx = f.backward(x, f.forward(x), 0.75f, 0.25f);
                assertEquals(0.25 + 0.75 * slope, dx, 1e-4, f + " at " + x);
            }
        }
    }

    /** Inputs uniform in [-6, 6), with NaN, +-0, +-infinity and ties mixed in. */
    private static float[] inputs(long seed, int n) {
        float[] x = randomWithSpecials(seed, n);
        for (int i = 0; i < n; i++) {
            x[i] *= 6f;
        }
        return x;
    }

    /**
     * Upstream gradients: with the special values where the backward is compared bit for bit, finite
     * where it is compared within a tolerance. There an infinite dy would turn a derivative that
     * rounds to 0 in float but not in double (GELU below x = -5) into NaN against infinity.
     */
    private static float[] upstream(Activation f, long seed, int n) {
        return exact(f, true) ? randomWithSpecials(seed, n) : KernelTestSupport.random(seed, n);
    }

    /** RELU and LEAKY_RELU (both directions), TANH and SIGMOID (backward) are bit-identical on the two paths. */
    private static boolean exact(Activation f, boolean backward) {
        return tolerance(f, backward) == null;
    }

    /**
     * {atol, rtol} of the vector kernel against the scalar one, or null where they are bit-identical.
     * The largest differences measured on 10^6 inputs in [-6, 6) are in the comments; each bound
     * leaves a margin of 2.5x or more.
     * <ul>
     *   <li>TANH forward: {@link CpuTanh}, within 1 ulp of the float-rounded tanh (measured: 1.42e-7
     *       relative to the double one).</li>
     *   <li>SIGMOID forward: float exp, one add, one divide (measured: 1.5e-7 relative).</li>
     *   <li>GELU forward: {@code 1 + tanh(u)} cancels for negative x, so one ulp of 1 in tanh becomes
     *       an absolute error of about |x| 3e-8 on a result that tends to 0 (measured: 7.7e-8 beyond
     *       the relative part).</li>
     *   <li>GELU backward: the same error in tanh, times {@code x t K0 (1 + 3 K1 x^2)}, up to 5 near
     *       x = -3 (measured: 5.4e-7 beyond the relative part, with |dy| < 1).</li>
     * </ul>
     */
    private static double[] tolerance(Activation f, boolean backward) {
        return switch (f) {
            case RELU, LEAKY_RELU -> null;
            case TANH, SIGMOID -> backward ? null : new double[] {0, RTOL};
            case GELU -> backward ? new double[] {1.5e-6, RTOL} : new double[] {2e-7, RTOL};
        };
    }

    @Test
    void vectorMatchesScalarOnEverySize() {
        for (Activation f : Activation.values()) {
            for (int n : sizesAndParallel()) {
                float[] x = inputs(11, n), dx = randomWithSpecials(13, n), dy = upstream(f, 12, n);
                float[] ys = new float[n], yv = new float[n];
                CpuActivation.forward(f, 0, n, x, ys);
                CpuActivation.Vector.forward(TWO, f, n, x, yv);
                compare(f, false, ys, yv, f + " forward n=" + n);
                // both backwards get the scalar forward's y, so only the backward itself is compared
                float[] dxs = dx.clone(), dxv = dx.clone();
                CpuActivation.backward(f, 0, n, x, ys, dy, dxs, true);
                CpuActivation.Vector.backward(TWO, f, n, x, ys, dy, dxv, true);
                compare(f, true, dxs, dxv, f + " backward n=" + n);
                // overwriting: dx's old values (NaN here) unread, the bits of adding onto zeros
                float[] zeros = new float[n], nans = new float[n];
                Arrays.fill(nans, Float.NaN);
                CpuActivation.backward(f, 0, n, x, ys, dy, zeros, true);
                CpuActivation.Vector.backward(TWO, f, n, x, ys, dy, nans, false);
                compare(f, true, zeros, nans, f + " backward overwriting n=" + n);
            }
        }
    }

    @Test
    void inPlaceForwardMatchesScalar() {
        int n = 1000;
        for (Activation f : Activation.values()) {
            float[] x = inputs(14, n), expected = new float[n], inPlace = x.clone();
            CpuActivation.forward(f, 0, n, x, expected);
            CpuActivation.Vector.forward(TWO, f, n, inPlace, inPlace);
            compare(f, false, expected, inPlace, f + " y aliasing x");
        }
    }

    @Test
    void backendApiScalarAndVectorAgree() {
        int n = KernelTestSupport.PARALLEL_SIZE;
        float[] x = inputs(15, n), dx = randomWithSpecials(17, n);
        for (Activation f : Activation.values()) {
            // finite dy unless both directions are exact: a derivative of 0 on one path only would give NaN against inf
            float[] dy = exact(f, false) ? randomWithSpecials(16, n) : KernelTestSupport.random(16, n);
            float[][] y = new float[2][], g = new float[2][], over = new float[2][];
            float[] nans = new float[n];
            Arrays.fill(nans, Float.NaN);
            for (int b = 0; b < 2; b++) {
                try (CpuBackend backend = b == 1 ? vectorBackend() : CpuBackend.scalar()) {
                    Buffer xb = upload(backend, x), yb = backend.allocate(n), dxb = upload(backend, dx);
                    backend.activationForward(f, n, xb, yb);
                    backend.activationBackward(f, n, xb, yb, upload(backend, dy), dxb, true);
                    y[b] = download(yb);
                    g[b] = download(dxb);
                    Buffer fresh = upload(backend, nans), zeros = backend.allocate(n);
                    backend.activationBackward(f, n, xb, yb, upload(backend, dy), fresh, false);
                    backend.activationBackward(f, n, xb, yb, upload(backend, dy), zeros, true);
                    over[b] = download(fresh);
                    assertBitsEqual(download(zeros), over[b], f + " backward overwriting NaNs = onto zeros, backend " + b);
                }
            }
            compare(f, false, y[0], y[1], f + " forward, scalar vs vector backend");
            if (exact(f, false)) {
                assertBitsEqual(g[0], g[1], f + " backward, scalar vs vector backend");
                assertBitsEqual(over[0], over[1], f + " backward overwriting, scalar vs vector backend");
            } else {
                // TANH's and SIGMOID's backward read y, which differs between the paths by up to RTOL |y|;
                // |d f' / dy| <= 2 and |dy| < 1 turn that into at most 2 RTOL
                double[] tol = exact(f, true) ? new double[] {2 * RTOL, RTOL} : tolerance(f, true);
                assertWithin(g[0], g[1], tol[0], tol[1], f + " backward, scalar vs vector backend");
                assertWithin(over[0], over[1], tol[0], tol[1], f + " backward overwriting, scalar vs vector backend");
            }
        }
    }

    private static void compare(Activation f, boolean backward, float[] scalar, float[] vector, String what) {
        double[] tol = tolerance(f, backward);
        if (tol == null) {
            assertBitsEqual(scalar, vector, what);
        } else {
            assertWithin(scalar, vector, tol[0], tol[1], what);
        }
    }

    /** {@code |actual - expected| <= atol + rtol |expected|}; NaN only against NaN, infinities only against themselves. */
    private static void assertWithin(float[] expected, float[] actual, double atol, double rtol, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            float e = expected[i], a = actual[i];
            boolean ok = Float.isNaN(e) ? Float.isNaN(a)
                    : Float.isInfinite(e) || Float.isInfinite(a) ? e == a
                    : Math.abs((double) a - e) <= atol + rtol * Math.abs(e);
            if (!ok) {
                fail(what + ": element " + i + " expected " + e + " but was " + a);
            }
        }
    }
}
