package dev.expanse.method.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Continual-learning metrics against values worked out by hand. */
class AccuracyMatrixTest {
    private static final double EPS = 1e-12;

    // Three experiences. Row i = after phase i.
    //            e0    e1    e2
    // phase 0  0.90  0.10  0.05
    // phase 1  0.70  0.95  0.20
    // phase 2  0.80  0.60  0.85
    static final double[][] R = {{0.90, 0.10, 0.05}, {0.70, 0.95, 0.20}, {0.80, 0.60, 0.85}};
    static final double[] BEFORE = {0.0, 0.30, 0.25};
    static final double[] RANDOM = {0.1, 0.12, 0.08};

    static AccuracyMatrix matrix() {
        return new AccuracyMatrix(List.of("a", "b", "c"), R, BEFORE, RANDOM);
    }

    @Test
    void forgettingIsBestEarlierMinusFinalAveragedOverAllButTheLast() {
        // e0: max(0.90, 0.70) - 0.80 = 0.10; e1: max(0.95) - 0.60 = 0.35; mean 0.225
        assertEquals(0.225, matrix().forgetting(), EPS);
    }

    @Test
    void backwardTransferComparesFinalWithJustAfterTraining() {
        // e0: 0.80 - 0.90 = -0.10; e1: 0.60 - 0.95 = -0.35; mean -0.225
        assertEquals(-0.225, matrix().backwardTransfer(), EPS);
    }

    @Test
    void forgettingAndBwtDifferWhenAccuracyPeaksLater() {
        // e0 peaks after phase 1, not when it was trained: forgetting uses the peak, BWT does not.
        double[][] r = {{0.5, 0.0}, {0.9, 0.8}};
        double[][] r3 = {{0.5, 0, 0}, {0.9, 0.8, 0}, {0.6, 0.8, 0.7}};
        AccuracyMatrix m = new AccuracyMatrix(List.of("a", "b", "c"), r3, new double[3], new double[3]);
        assertEquals((0.3 + 0.0) / 2, m.forgetting(), EPS);
        assertEquals((0.1 + 0.0) / 2, m.backwardTransfer(), EPS);
        AccuracyMatrix two = new AccuracyMatrix(List.of("a", "b"), r, new double[2], new double[2]);
        assertEquals(-0.4, two.forgetting(), EPS, "accuracy that rose counts as negative forgetting");
    }

    @Test
    void forwardTransferIsAdaptedMinusRandomOverLaterExperiences() {
        // (0.30 - 0.12 + 0.25 - 0.08) / 2 = 0.175; entry 0 of both vectors is not used.
        assertEquals(0.175, matrix().forwardTransfer(), EPS);
    }

    @Test
    void oneExperienceHasNoTransfer() {
        AccuracyMatrix m = new AccuracyMatrix(List.of("a"), new double[][] {{0.9}}, new double[] {0}, new double[] {0});
        assertTrue(Double.isNaN(m.forgetting()));
        assertTrue(Double.isNaN(m.backwardTransfer()));
        assertTrue(Double.isNaN(m.forwardTransfer()));
    }

    @Test
    void meanAveragesEveryCell() {
        double[][] other = {{0.70, 0.30, 0.15}, {0.50, 0.85, 0.40}, {0.60, 0.40, 0.65}};
        AccuracyMatrix m = AccuracyMatrix.mean(List.of(matrix(),
                new AccuracyMatrix(List.of("a", "b", "c"), other, new double[] {0, 0.1, 0.15}, new double[] {0.1, 0.08, 0.12})));
        assertEquals(0.80, m.at(0, 0), EPS);
        assertEquals(0.50, m.at(2, 1), EPS);
        assertEquals(0.20, m.before()[1], EPS);
        assertEquals(0.10, m.random()[2], EPS);
        // Metrics are linear in the cells, so the mean's BWT is the mean of the BWTs: (-0.225 + (-0.1 - 0.45)/2) / 2
        assertEquals((-0.225 - 0.275) / 2, m.backwardTransfer(), EPS);
    }

    @Test
    void shapesAreChecked() {
        assertThrows(IllegalArgumentException.class,
                () -> new AccuracyMatrix(List.of("a", "b"), new double[][] {{1, 2}}, new double[2], new double[2]));
        assertThrows(IllegalArgumentException.class,
                () -> new AccuracyMatrix(List.of("a", "b"), new double[][] {{1, 2}, {3}}, new double[2], new double[2]));
        assertThrows(IllegalArgumentException.class, () -> AccuracyMatrix.mean(List.of()));
    }

    @Test
    void summaryUsesTheSampleStandardDeviation() {
        Summary s = Summary.of(0.97, 0.98, 0.99);
        assertEquals(0.98, s.mean(), EPS);
        assertEquals(0.01, s.sd(), 1e-12); // sqrt((0.0001 + 0 + 0.0001) / 2)
        assertEquals("98.00 ± 1.00", s.format(100, 2));
        assertEquals("97.00", Summary.of(0.97).format(100, 2));
        assertEquals("-", Summary.of().format(100, 2));
    }
}
