package dev.expanse.method.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Bit-identical logits, and no "identical" verdict on NaN or infinite outputs. */
class LogitCheckTest {

    @Test
    void equalBitsAreIdentical() {
        LogitCheck c = LogitCheck.compare(new float[] {1f, -2f, 0f}, new float[] {1f, -2f, 0f});
        assertTrue(c.identical());
        assertEquals(0, c.maxAbsDiff());
        assertFalse(LogitCheck.compare(new float[] {0f}, new float[] {-0f}).identical(), "-0 and 0 differ in their bits");
    }

    /** The issue: scratch under --lr Infinity was reported "identical", NaN outputs being equal bit for bit. */
    @Test
    void nanOrInfinityOnEitherSideIsNeverIdentical() {
        float[] nan = {Float.NaN, 1f};
        LogitCheck c = LogitCheck.compare(nan, nan.clone());
        assertFalse(c.identical());
        assertEquals(1, c.mismatches());
        assertTrue(Double.isNaN(c.maxAbsDiff()));
        float[] inf = {Float.POSITIVE_INFINITY};
        assertFalse(LogitCheck.compare(inf, inf.clone()).identical());
        assertFalse(LogitCheck.compare(new float[] {1f}, new float[] {Float.NaN}).identical());
    }
}
