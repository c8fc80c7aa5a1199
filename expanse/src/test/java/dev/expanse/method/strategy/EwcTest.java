package dev.expanse.method.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.expanse.engine.Init;
import dev.expanse.engine.Parameter;
import dev.expanse.engine.Rng;
import dev.expanse.engine.data.Dataset;
import dev.expanse.engine.nn.Dense;
import dev.expanse.engine.nn.Sequential;
import dev.expanse.kernels.Backend;
import dev.expanse.kernels.cpu.CpuBackend;
import java.util.List;
import org.junit.jupiter.api.Test;

/** EWC's penalty: zero at the anchor, its gradient the derivative of its value, only over the cells that existed. */
class EwcTest {
    static final Backend BE = CpuBackend.scalar();

    @Test
    void thePenaltyGradientIsItsDerivativeAndSparesGrownCells() {
        Rng rng = new Rng(4);
        Sequential model = new Sequential(BE, new int[] {6}, new Dense("d", BE, 6, 3, Init.XAVIER_NORMAL, rng));
        float[] x = new float[8 * 6];
        int[] y = new int[8];
        for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextDouble();
        for (int i = 0; i < y.length; i++) y[i] = i % 3;
        Dataset data = Dataset.of(x, y, 1, 2, 3, 3);
        Ewc.Consolidation ewc = new Ewc.Consolidation(100f);
        ewc.consolidate(model, data, 4);
        assertEquals(2, ewc.anchors().size());
        for (Ewc.Anchor a : ewc.anchors()) for (float f : a.importance()) assertTrue(f >= 0);
        assertEquals(0f, ewc.penalty(false), "no pull at the anchor");
        Parameter w = model.parameters().get(0);
        w.growRows(2); // a grown output: its new cells carry no penalty
        float[] v = w.toArray();
        for (int i = 0; i < v.length; i++) v[i] += (float) (0.1 * (rng.nextDouble() - 0.5));
        w.set(v);
        w.zeroGrad();
        float value = ewc.penalty(true);
        assertTrue(value > 0);
        float[] g = w.gradToArray();
        double h = 1e-3;
        for (int i = 0; i < v.length; i++) {
            float keep = v[i];
            v[i] = (float) (keep + h);
            w.set(v);
            double up = ewc.penalty(false);
            v[i] = (float) (keep - h);
            w.set(v);
            double down = ewc.penalty(false);
            v[i] = keep;
            w.set(v);
            double numeric = (up - down) / (2 * h);
            assertEquals(numeric, g[i], 1e-3 + 1e-2 * Math.abs(numeric), "cell " + i);
            if (i >= 3 * 6) assertEquals(0f, g[i], "a row grown after the anchor is not pulled");
        }
        List<Parameter> ps = model.parameters();
        assertEquals(ps.get(0), ewc.anchors().get(0).p());
    }
}
