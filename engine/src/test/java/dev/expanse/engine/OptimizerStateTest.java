package dev.expanse.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.expanse.engine.optim.Adam;
import dev.expanse.engine.optim.Sgd;
import dev.expanse.kernels.Backend;
import dev.expanse.kernels.Buffer;
import dev.expanse.kernels.FrozenBlock;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Optimizer state lives in parameter slots, grows with the parameter, and keeps old values. */
class OptimizerStateTest {
    private final Backend be = TestBackends.VECTOR;

    private static float[] slot(Parameter p, int i) {
        Buffer b = p.slot(i);
        float[] out = new float[p.rows() * p.cols()];
        for (int r = 0; r < p.rows(); r++) p.backend().download(b, (long) r * p.ld(), out, r * p.cols(), p.cols());
        return out;
    }

    private static void fillGrad(Parameter p, Rng rng) {
        float[] g = GradCheck.uniform(rng, p.rows() * p.ld());
        p.backend().upload(g, 0, p.grad(), 0, g.length);
    }

    @Test
    void adamMomentsGrowWithTheParameterAndKeepOldValues() {
        Rng rng = new Rng(1);
        Parameter p = new Parameter("p", be, 3, 4);
        Adam adam = new Adam(() -> List.of(p), 0.01f);
        for (int s = 0; s < 3; s++) {
            fillGrad(p, rng);
            adam.step();
        }
        float[] m = slot(p, 0), v = slot(p, 1);
        p.growRows(2, new float[2 * 4]);   // past capacity: re-allocates every buffer
        p.growCols(1, new float[5]);
        assertTrue(p.reallocations() >= 1);
        assertEquals(2, p.slotCount());
        float[] m2 = slot(p, 0), v2 = slot(p, 1);
        for (int r = 0; r < 5; r++) {
            for (int c = 0; c < 5; c++) {
                float em = r < 3 && c < 4 ? m[r * 4 + c] : 0f, ev = r < 3 && c < 4 ? v[r * 4 + c] : 0f;
                assertEquals(em, m2[r * 5 + c], 0f, "m[" + r + "," + c + "]");
                assertEquals(ev, v2[r * 5 + c], 0f, "v[" + r + "," + c + "]");
            }
        }
        assertEquals(3, adam.steps());
        fillGrad(p, rng);
        adam.step();
        assertEquals(2, p.slotCount(), "the same slots are reused after growth");
    }

    @Test
    void frozenCellsNeverChangeUnderEitherOptimizer() {
        for (boolean adamOpt : new boolean[] {true, false}) {
            Rng rng = new Rng(2);
            Parameter p = new Parameter("p", be, 6, 5, 8, 9);
            p.set(GradCheck.uniform(rng, 30));
            p.freeze(new FrozenBlock(4, 3));
            float[] before = p.toArray();
            var opt = adamOpt ? new Adam(() -> List.of(p), 0.1f) : new Sgd(() -> List.of(p), 0.1f, 0.9f, 1e-3f);
            for (int s = 0; s < 10; s++) {
                fillGrad(p, rng);
                opt.step();
            }
            float[] after = p.toArray();
            int changed = 0;
            for (int i = 0; i < after.length; i++) {
                int r = i / 5, c = i % 5;
                if (r < 4 && c < 3) assertEquals(before[i], after[i], 0f, "frozen cell moved");
                else if (before[i] != after[i]) changed++;
            }
            assertEquals(30 - 12, changed, "every trainable cell should move");
        }
    }
}
