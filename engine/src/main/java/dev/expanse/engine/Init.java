package dev.expanse.engine;

/**
 * How new weights are drawn. {@code fanIn} is the number of inputs of one output (for conv:
 * C*KH*KW), {@code fanOut} the number of outputs an input feeds.
 *
 * <p>A lambda gives an Init whose {@link #fill} calls {@link #sample} once per value. The built-in
 * ones fill in one tight loop (the scale computed once, the generator inlined), which draws exactly
 * the same values from the same stream, several times faster: growth in place is mostly this
 * draw.
 */
@FunctionalInterface
public interface Init {

    float sample(Rng rng, int fanIn, int fanOut);

    /** A name for summaries and checkpoints, e.g. "he-normal", "normal(0.05)"; "custom" for a plain lambda. */
    default String id() {
        return "custom";
    }

    /** {@code f} under the name {@code id}. */
    static Init named(String id, Init f) {
        return new Named(id, f);
    }

    /** An initialiser with a name; draws exactly as the one it wraps. */
    record Named(String id, Init f) implements Init {
        @Override
        public float sample(Rng rng, int fanIn, int fanOut) {
            return f.sample(rng, fanIn, fanOut);
        }

        @Override
        public float[] fill(Rng rng, int n, int fanIn, int fanOut) {
            return f.fill(rng, n, fanIn, fanOut);
        }

        @Override
        public boolean isZero() {
            return f.isZero();
        }
    }

    /**
     * The initialiser called {@code id}: "zeros", "he-normal", "he-uniform", "xavier-normal",
     * "xavier-uniform", "normal(SIGMA)" or "uniform(A)".
     *
     * @throws IllegalArgumentException listing the names if there is none such
     */
    static Init parse(String id) {
        for (Init i : new Init[] {ZEROS, HE_NORMAL, HE_UNIFORM, XAVIER_NORMAL, XAVIER_UNIFORM}) {
            if (i.id().equals(id)) return i;
        }
        try {
            if (id.startsWith("normal(") && id.endsWith(")")) return normal(Double.parseDouble(id.substring(7, id.length() - 1)));
            if (id.startsWith("uniform(") && id.endsWith(")")) return uniform(Double.parseDouble(id.substring(8, id.length() - 1)));
        } catch (NumberFormatException e) {
            // falls through to the message below
        }
        throw new IllegalArgumentException("unknown initialiser '" + id
                + "' (zeros, he-normal, he-uniform, xavier-normal, xavier-uniform, normal(SIGMA), uniform(A))");
    }

    /** Fills {@code n} values: the values of n calls of {@link #sample}, in order. */
    default float[] fill(Rng rng, int n, int fanIn, int fanOut) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = sample(rng, fanIn, fanOut);
        return v;
    }

    /**
     * True when every value is zero and nothing is drawn, so growth may leave new cells as they are
     * (a parameter's spare cells are zero already).
     */
    default boolean isZero() {
        return false;
    }

    /** All zeros. */
    Init ZEROS = named("zeros", Draws.ZEROS);

    /** He (Kaiming) normal: N(0, 2/fanIn), for ReLU nets. */
    Init HE_NORMAL = named("he-normal", Draws.normal((fanIn, fanOut) -> Math.sqrt(2.0 / Math.max(1, fanIn))));

    /** He uniform: U(-a, a), a = sqrt(6/fanIn) (Keras HeUniform). */
    Init HE_UNIFORM = named("he-uniform", Draws.uniform((fanIn, fanOut) -> Math.sqrt(6.0 / Math.max(1, fanIn))));

    /** Xavier (Glorot) normal: N(0, 2/(fanIn+fanOut)). */
    Init XAVIER_NORMAL = named("xavier-normal", Draws.normal((fanIn, fanOut) -> Math.sqrt(2.0 / Math.max(1, fanIn + fanOut))));

    /** Xavier (Glorot) uniform: U(-a, a), a = sqrt(6/(fanIn+fanOut)). */
    Init XAVIER_UNIFORM = named("xavier-uniform", Draws.uniform((fanIn, fanOut) -> Math.sqrt(6.0 / Math.max(1, fanIn + fanOut))));

    /** N(0, sigma^2), e.g. Keras {@code random_normal} with sigma 0.05 as in the EXPANSE notebooks. */
    static Init normal(double sigma) {
        return named("normal(" + sigma + ")", Draws.normal((fanIn, fanOut) -> sigma));
    }

    /** U(-a, a). */
    static Init uniform(double a) {
        return named("uniform(" + a + ")", Draws.uniform((fanIn, fanOut) -> a));
    }
}
