package dev.expanse.engine;

/**
 * How new weights are drawn. {@code fanIn} is the number of inputs of one output (for conv:
 * C*KH*KW), {@code fanOut} the number of outputs an input feeds.
 */
@FunctionalInterface
public interface Init {

    float sample(Rng rng, int fanIn, int fanOut);

    /** Fills {@code n} values. */
    default float[] fill(Rng rng, int n, int fanIn, int fanOut) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = sample(rng, fanIn, fanOut);
        return v;
    }

    /** All zeros. */
    Init ZEROS = (rng, fanIn, fanOut) -> 0f;

    /** He (Kaiming) normal: N(0, 2/fanIn), for ReLU nets. */
    Init HE_NORMAL = (rng, fanIn, fanOut) -> (float) (rng.nextGaussian() * Math.sqrt(2.0 / Math.max(1, fanIn)));

    /** He uniform: U(-a, a), a = sqrt(6/fanIn) (Keras HeUniform). */
    Init HE_UNIFORM = (rng, fanIn, fanOut) -> uniform(rng, Math.sqrt(6.0 / Math.max(1, fanIn)));

    /** Xavier (Glorot) normal: N(0, 2/(fanIn+fanOut)). */
    Init XAVIER_NORMAL = (rng, fanIn, fanOut) ->
            (float) (rng.nextGaussian() * Math.sqrt(2.0 / Math.max(1, fanIn + fanOut)));

    /** Xavier (Glorot) uniform: U(-a, a), a = sqrt(6/(fanIn+fanOut)). */
    Init XAVIER_UNIFORM = (rng, fanIn, fanOut) -> uniform(rng, Math.sqrt(6.0 / Math.max(1, fanIn + fanOut)));

    /** N(0, sigma^2), e.g. Keras {@code random_normal} with sigma 0.05 as in the EXPANSE notebooks. */
    static Init normal(double sigma) {
        return (rng, fanIn, fanOut) -> (float) (rng.nextGaussian() * sigma);
    }

    /** U(-a, a). */
    static Init uniform(double a) {
        return (rng, fanIn, fanOut) -> uniform(rng, a);
    }

    private static float uniform(Rng rng, double a) {
        return (float) ((rng.nextDouble() * 2 - 1) * a);
    }
}
