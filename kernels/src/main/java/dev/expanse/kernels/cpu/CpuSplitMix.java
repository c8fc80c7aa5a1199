package dev.expanse.kernels.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * SplitMix64, the engine's random generator ({@code dev.expanse.engine.Rng}), and its bulk draw of
 * uniform weights. Draw number {@code i} (from 1) after state {@code s} is
 * {@code mix(s + i * GOLDEN)}: a pure function of its counter. So the lanes of a vector can each run a draw of their own, and
 * {@link #fillUniform} gives the scalar loop's values bit for bit, on the Vector API when the
 * module is present and by {@link #fillUniformScalar} (the twin and test oracle) otherwise.
 *
 * <p>Drawing the new weights was most of the cost of growing a layer in place, hence a fast path.
 */
public final class CpuSplitMix {
    private CpuSplitMix() {
    }

    /** The counter's step, 2^64 divided by the golden ratio. */
    public static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private static final boolean VECTOR = CpuBackend.vectorModulePresent() && Vector.LANES >= 2;

    /** SplitMix64's output function: the 64 random bits whose counter is {@code z}. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * {@code dst[i] = (float) ((u_i * 2 - 1) * a)} for every i in order, where
     * {@code u_i = (mix(state + (i + 1) * GOLDEN) >>> 11) * 2^-53} is the generator's next double;
     * returns the state after the last draw, {@code state + dst.length * GOLDEN}.
     */
    public static long fillUniform(float[] dst, long state, double a) {
        return VECTOR ? Vector.fillUniform(dst, state, a) : fillUniformScalar(dst, 0, state, a);
    }

    /** {@link #fillUniform} from {@code dst[from]} on, one draw at a time: the reference. */
    static long fillUniformScalar(float[] dst, int from, long state, double a) {
        long s = state; // in a register: a field update per draw costs more than the draw
        for (int i = from; i < dst.length; i++) {
            double u = (mix(s += GOLDEN) >>> 11) * 0x1.0p-53;
            dst[i] = (float) ((u * 2 - 1) * a);
        }
        return s;
    }

    /** The Vector API version; loaded only when the module is present. */
    static final class Vector {
        private Vector() {
        }

        private static final VectorSpecies<Long> L = LongVector.SPECIES_PREFERRED;
        /** Long lanes; with a single one (vectors of 64 bits) the scalar loop is used. */
        static final int LANES = L.length();
        /** As many float lanes as long lanes: the half-width float shape. */
        private static final VectorSpecies<Float> F = LANES < 2 ? null
                : FloatVector.SPECIES_PREFERRED.withShape(VectorShape.forBitSize(L.vectorBitSize() / 2));
        private static final long ONE_BITS = Double.doubleToRawLongBits(1.0);

        /**
         * The vector loop. Its body is written out in one method: split into helpers, the JIT
         * compiled them on their own first, then would not inline them, and their vector
         * operations ran the Java fallback, slower than the scalar loop.
         *
         * <p>Lane values: {@code mix} as in {@link CpuSplitMix#mix}. Then {@code x * 2^-52 - 1} for
         * the 53-bit {@code x = bits >>> 11}, without a long-to-double conversion (AVX2 has none):
         * with {@code x = 2y + b}, {@code d = 1 + y * 2^-52} is y written into a mantissa, and
         * {@code (2d - 3) + b * 2^-52} is the same value. Every step is exact (each result is a
         * multiple of 2^-52 below 4 in magnitude), as are the scalar loop's {@code u * 2 - 1}, so
         * the two agree to the last bit before the scaling by {@code a}, which both do alike.
         */
        static long fillUniform(float[] dst, long state, double a) {
            int n = dst.length, lanes = LANES, i = 0;
            LongVector z = ((LongVector) LongVector.zero(L).addIndex(1)).add(1).mul(GOLDEN).add(state); // lane j: draw j + 1
            LongVector step = LongVector.broadcast(L, GOLDEN * lanes);
            for (; i <= n - lanes; i += lanes) {
                LongVector m = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 30)).mul(0xBF58476D1CE4E5B9L);
                m = m.lanewise(VectorOperators.XOR, m.lanewise(VectorOperators.LSHR, 27)).mul(0x94D049BB133111EBL);
                m = m.lanewise(VectorOperators.XOR, m.lanewise(VectorOperators.LSHR, 31));
                LongVector x = m.lanewise(VectorOperators.LSHR, 11);
                DoubleVector d = x.lanewise(VectorOperators.LSHR, 1).or(ONE_BITS).reinterpretAsDoubles();
                DoubleVector b = x.and(1L).or(ONE_BITS).reinterpretAsDoubles().sub(1);
                DoubleVector v = d.mul(2).sub(3).add(b).mul(a);
                ((FloatVector) v.convertShape(VectorOperators.D2F, F, 0)).intoArray(dst, i);
                z = z.add(step);
            }
            return fillUniformScalar(dst, i, state + i * GOLDEN, a);
        }
    }
}
