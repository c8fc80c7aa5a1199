package dev.expanse.method.scenario;

/**
 * How the source-class logits after the target phase compare with those of the source network,
 * on the same test images.
 *
 * @param compared   logits compared (examples x source classes)
 * @param mismatches logits whose bits differ
 * @param maxAbsDiff the largest absolute difference
 */
public record LogitCheck(long compared, long mismatches, double maxAbsDiff) {

    /** Compares bit patterns, so -0.0 and 0.0 differ and NaN equals NaN only if the bits agree. */
    public static LogitCheck compare(float[] before, float[] after) {
        if (before.length != after.length) {
            throw new IllegalArgumentException("cannot compare " + before.length + " logits with " + after.length);
        }
        long bad = 0;
        double max = 0;
        for (int i = 0; i < before.length; i++) {
            if (Float.floatToRawIntBits(before[i]) != Float.floatToRawIntBits(after[i])) bad++;
            max = Math.max(max, Math.abs((double) before[i] - after[i]));
        }
        return new LogitCheck(before.length, bad, max);
    }

    /** True when every compared logit has the same bits (and there was at least one). */
    public boolean identical() {
        return compared > 0 && mismatches == 0;
    }
}
