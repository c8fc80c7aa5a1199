package dev.expanse.method.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.expanse.engine.train.Progress;
import dev.expanse.kernels.Backend;
import dev.expanse.kernels.cpu.CpuBackend;
import dev.expanse.method.scenario.Basics;
import dev.expanse.method.scenario.DataSource;
import dev.expanse.method.train.TwoStepComparison.Config;
import dev.expanse.method.train.TwoStepComparison.Row;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class TwoStepComparisonTest {
    @Test
    void comparisonRunsOnTheFixtureWithEqualBudgets() throws IOException {
        Config c = new Config(DataSource.MNIST, true, Basics.Kind.NEAREST_MEAN, 3, 1, new int[] {16},
                new TwoStep.Phase(2, 3e-3f, 10), new TwoStep.Phase(1, 1e-3f, 64), 1e-3f, 64,
                0.1, new long[] {1, 2}, false);
        List<Row> rows;
        try (Backend be = CpuBackend.vector(2)) {
            rows = TwoStepComparison.run(c, be, Progress.silent());
        }
        assertEquals(2, rows.size());
        for (Row r : rows) {
            assertEquals(30, r.basicsSize());
            // step 1: 2 x ceil(30/10) = 6; step 2: ceil((30 + 540)/64) = 9
            assertEquals(15, r.steps());
            assertEquals(r.steps(), TwoStep.steps(r.twoStepCurve()));
            assertEquals(r.steps(), TwoStep.steps(r.oneStepCurve()));
            assertTrue(r.oneStepAccuracy() > 0.1 && r.twoStepAccuracy() > 0.1, r.toString());
        }
        String table = TwoStepComparison.markdown(c, rows);
        assertEquals(2 + 2 + 1, table.split("\n").length, table);
        assertTrue(table.startsWith("| seed | one-step test acc (%) | two-step test acc (%)"));
        assertTrue(table.contains(String.format(java.util.Locale.ROOT, "| 1 | %.2f | %.2f |",
                100 * rows.get(0).oneStepAccuracy(), 100 * rows.get(0).twoStepAccuracy())));
    }

    @Test
    void glyphBasicsAreForDigitsOnly() {
        Config d = Config.defaults();
        Config c = new Config(DataSource.FASHION, true, Basics.Kind.GLYPHS, d.basicsPerClass(),
                d.glyphCopies(), d.hidden(), d.step1(), d.step2(), d.oneStepLearningRate(),
                d.oneStepBatch(), d.validationFraction(), new long[] {1}, false);
        try (Backend be = CpuBackend.vector(2)) {
            assertThrows(IllegalArgumentException.class,
                    () -> TwoStepComparison.run(c, be, Progress.silent()));
        }
    }
}
