package dev.expanse.engine;

/**
 * The built-in {@link Init}s: zeros, and uniform and normal draws with a scale that depends on the
 * fans. {@link Init#fill} computes the scale once and draws in one loop of {@link Rng#fillUniform}
 * or {@link Rng#fillGaussian}: the same values, from the same stream, as one {@link Init#sample}
 * per value, without a call through the interface for every weight.
 */
final class Draws {
    private Draws() {
    }

    /** A scale (bound or standard deviation) from the fans. */
    @FunctionalInterface
    interface Scale {
        double of(int fanIn, int fanOut);
    }

    static final Init ZEROS = new Init() {
        @Override
        public float sample(Rng rng, int fanIn, int fanOut) {
            return 0f;
        }

        @Override
        public float[] fill(Rng rng, int n, int fanIn, int fanOut) {
            return new float[n];
        }

        @Override
        public boolean isZero() {
            return true;
        }
    };

    /** U(-a, a), a = bound(fanIn, fanOut). */
    static Init uniform(Scale bound) {
        return new Init() {
            @Override
            public float sample(Rng rng, int fanIn, int fanOut) {
                return (float) ((rng.nextDouble() * 2 - 1) * bound.of(fanIn, fanOut));
            }

            @Override
            public float[] fill(Rng rng, int n, int fanIn, int fanOut) {
                float[] v = new float[n];
                rng.fillUniform(v, bound.of(fanIn, fanOut));
                return v;
            }
        };
    }

    /** N(0, sigma^2), sigma = sigma(fanIn, fanOut). */
    static Init normal(Scale sigma) {
        return new Init() {
            @Override
            public float sample(Rng rng, int fanIn, int fanOut) {
                return (float) (rng.nextGaussian() * sigma.of(fanIn, fanOut));
            }

            @Override
            public float[] fill(Rng rng, int n, int fanIn, int fanOut) {
                float[] v = new float[n];
                rng.fillGaussian(v, sigma.of(fanIn, fanOut));
                return v;
            }
        };
    }
}
