package dev.expanse.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * {@code exp} in float from IEEE arithmetic alone, for the vector kernels (softmax, sigmoid). The
 * Vector API's {@code lanewise(EXP)} is a library call in the JIT's intrinsic and another algorithm
 * in the Java fallback, so a value's last bit depended on whether its loop was compiled yet; this
 * one is the same fused multiply-adds and additions in both, and in its scalar twin {@link #exp},
 * which the vector kernels use for their tails: every lane and every tail element gets the same bits
 * for the same input, run after run.
 *
 * <p>Method: {@code exp(x) = 2^n * exp(r)} with {@code n = round(x / ln 2)} (by the 1.5 * 2^23 trick,
 * round to nearest even), {@code r = x - n ln 2} in two fused steps (Cody and Waite, ln 2 split
 * into a head exact in float and a tail), {@code exp(r)} on |r| <= ln 2 / 2 by its Taylor polynomial
 * of degree 7 in Horner form (truncation below 1e-8 relative), and 2^n by writing n + 127 into the
 * exponent bits. Below x = -87.68 the result is 0, above 88.37 +infinity, NaN stays NaN. Measured
 * against {@link Math#exp} in CpuExpTest, which states the bound it holds to.
 */
final class CpuExp {
    private CpuExp() {
    }

    private static final float LOG2E = 1.44269504088896341f;
    /** ln 2 = LN2_HI + LN2_LO, LN2_HI with 9 trailing zero bits, so n * LN2_HI is exact for |n| < 2^9. */
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    /** 1.5 * 2^23: adding it rounds a float of magnitude below 2^22 to an integer, to nearest even. */
    private static final float ROUNDER = 12582912f;
    /**
     * Inputs below LOW give 0, above HIGH +infinity: between them n stays in [-126, 127], so 2^n is a
     * normal float (results below 2^-126 still come out subnormal, from the last multiplication).
     * LOW is just above -126.5 ln 2; HIGH just below 127.5 ln 2, which gives +infinity from 88.37 on,
     * where the true value is within 1.42x of the largest float.
     */
    private static final float LOW = -87.68f, HIGH = 88.37f;
    private static final float C2 = 1f / 2, C3 = 1f / 6, C4 = 1f / 24, C5 = 1f / 120, C6 = 1f / 720, C7 = 1f / 5040;

    /** The scalar twin: the same operations as a lane of {@link Vector#exp}. */
    static float exp(float x) {
        if (x != x) {
            return x;
        }
        if (x < LOW) {
            return 0f;
        }
        if (x > HIGH) {
            return Float.POSITIVE_INFINITY;
        }
        float t = Math.fma(x, LOG2E, ROUNDER), n = t - ROUNDER;
        float r = Math.fma(n, -LN2_LO, Math.fma(n, -LN2_HI, x));
        float p = Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(C7, r, C6), r, C5), r, C4), r, C3), r, C2), r, 1f);
        p = Math.fma(p, r, 1f);
        return p * Float.intBitsToFloat(((int) n + 127) << 23);
    }

    /** The Vector API version. */
    static final class Vector {
        private Vector() {
        }


        /** exp of every lane of x, as {@link CpuExp#exp} computes it. */
        static FloatVector exp(FloatVector x) {
            FloatVector c = x.max(LOW).min(HIGH);
            FloatVector t = c.fma(LOG2E, ROUNDER), n = t.sub(ROUNDER);
            FloatVector r = n.fma(k(x, -LN2_LO), n.fma(k(x, -LN2_HI), c));
            FloatVector one = k(x, 1f);
            FloatVector p = r.fma(C7, C6).fma(r, k(x, C5)).fma(r, k(x, C4)).fma(r, k(x, C3)).fma(r, k(x, C2)).fma(r, one).fma(r, one);
            IntVector bits = ((IntVector) n.convert(VectorOperators.F2I, 0)).add(127).lanewise(VectorOperators.LSHL, 23);
            FloatVector y = p.mul(bits.reinterpretAsFloats());
            VectorMask<Float> low = x.compare(VectorOperators.LT, LOW), high = x.compare(VectorOperators.GT, HIGH);
            y = y.blend(0f, low).blend(Float.POSITIVE_INFINITY, high);
            // NaN compares false everywhere and max/min keep it: put it back as it came
            return y.blend(x, x.compare(VectorOperators.NE, x));
        }

        /** {@code y[yOff + l] = exp(x[xOff + l])} for the lanes l of one preferred vector (for the tests). */
        static void exp(float[] x, int xOff, float[] y, int yOff) {
            exp(FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, x, xOff)).intoArray(y, yOff);
        }

        private static FloatVector k(FloatVector like, float value) {
            return FloatVector.broadcast(like.species(), value);
        }
    }
}
