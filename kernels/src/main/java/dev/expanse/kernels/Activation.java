package dev.expanse.kernels;

/**
 * The elementwise activation functions, behind one pair of {@link Backend} primitives
 * ({@link Backend#activationForward}, {@link Backend#activationBackward}). Each constant holds
 * its scalar reference: the CPU backend's scalar kernel, the tail of its vector kernel, and the
 * oracle of the equivalence tests. Shapes pass through unchanged, and so does growth.
 *
 * <p>Adding a function touches one file per backend and nothing else: its constant here (with its
 * scalar reference), a forward and a backward case in the CPU vector kernels
 * ({@code cpu.CpuActivation.Vector}, switch expressions, so a missing case does not compile), and
 * a forward and a backward case in {@code opencl/activation.cl} (with the default of its
 * {@code ACT_} code, which the host otherwise passes from this enum). The gradient checks,
 * equivalence tests and growth tests iterate over {@link #values()} by themselves.
 */
public enum Activation {
    /** {@code max(x, 0)} ({@link Math#max} semantics: NaN stays NaN); the gradient is 1 where x > 0, else 0. */
    RELU {
        @Override
        public float forward(float x) {
            return Math.max(x, 0f);
        }

        @Override
        public float backward(float x, float y, float dy, float dx) {
            // where x <= 0, dx stays exactly as it was (no + 0 * dy)
            return x > 0f ? dx + dy : dx;
        }
    },
    /** {@code x > 0 ? x : 0.01 x}. */
    LEAKY_RELU {
        @Override
        public float forward(float x) {
            return x > 0f ? x : LEAKY_SLOPE * x;
        }

        @Override
        public float backward(float x, float y, float dy, float dx) {
            return x > 0f ? dx + dy : dx + LEAKY_SLOPE * dy;
        }
    },
    /** {@code tanh(x)}; the gradient is {@code 1 - y^2}. */
    TANH {
        @Override
        public float forward(float x) {
            return (float) Math.tanh(x);
        }

        @Override
        public float backward(float x, float y, float dy, float dx) {
            return dx + dy * (1f - y * y);
        }
    },
    /** {@code 1 / (1 + exp(-x))}; the gradient is {@code y (1 - y)}. */
    SIGMOID {
        @Override
        public float forward(float x) {
            return (float) (1.0 / (1.0 + Math.exp(-x)));
        }

        @Override
        public float backward(float x, float y, float dy, float dx) {
            return dx + dy * (y * (1f - y));
        }
    },
    /**
     * GELU in its tanh form (Hendrycks and Gimpel): {@code 0.5 x (1 + tanh(u))} with
     * {@code u = sqrt(2/pi) (x + 0.044715 x^3)}; the gradient
     * {@code 0.5 (1 + t) + 0.5 x (1 - t^2) sqrt(2/pi) (1 + 3 * 0.044715 x^2)}, t = tanh(u).
     */
    GELU {
        @Override
        public float forward(float x) {
            double t = Math.tanh(GELU_K0 * (x + GELU_K1 * x * x * x));
            return (float) (0.5 * x * (1 + t));
        }

        @Override
        public float backward(float x, float y, float dy, float dx) {
            double t = Math.tanh(GELU_K0 * (x + GELU_K1 * x * x * x));
            double d = 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * GELU_K0 * (1 + 3 * GELU_K1 * x * x);
            return dx + (float) (d * dy);
        }
    };

    /** The slope of {@link #LEAKY_RELU} for {@code x <= 0}. */
    public static final float LEAKY_SLOPE = 0.01f;
    /** {@code sqrt(2 / pi)}, of {@link #GELU}. */
    public static final double GELU_K0 = 0.7978845608028654;
    /** The cubic coefficient of {@link #GELU}. */
    public static final double GELU_K1 = 0.044715;

    /** {@code f(x)}, the scalar reference. */
    public abstract float forward(float x);

    /** {@code dx + f'(x) * dy}, given {@code y = f(x)}: the scalar reference of the backward step. */
    public abstract float backward(float x, float y, float dy, float dx);

    /** The command-line and layer-kind spelling, e.g. "relu", "leaky-relu". */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /**
     * The activation spelled {@code id} ({@link #id()}).
     *
     * @throws IllegalArgumentException listing the known ids if there is none
     */
    public static Activation byId(String id) {
        for (Activation a : values()) {
            if (a.id().equals(id)) {
                return a;
            }
        }
        StringBuilder known = new StringBuilder();
        for (Activation a : values()) {
            known.append(known.length() == 0 ? "" : ", ").append(a.id());
        }
        throw new IllegalArgumentException("unknown activation '" + id + "'; activations are " + known);
    }
}
