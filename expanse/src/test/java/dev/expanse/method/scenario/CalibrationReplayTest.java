package dev.expanse.method.scenario;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.expanse.engine.Init;
import dev.expanse.engine.Rng;
import dev.expanse.engine.data.Dataset;
import dev.expanse.engine.nn.Dense;
import dev.expanse.kernels.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

/** Bias correction and balanced replay on hand-made inputs. */
class CalibrationReplayTest {

    @Test
    void calibrationLowersNewClassLogitsThatAreTooHigh() {
        // Classes 0, 1 old; 2 new. The new logit wins by 1 on the two old-class examples; the
        // new-class example wins by 3. Shifting the new logit by -1 .. -2.75 fixes all three (a tie
        // goes to the earlier, old class).
        float[] logits = {
            2, 0, 3,   // label 0
            0, 2, 3,   // label 1
            0, 0, 3};  // label 2
        int[] labels = {0, 1, 2};
        assertEquals(1, Calibration.correct(logits, labels, 3, 2, 1, 0));
        Calibration c = Calibration.fit(logits, labels, 3, 2);
        assertEquals(3, Calibration.correct(logits, labels, 3, 2, c.alpha(), c.beta()));
        // Among the settings that get all three, the one nearest the identity: alpha 1, beta -1.
        assertEquals(1.0, c.alpha());
        assertEquals(-1.0, c.beta());
    }

    @Test
    void calibrationKeepsTheIdentityWhenNothingImproves() {
        float[] logits = {3, 0, 1, 0, 3, 1, 0, 0, 3};
        assertSame(Calibration.NONE, Calibration.fit(logits, new int[] {0, 1, 2}, 3, 2));
    }

    @Test
    void applyChangesOnlyTheNewRows() {
        Dense head = new Dense("head", CpuBackend.scalar(), 2, 3, Init.normal(1), new Rng(1));
        head.bias().set(new float[] {1, 2, 3});
        float[] w = head.weight().toArray();
        new Calibration(0.5, -1).apply(head, 2);
        float[] after = head.weight().toArray();
        for (int i = 0; i < 4; i++) assertEquals(Float.floatToRawIntBits(w[i]), Float.floatToRawIntBits(after[i]));
        assertEquals(0.5f * w[4], after[4]);
        assertEquals(0.5f * w[5], after[5]);
        assertArrayEquals(new float[] {1, 2, 0.5f}, head.bias().toArray()); // 0.5 * 3 - 1
    }

    @Test
    void shiftMovesPixelsAndFillsWithZero() {
        float[] img = {1, 2, 3, 4, 5, 6, 7, 8, 9}; // 1x3x3
        float[] out = new float[9];
        Replay.shift(img, 1, 3, 3, 1, 0, out, 0);
        assertArrayEquals(new float[] {0, 1, 2, 0, 4, 5, 0, 7, 8}, out);
        Replay.shift(img, 1, 3, 3, -1, -1, out, 0);
        assertArrayEquals(new float[] {5, 6, 0, 8, 9, 0, 0, 0, 0}, out);
    }

    @Test
    void balancedReplayRepeatsWithShiftedCopies() {
        float[] x = new float[4 * 9];
        for (int i = 0; i < x.length; i++) x[i] = (i % 7) / 7f;
        Dataset d = Dataset.of(x, new int[] {0, 1, 2, 3}, 1, 3, 3, 5);
        Dataset r = Replay.balanced(d, 3, new Rng(1));
        assertEquals(12, r.size());
        for (int i = 0; i < 12; i++) assertEquals(i % 4, r.label(i));
        for (int i = 0; i < 4; i++) assertArrayEquals(d.image(i), r.image(i), 0f, "the first copy is the data itself");
        assertSame(d, Replay.balanced(d, 1, new Rng(1)));
    }
}
