package dev.expanse.engine.train;

/** A learning-rate schedule: the rate of epoch {@code epoch} (1-based) of a run of {@code epochs}. */
@FunctionalInterface
public interface LearningRate {

    float at(int epoch, int epochs);

    /** The same rate every epoch. */
    static LearningRate constant(float rate) {
        check(rate);
        return (e, n) -> rate;
    }

    /** {@code rate * factor^(epoch - 1)}: e.g. halved after each epoch with factor 0.5. */
    static LearningRate decay(float rate, float factor) {
        check(rate);
        if (!(factor > 0 && factor <= 1)) throw new IllegalArgumentException("decay factor must be in (0, 1], got " + factor);
        return (e, n) -> (float) (rate * Math.pow(factor, e - 1));
    }

    /** A half cosine from {@code rate} at the first epoch towards 0 after the last. */
    static LearningRate cosine(float rate) {
        check(rate);
        return (e, n) -> (float) (rate * 0.5 * (1 + Math.cos(Math.PI * (e - 1) / n)));
    }

    private static void check(float rate) {
        if (!(rate > 0) || Float.isInfinite(rate)) throw new IllegalArgumentException("learning rate must be finite and > 0, got " + rate);
    }
}
