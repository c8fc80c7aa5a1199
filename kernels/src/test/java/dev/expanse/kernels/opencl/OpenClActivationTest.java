package dev.expanse.kernels.opencl;

import static dev.expanse.kernels.opencl.Equivalence.filled;
import static dev.expanse.kernels.opencl.Equivalence.randomWithSpecials;
import static dev.expanse.kernels.opencl.Equivalence.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.expanse.kernels.Activation;
import dev.expanse.kernels.Backend;
import dev.expanse.kernels.Buffer;
import dev.expanse.kernels.cpu.CpuBackend;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Equivalence of {@link Backend#activationForward} and {@link Backend#activationBackward} for
 * every {@link Activation} (the tests iterate over the enum, so a new activation is tested
 * without a line here): OpenCL against the scalar CPU reference ({@link CpuBackend#scalar()}), on
 * sizes 0, 1, 15, 16, 17, 127, 1000, with x in [-8, 8) and about one element in eight replaced by
 * +-0, +-infinity, NaN or +-4 (in dy and dx too).
 *
 * <p>Tolerances: the piecewise-linear {@link #EXACT} functions are bit-identical, signed zeros
 * included (NaN matches NaN, whatever its payload). The others go through tanh, exp and a division,
 * which OpenCL 1.2 allows 5, 3 and 2.5 ulps, while the reference rounds a double result: they
 * match within {@code |actual - expected| <= 1e-5 |expected| + 1e-6}, the absolute term for
 * results near zero reached by cancellation (dx + f'(x) dy, GELU's 1 + tanh(u) in the
 * reference). Inputs are at most 8 in magnitude, so 1e-6 is a few ulps of the terms. NaN must
 * match NaN, and infinities must be equal.
 */
class OpenClActivationTest {
    private static final int[] SIZES = {0, 1, 15, 16, 17, 127, 1000};
    /** Comparisons, one product and one sum, each correctly rounded: exact on any device (FP_CONTRACT off). */
    private static final Set<Activation> EXACT = EnumSet.of(Activation.RELU, Activation.LEAKY_RELU);
    private static final double RTOL = 1e-5;
    private static final double ATOL = 1e-6;

    @RegisterExtension
    static final OpenClFixture FIXTURE = new OpenClFixture();

    @ParameterizedTest
    @EnumSource(Activation.class)
    void forwardMatchesTheReference(Activation f) {
        Random rnd = new Random(20 + f.ordinal());
        for (int n : SIZES) {
            float[][] init = {inputs(rnd, n), filled(n, Float.NaN)};
            check(f, init, (be, b) -> be.activationForward(f, n, b[0], b[1]), f + " forward n=" + n);
            check(f, init, (be, b) -> be.activationForward(f, n, b[0], b[0]), f + " forward in place n=" + n);
        }
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void backwardMatchesTheReference(Activation f) {
        Random rnd = new Random(40 + f.ordinal());
        for (int n : SIZES) {
            float[] x = inputs(rnd, n);
            float[] y = new float[n];
            for (int i = 0; i < n; i++) {
                y[i] = f.forward(x[i]);
            }
            float[][] init = {x, y, randomWithSpecials(rnd, n), randomWithSpecials(rnd, n)};
            check(f, init, (be, b) -> be.activationBackward(f, n, b[0], b[1], b[2], b[3], true), f + " backward n=" + n);
            // overwriting: dx's old values (NaN) unread
            float[][] fresh = {x, y, init[2], filled(n, Float.NaN)};
            check(f, fresh, (be, b) -> be.activationBackward(f, n, b[0], b[1], b[2], b[3], false), f + " backward overwriting n=" + n);
        }
    }

    /** Hand-computed: ReLU keeps NaN, maps -0 to +0, and leaves dx bit for bit where x <= 0 (even -0 + 0*inf). */
    @Test
    void reluKeepsNanAndLeavesTheGradientAloneWhereXIsNotPositive() {
        float inf = Float.POSITIVE_INFINITY;
        float[] x = {Float.NaN, -0f, 0f, -2f, 3f, -inf, inf};
        float[] dx = {-0f, -0f, -0f, Float.NaN, 1f, 5f, -0f};
        float[] dy = {1f, inf, inf, 1f, 0.5f, 7f, 2f};
        float[] y = new float[x.length];
        float[][] init = {x, y, dy, dx};
        float[][] out = run(FIXTURE.cl(), init, (be, b) -> {
            be.activationForward(Activation.RELU, x.length, b[0], b[1]);
            be.activationBackward(Activation.RELU, x.length, b[0], b[1], b[2], b[3], true);
        });
        assertBits(new float[] {Float.NaN, 0f, 0f, 0f, 3f, 0f, inf}, out[1], "relu forward");
        assertBits(new float[] {-0f, -0f, -0f, Float.NaN, 1.5f, 5f, 2f}, out[3], "relu backward");
    }

    @Test
    void theCodesAreBuildOptionsGeneratedFromTheEnum() {
        for (Activation a : Activation.values()) {
            String define = "-DACT_" + a.name() + "=" + a.ordinal() + " ";
            assertTrue(ClActivation.OPTIONS.contains(define), ClActivation.OPTIONS + " lacks " + define);
        }
        assertTrue(ClActivation.OPTIONS.contains("-DLEAKY_SLOPE=0.01f"), ClActivation.OPTIONS);
    }

    /**
     * activation.cl compiles without build options, and its {@code #ifndef} defaults are the
     * enum's codes and constants, so that the file read alone says what the host compiles.
     */
    @Test
    void theFileCompilesAloneWithDefaultsThatMatchTheEnum() throws IOException {
        try (ClRuntime rt = new ClRuntime(FIXTURE.device())) {
            rt.kernel("activation.cl", "", "activation_forward");
            rt.kernel("activation.cl", "", "activation_backward");
        }
        Map<String, String> defaults = new HashMap<>();
        try (InputStream in = ClActivation.class.getResourceAsStream("/dev/expanse/kernels/opencl/activation.cl")) {
            String source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Matcher m = Pattern.compile("(?m)^#define (\\w+) (\\S+)$").matcher(source);
            while (m.find()) {
                defaults.put(m.group(1), m.group(2));
            }
        }
        for (Activation a : Activation.values()) {
            assertEquals(String.valueOf(a.ordinal()), defaults.get("ACT_" + a.name()), "default of ACT_" + a.name());
        }
        assertEquals(Activation.LEAKY_SLOPE, Float.parseFloat(defaults.get("LEAKY_SLOPE")), "default of LEAKY_SLOPE");
        assertEquals((float) Activation.GELU_K0, Float.parseFloat(defaults.get("GELU_K0")), "default of GELU_K0");
        assertEquals((float) Activation.GELU_K1, Float.parseFloat(defaults.get("GELU_K1")), "default of GELU_K1");
    }

    // ---------------------------------------------------------------- helpers

    /** x in [-8, 8) with specials: the transcendental functions saturate well inside this range. */
    private static float[] inputs(Random rnd, int n) {
        float[] x = randomWithSpecials(rnd, n);
        for (int i = 0; i < n; i++) {
            x[i] *= 8f;
        }
        return x;
    }

    private static void check(Activation f, float[][] init, Equivalence.Op op, String what) {
        assertMatches(f, run(FIXTURE.reference(), init, op), run(FIXTURE.cl(), init, op), what);
    }

    private static void assertMatches(Activation f, float[][] expected, float[][] actual, String what) {
        for (int b = 0; b < expected.length; b++) {
            if (EXACT.contains(f)) {
                assertBits(expected[b], actual[b], what + ": buffer " + b);
                continue;
            }
            assertEquals(expected[b].length, actual[b].length, what + ": buffer " + b + " length");
            for (int i = 0; i < expected[b].length; i++) {
                float e = expected[b][i], a = actual[b][i];
                double tol = RTOL * Math.abs(e) + ATOL;
                boolean ok = Float.isNaN(e) ? Float.isNaN(a) : Float.isInfinite(e) ? e == a : Math.abs((double) a - e) <= tol;
                if (!ok) {
                    fail(what + ": buffer " + b + ", element " + i + ": expected " + e + " but was " + a + " (tolerance " + tol + ")");
                }
            }
        }
    }

    /** Equal bit patterns, except that any NaN matches any NaN. */
    private static void assertBits(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(actual[i])) {
                fail(what + ", element " + i + ": expected " + expected[i] + " but was " + actual[i]);
            }
        }
    }
}
