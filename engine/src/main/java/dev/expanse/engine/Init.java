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
    Init ZEROS = Draws.ZEROS;

    /** He (Kaiming) normal: N(0, 2/fanIn), for ReLU nets. */
    Init HE_NORMAL = Draws.normal((fanIn, fanOut) -> Math.sqrt(2.0 / Math.max(1, fanIn)));

    /** He uniform: U(-a, a), a = sqrt(6/fanIn) (Keras HeUniform). */
    Init HE_UNIFORM = Draws.uniform((fanIn, fanOut) -> Math.sqrt(6.0 / Math.max(1, fanIn)));

    /** Xavier (Glorot) normal: N(0, 2/(fanIn+fanOut)). */
    Init XAVIER_NORMAL = Draws.normal((fanIn, fanOut) -> Math.sqrt(2.0 / Math.max(1, fanIn + fanOut)));

    /** Xavier (Glorot) uniform: U(-a, a), a = sqrt(6/(fanIn+fanOut)). */
    Init XAVIER_UNIFORM = Draws.uniform((fanIn, fanOut) -> Math.sqrt(6.0 / Math.max(1, fanIn + fanOut)));

    /** N(0, sigma^2), e.g. Keras {@code random_normal} with sigma 0.05 as in the EXPANSE notebooks. */
    static Init normal(double sigma) {
        return Draws.normal((fanIn, fanOut) -> sigma);
    }

    /** U(-a, a). */
    static Init uniform(double a) {
        return Draws.uniform((fanIn, fanOut) -> a);
    }
}
