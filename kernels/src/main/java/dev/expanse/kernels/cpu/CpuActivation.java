package dev.expanse.kernels.cpu;

import dev.expanse.kernels.Activation;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The activation family, {@code y = f(x)} and {@code dx += f'(x) * dy}; see
 * {@link dev.expanse.kernels.Backend#activationForward} and {@link Activation}.
 *
 * <p>The scalar twins loop over the enum's scalar reference ({@link Activation#forward},
 * {@link Activation#backward}) on an index range; the vector kernels of {@link Vector} compute one
 * vector of lanes per step and hand the tail to them. Vector against scalar:
 * <ul>
 *   <li>RELU and LEAKY_RELU, forward and backward: bit-identical (max, blends and a masked add of
 *       the same float operations).</li>
 *   <li>TANH and SIGMOID backward: bit-identical (float arithmetic on y only).</li>
 *   <li>TANH, SIGMOID and GELU forward, GELU backward: the vector kernels evaluate tanh and exp in
 *       float ({@link CpuTanh}, {@link CpuExp}), the scalar reference in double, so they differ by
 *       rounding only (the tolerances are stated in the test).</li>
 * </ul>
 * Adding a function: its constant in {@link Activation} and one case in each of the two switches
 * of {@link Vector} (forward, backward); they are switch expressions, so a missing case does not
 * compile.
 */
final class CpuActivation {
    private CpuActivation() {
    }

    private static final int GRAIN = CpuElementwise.GRAIN;

    /** {@code y[i] = f(x[i])} for i in [lo, hi); y may alias x. */
    static void forward(Activation f, int lo, int hi, float[] x, float[] y) {
        for (int i = lo; i < hi; i++) {
            y[i] = f.forward(x[i]);
        }
    }

    /**
     * {@code dx[i] = f.backward(x[i], y[i], dy[i], dx[i])}, that is {@code dx += f'(x) * dy}, for i
     * in [lo, hi); when not {@code accumulate}, onto 0 instead of dx[i] (dx's old values unread).
     */
    static void backward(Activation f, int lo, int hi, float[] x, float[] y, float[] dy, float[] dx,
                         boolean accumulate) {
        for (int i = lo; i < hi; i++) {
            dx[i] = f.backward(x[i], y[i], dy[i], accumulate ? dx[i] : 0f);
        }
    }

    /** The Vector API twins, split over the pool's threads. */
    static final class Vector {
        private Vector() {
        }

        private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
        private static final float K0 = (float) Activation.GELU_K0;
        private static final float K1 = (float) Activation.GELU_K1;
        /**
         * Beyond this |x| the tanh of the GELU argument is +-1 in float, so clamping x there changes
         * nothing but keeps x*x finite in the backward (it overflows past 1.8e19, and 0 * inf is NaN).
         */
        private static final float GELU_SATURATED = 10f;

        /**
         * {@code y = f(x)} over n elements; y may alias x. One case per function, each its own loop
         * over whole vectors followed by the scalar twin for the tail. The loops are separate lambdas
         * rather than one loop around a switch: the JIT compiles each on its own, so each keeps its
         * vectors in registers whichever other functions have run (one loop holding every case grows
         * past the JIT's inlining budget, and then its vectors become heap objects, 10x slower).
         */
        static void forward(Parallel par, Activation f, int n, float[] x, float[] y) {
            par.forRange(n, GRAIN, switch (f) {
                // FloatVector.max has Math.max semantics, as the scalar reference: NaN stays NaN, -0 becomes +0
                case RELU -> (lo, hi) -> {
                    int i = lo;
                    for (int end = vectorEnd(lo, hi); i < end; i += S.length()) {
                        FloatVector.fromArray(S, x, i).max(0f).intoArray(y, i);
                    }
                    CpuActivation.forward(f, i, hi, x, y);
                };
                case LEAKY_RELU -> (lo, hi) -> {
                    int i = lo;
                    for (int end = vectorEnd(lo, hi); i < end; i += S.length()) {
                        FloatVector v = FloatVector.fromArray(S, x, i);
                        v.mul(Activation.LEAKY_SLOPE).blend(v, positive(v)).intoArray(y, i);
                    }
                    CpuActivation.forward(f, i, hi, x, y);
                };
                case TANH -> (lo, hi) -> {
                    int i = lo;
                    for (int end = vectorEnd(lo, hi); i < end; i += S.length()) {
                        CpuTanh.Vector.tanh(FloatVector.fromArray(S, x, i)).intoArray(y, i);
                    }
                    // the tail with the lanes' tanh, so every element is computed alike
                    for (; i < hi; i++) {
                        y[i] = CpuTanh.tanh(x[i]);
                    }
                };
                case SIGMOID -> (lo, hi) -> {
                    int i = lo;
                    for (int end = vectorEnd(lo, hi); i < end; i += S.length()) {
                        FloatVector e = CpuExp.Vector.exp(FloatVector.fromArray(S, x, i).neg());
                        one().div(one().add(e)).intoArray(y, i);
                    }
                    CpuActivation.forward(f, i, hi, x, y);
                };
                case GELU -> (lo, hi) -> {
                    int i = lo;
                    for (int end = vectorEnd(lo, hi); i < end; i += S.length()) {
                        FloatVector v = FloatVector.fromArray(S, x, i);
                        FloatVector t = CpuTanh.Vector.tanh(v.mul(v).mul(v).mul(K1).add(v).mul(K0));
                        v.mul(0.5f).mul(t.add(1f)).intoArray(y, i);
                    }
                    CpuActivation.forward(f, i, hi, x, y);
                };
            });
        }

        /**
         * {@code dx += f'(x) * dy} over n elements, or {@code dx = f'(x) * dy} when not
         * {@code accumulate}, given the forward's x and y; laid out as {@link #forward}. Each case
         * loads only the inputs it needs (ReLU reads neither y nor more of x than its sign).
         */
        static void backward(Parallel par, Activation f, int n, float[] x, float[] y, float[] dy, float[] dx,
                             boolean accumulate) {
            par.forRange(n, GRAIN, switch (f) {
                // a masked add leaves the other lanes exactly as they were, like the scalar branch
                case RELU -> (lo, hi) -> {
                    int i = lo;
                    for (int end = vectorEnd(lo, hi); i < end; i += S.length()) {
                        FloatVector g = FloatVector.fromArray(S, dy, i);
                        onto(dx, i, accumulate).add(g, positive(FloatVector.fromArray(S, x, i))).intoArray(dx, i);
                    }
                    CpuActivation.backward(f, i, hi, x, y, dy, dx, accumulate);
                };
                case LEAKY_RELU -> (lo, hi) -> {
                    int i = lo;
                    for (int end = vectorEnd(lo, hi); i < end; i += S.length()) {
                        FloatVector g = FloatVector.fromArray(S, dy, i);
                        g = g.mul(Activation.LEAKY_SLOPE).blend(g, positive(FloatVector.fromArray(S, x, i)));
                        onto(dx, i, accumulate).add(g).intoArray(dx, i);
                    }
                    CpuActivation.backward(f, i, hi, x, y, dy, dx, accumulate);
                };
                case TANH -> (lo, hi) -> {
                    int i = lo;
                    for (int end = vectorEnd(lo, hi); i < end; i += S.length()) {
                        FloatVector v = FloatVector.fromArray(S, y, i);
                        FloatVector g = FloatVector.fromArray(S, dy, i).mul(one().sub(v.mul(v)));
                        onto(dx, i, accumulate).add(g).intoArray(dx, i);
                    }
                    CpuActivation.backward(f, i, hi, x, y, dy, dx, accumulate);
                };
                case SIGMOID -> (lo, hi) -> {
                    int i = lo;
                    for (int end = vectorEnd(lo, hi); i < end; i += S.length()) {
                        FloatVector v = FloatVector.fromArray(S, y, i);
                        FloatVector g = FloatVector.fromArray(S, dy, i).mul(v.mul(one().sub(v)));
                        onto(dx, i, accumulate).add(g).intoArray(dx, i);
                    }
                    CpuActivation.backward(f, i, hi, x, y, dy, dx, accumulate);
                };
                // 0.5 (1 + t) + 0.5 x (1 - t^2) K0 (1 + 3 K1 x^2) with t = tanh(K0 (x + K1 x^3)), in float
                case GELU -> (lo, hi) -> {
                    int i = lo;
                    for (int end = vectorEnd(lo, hi); i < end; i += S.length()) {
                        FloatVector v = FloatVector.fromArray(S, x, i);
                        FloatVector c = v.max(-GELU_SATURATED).min(GELU_SATURATED), c2 = c.mul(c);
                        FloatVector t = CpuTanh.Vector.tanh(c2.mul(c).mul(K1).add(c).mul(K0));
                        FloatVector slope = v.mul(0.5f).mul(one().sub(t.mul(t))).mul(K0).mul(c2.mul(3f * K1).add(1f));
                        FloatVector g = t.add(1f).mul(0.5f).add(slope).mul(FloatVector.fromArray(S, dy, i));
                        onto(dx, i, accumulate).add(g).intoArray(dx, i);
                    }
                    CpuActivation.backward(f, i, hi, x, y, dy, dx, accumulate);
                };
            });
        }

        /** The end of the whole vectors of [lo, hi). */
        private static int vectorEnd(int lo, int hi) {
            return lo + S.loopBound(hi - lo);
        }

        /** What a backward adds its gradient onto: dx's lanes at i, or zeros where it overwrites dx. */
        private static FloatVector onto(float[] dx, int i, boolean accumulate) {
            return accumulate ? FloatVector.fromArray(S, dx, i) : FloatVector.zero(S);
        }

        private static VectorMask<Float> positive(FloatVector x) {
            return x.compare(VectorOperators.GT, 0f);
        }

        private static FloatVector one() {
            return FloatVector.broadcast(S, 1f);
        }
    }
}
