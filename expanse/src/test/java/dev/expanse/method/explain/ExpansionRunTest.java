package dev.expanse.method.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.expanse.engine.train.Progress;
import dev.expanse.kernels.Backend;
import dev.expanse.kernels.cpu.CpuBackend;
import dev.expanse.method.scenario.DataSource;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What the page claims, measured on one small run: frozen EXPANSE keeps every old bit, published EXPANSE does not. */
class ExpansionRunTest {
    private static Findings f;

    @BeforeAll
    static void run() throws Exception {
        try (Backend be = CpuBackend.vector(2)) {
            f = ExpansionRun.run(new ExplainConfig(ExplainConfig.Arch.MLP, DataSource.MNIST, true, 5, 2, 0.1), be, Progress.silent());
        }
    }

    @Test
    void theMatricesHaveTheSizesOfTheIssue() {
        assertEquals(List.of("dense1.weight", "dense2.weight", "head.weight"), f.before().stream().map(MatrixState::name).toList());
        int[][] before = {{16, 784}, {8, 16}, {5, 8}}, after = {{24, 784}, {12, 24}, {10, 12}};
        for (int i = 0; i < 3; i++) {
            MatrixState b = f.before().get(i);
            assertEquals(before[i][0] + "x" + before[i][1], b.rows() + "x" + b.cols());
            for (StrategyRun r : f.runs()) {
                MatrixState m = r.expanded().get(i);
                assertEquals(after[i][0] + "x" + after[i][1], m.rows() + "x" + m.cols(), r.id());
                assertEquals(b.rows() + "x" + b.cols(), m.oldRows() + "x" + m.oldCols(), "markOld recorded the old size");
            }
        }
        assertTrue(f.before().get(0).capacityRows() >= 24, "the trunk reserved room for its growth");
        assertEquals(6, f.probeImages().size());
    }

    @Test
    void frozenExpanseChangesNoFrozenCellAndKeepsTheSourceBits() {
        StrategyRun r = f.runs().get(0);
        assertEquals("frozen-expanse", r.id());
        for (int i = 0; i < 3; i++) {
            MatrixState e = r.expanded().get(i), t = r.trained().get(i), g = r.gradients().get(i);
            assertEquals(e.oldRows() * e.cols(), e.frozenCells(), "old rows frozen over all columns: " + e.name());
            int[] z = e.newToOldZeros();
            assertEquals(z[0], z[1], "new-to-old cells start at exactly zero: " + e.name());
            assertEquals(0, t.changedFrom(e).inFrozen(), "no frozen cell changed: " + e.name());
            assertTrue(t.changedFrom(e).all() > 0, "the new cells learned: " + e.name());
            assertEquals(0, g.nonZero().inFrozen(), "no gradient in the frozen block: " + e.name());
            assertTrue(g.nonZero().all() > 0, "a gradient outside it: " + e.name());
        }
        int[] logits = r.probe().identicalLogits(f.sourceProbe(), 5);
        assertEquals(logits[1], logits[0], "source logits bit-identical");
        for (int l = 0; l < 2; l++) {
            Probe.Activity before = f.sourceProbe().layers().get(l);
            int[] same = r.probe().layers().get(l).identicalOld(before, before.units());
            assertEquals(same[1], same[0], "old activations bit-identical in " + before.name());
        }
    }

    @Test
    void publishedExpanseFreezesNothingAndTheOldBlockDrifts() {
        StrategyRun r = f.runs().get(1);
        assertEquals("published-expanse", r.id());
        for (int i = 0; i < 3; i++) {
            MatrixState e = r.expanded().get(i), t = r.trained().get(i);
            assertEquals(0, e.frozenCells());
            assertTrue(t.changedFrom(e).inOld() > e.oldRows() * e.oldCols() / 2, "the old block drifted: " + e.name());
        }
        int[] logits = r.probe().identicalLogits(f.sourceProbe(), 5);
        assertTrue(logits[0] < logits[1], "source logits changed");
        assertEquals(0.0, r.accuracy().at(0, 1), "the source network has no outputs for 5-9");
    }

    @Test
    void linksAreRelativeInsideTheCheckoutAndTextOutsideIt() {
        Path root = Path.of("/work/repo");
        CodeLinks in = CodeLinks.forPage(Path.of("/work/repo/results/explain"), root);
        assertEquals("<a href=\"../../" + CodeLinks.PARAMETER + "\"><code>Parameter</code></a>", in.code(CodeLinks.PARAMETER, "Parameter"));
        CodeLinks out = CodeLinks.forPage(Path.of("/tmp/explain"), root);
        assertTrue(!out.linked() && !out.file(CodeLinks.PARAMETER).contains("href"), out.file(CodeLinks.PARAMETER));
        assertTrue(out.file(CodeLinks.PARAMETER).contains(CodeLinks.PARAMETER), "the path is shown as text");
    }
}
