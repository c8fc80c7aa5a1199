package dev.expanse.method.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.expanse.engine.train.Progress;
import dev.expanse.kernels.Backend;
import dev.expanse.kernels.cpu.CpuBackend;
import dev.expanse.method.strategy.NetSpec;
import dev.expanse.method.strategy.Strategies;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every strategy end to end on the committed fixtures, with a small network and one epoch per phase. */
class ScenarioRunnerTest {
    static final Backend BE = CpuBackend.vector(2);
    // Wide enough that every product on the 200 test images stays on the vector GEMM's packed path
    // before and after growth (see StrategiesTest.BIG).
    static final NetSpec SMALL = new NetSpec(NetSpec.Kind.MLP, new int[] {32, 16}, new int[] {48, 24}, 16);
    static final Hyper FAST = new Hyper(2, 1, 1, 32, 64, 2e-3f, 0.1, true, true, true);
    static ScenarioRunner runner;
    static CellResult split;

    @BeforeAll
    static void runSplit() throws Exception {
        runner = new ScenarioRunner(BE, ds -> Basics.prototypes(3, dev.expanse.method.basics.PrototypeBasics.Rule.NEAREST_MEAN), Progress.silent());
        split = runner.run(ScenarioConfig.split(DataSource.MNIST, SMALL, 0.1, FAST, true), Strategies.all(), List.of(1L));
    }

    @Test
    void everyStrategyRunsAndGivesSaneNumbers() {
        assertEquals(Strategies.ids(), split.strategies());
        for (RunResult r : split.runs()) {
            for (double[] row : r.matrix().r()) for (double v : row) assertTrue(v >= 0 && v <= 1, r.strategy() + ": " + v);
            // The fixture test set has 20 images per class, so "all" is the mean of the two halves.
            assertEquals((r.sourceAccuracy() + r.targetAccuracy()) / 2, r.allClasses(), 1e-12, r.strategy());
            assertEquals(1, r.valCurve().length);
            assertTrue(r.trainable() > 0 && r.trainable() <= r.total(), r.strategy());
            assertTrue(r.seconds() > 0, r.strategy());
        }
    }

    @Test
    void theSourcePhaseIsSharedByEveryStrategy() {
        double[] first = split.runs().get(0).matrix().r()[0];
        for (RunResult r : split.runs()) assertEquals(java.util.Arrays.toString(first), java.util.Arrays.toString(r.matrix().r()[0]));
        // A five-output source network never predicts the target classes.
        assertEquals(0.0, first[1]);
        assertEquals(split.sources().get(0).accuracy(), first[0]);
    }

    @Test
    void frozenExpanseKeepsSourceLogitsBitIdenticalAndOthersDoNot() {
        RunResult frozen = split.runsOf("frozen-expanse").get(0);
        assertTrue(frozen.logits().identical(), "max diff " + frozen.logits().maxAbsDiff());
        assertEquals(200L * 5, frozen.logits().compared(), "ten-class test set of 200 images x 5 source logits");
        // Task-aware, the frozen network answers the source task exactly as the source network did.
        assertEquals(frozen.matrix().at(0, 0), frozen.sourceTaskAware());
        for (String id : List.of("fine-tune", "published-expanse", "scratch")) {
            assertFalse(split.runsOf(id).get(0).logits().identical(), id);
        }
    }

    @Test
    void scratchHasNoForwardTransferByConstruction() {
        RunResult s = split.runsOf("scratch").get(0);
        assertEquals(0.0, s.matrix().forwardTransfer());
    }

    @Test
    void jointRunsAreReusedAcrossRehearsalFractions() throws Exception {
        CellResult other = runner.run(ScenarioConfig.split(DataSource.MNIST, SMALL, 0, FAST, true),
                List.of(Strategies.byId("scratch"), Strategies.byId("frozen-expanse")), List.of(1L));
        assertSame(split.runsOf("scratch").get(0), other.runsOf("scratch").get(0));
        assertTrue(other.runsOf("frozen-expanse").get(0).logits().identical());
    }

    @Test
    void distantTransferKeepsTheSourceHeadUnderFrozenExpanse() throws Exception {
        CellResult d = runner.run(ScenarioConfig.distant(DataSource.MNIST, DataSource.FASHION, SMALL, 0, FAST, true),
                List.of(Strategies.byId("frozen-expanse"), Strategies.byId("fine-tune")), List.of(2L));
        RunResult frozen = d.runsOf("frozen-expanse").get(0);
        assertTrue(frozen.logits().identical());
        assertEquals(frozen.matrix().at(0, 0), frozen.sourceAccuracy(), "source accuracy unchanged");
        assertEquals(0.0, frozen.matrix().forgetting());
        assertTrue(Double.isNaN(frozen.allClasses()));
        assertFalse(d.runsOf("fine-tune").get(0).logits().identical());
        assertEquals(200L * 10, frozen.logits().compared(), "MNIST test fixture x 10 source logits");
    }
}
