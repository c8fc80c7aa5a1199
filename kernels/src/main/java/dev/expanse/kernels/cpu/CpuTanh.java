package dev.expanse.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * {@code tanh} in float from IEEE arithmetic alone, for the vector kernels (tanh and GELU). The
 * Vector API's {@code lanewise(TANH)} rounds differently in the JIT's intrinsic and in its Java
 * fallback, so a value's last bit depended on whether its loop was compiled yet; this one is the
 * same multiplications, additions and divisions in both, and in its scalar twin {@link #tanh},
 * which the vector kernels use for their tails.
 *
 * <p>Method (Cephes' {@code tanhf}, on |x|, the sign copied back at the end): below |x| = 0.625 the
 * odd minimax polynomial {@code z + z s P(s)}, s = z^2, of degree 11; from there {@code 1 - 2 /
 * (exp(2z) + 1)} with {@link CpuExp}, which gives exactly 1 once exp(2z) overflows. NaN stays NaN,
 * -0 stays -0. Measured against {@link Math#tanh} in CpuTanhTest, which states the bound it holds to.
 */
final class CpuTanh {
    private CpuTanh() {
    }

    /** Where the polynomial hands over to the exp form. */
    private static final float SMALL = 0.625f;
    private static final float P0 = -5.70498872745e-3f, P1 = 2.06390887954e-2f, P2 = -5.37397155531e-2f;
    private static final float P3 = 1.33314422036e-1f, P4 = -3.33332819422e-1f;

    /** The scalar twin: the same operations as a lane of {@link Vector#tanh}. */
    static float tanh(float x) {
        float z = Math.abs(x), r;
        if (z >= SMALL) {
            r = 1f - 2f / (CpuExp.exp(z + z) + 1f);
        } else {
            float s = z * z;
            r = ((((P0 * s + P1) * s + P2) * s + P3) * s + P4) * s * z + z;
        }
        return Math.copySign(r, x);
    }

    /** The Vector API version. */
    static final class Vector {
        private Vector() {
        }

        /** tanh of every lane of x, as {@link CpuTanh#tanh} computes it. */
        static FloatVector tanh(FloatVector x) {
            FloatVector z = x.abs(), one = FloatVector.broadcast(x.species(), 1f);
            FloatVector big = one.sub(FloatVector.broadcast(x.species(), 2f).div(CpuExp.Vector.exp(z.add(z)).add(one)));
            FloatVector s = z.mul(z);
            FloatVector small = s.mul(P0).add(P1).mul(s).add(P2).mul(s).add(P3).mul(s).add(P4).mul(s).mul(z).add(z);
            // NaN compares false, so it takes the polynomial, which keeps it NaN, as the twin does
            FloatVector r = small.blend(big, z.compare(VectorOperators.GE, SMALL));
            IntVector magnitude = r.reinterpretAsInts().and(0x7FFFFFFF), sign = x.reinterpretAsInts().and(0x80000000);
            return magnitude.or(sign).reinterpretAsFloats();
        }

        /** {@code y[yOff + l] = tanh(x[xOff + l])} for the lanes l of one preferred vector (for the tests). */
        static void tanh(float[] x, int xOff, float[] y, int yOff) {
            tanh(FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, x, xOff)).intoArray(y, yOff);
        }
    }
}
