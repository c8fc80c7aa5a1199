package dev.expanse.method.scenario;

import java.io.Serializable;

/**
 * How the source-class logits after the target phase compare with those of the source network,
 * on the same test images.
 *
 * @param compared   logits compared (examples x source classes)
 * @param mismatches logits whose bits differ
 * @param maxAbsDiff the largest absolute difference
 */
public record LogitCheck(long compared, long mismatches, double maxAbsDiff) implements Serializable {

    /**
     * Compares bit patterns, so -0.0 and 0.0 differ. A NaN or an infinity on either side is a
     * mismatch even when the bits agree: two networks full of NaN are not "identical", they are
     * both broken. The largest difference is NaN then.
     */
    public static LogitCheck compare(float[] before, float[] after) {
        if (before.length != after.length) {
            throw new IllegalArgumentException("cannot compare " + before.length + " logits with " + after.length);
        }
        long bad = 0;
        double max = 0;
        for (int i = 0; i < before.length; i++) {
            boolean broken = !Float.isFinite(before[i]) || !Float.isFinite(after[i]);
            if (broken || Float.floatToRawIntBits(before[i]) != Float.floatToRawIntBits(after[i])) bad++;
            max = broken ? Double.NaN : Math.max(max, Math.abs((double) before[i] - after[i]));
        }
        return new LogitCheck(before.length, bad, max);
    }

    /** True when every compared logit has the same bits, all are finite, and there was at least one. */
    public boolean identical() {
        return compared > 0 && mismatches == 0;
    }
}
