package dev.expanse.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.expanse.kernels.Backend;
import dev.expanse.kernels.Backends;
import dev.expanse.kernels.Buffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The engine on the OpenCL backend (PoCL in CI): gradient checks, function preservation after
 * expansion, and growth of device buffers. In CI (CI=true) a missing OpenCL platform is a
 * failure; elsewhere these tests are skipped with the reason.
 */
class OpenClEngineTest {
    private static Backend cl;

    /** The OpenCL backend for engine tests, or a skip (outside CI) / failure (in CI) saying why not. */
    static Backend openClOrSkip() {
        String why = Backends.openClUnavailableReason();
        if (why != null) {
            if ("true".equals(System.getenv("CI"))) fail("OpenCL is required in CI but unavailable: " + why);
            assumeTrue(false, "OpenCL tests skipped outside CI: " + why);
        }
        return Backends.select("opencl");
    }

    @BeforeAll
    static void open() {
        cl = openClOrSkip();
    }

    @AfterAll
    static void close() {
        if (cl != null) cl.close();
    }

    @Test
    void gradientChecks() {
        GradientCheckTest g = new GradientCheckTest();
        g.linear(cl);
        g.linearWithFrozenBlock(cl);
        g.conv(cl);
        g.convWithFrozenBlock(cl);
        g.maxPool(cl);
        g.relu(cl);
        g.addAndMul(cl);
        g.softmaxCrossEntropy(cl);
        g.mlpLayers(cl);
        g.cnnLayers(cl);
    }

    @Test
    void frozenExpansionKeepsOldLogitsBitIdentical() {
        new GrowthTest().frozenExpansionKeepsOldLogitsBitIdentical(cl);
    }

    @Test
    void publishedSizesKeepOldLogitsBitIdentical() {
        new GrowthTest().publishedSizesKeepOldLogitsBitIdentical(cl);
    }

    @Test
    void publishedVariantChangesOldOutputs() {
        new GrowthTest().publishedVariantChangesOldOutputs(cl);
    }

    @Test
    void gradientsOfExpandedPartiallyFrozenNetwork() {
        new GrowthTest().gradientsOfExpandedPartiallyFrozenNetwork(cl);
    }

    @Test
    void deviceBuffersGrowInPlaceAndReallocateWithARectangularCopy() {
        Rng rng = new Rng(3);
        Parameter p = new Parameter("p", cl, 3, 5, 4, 7);
        float[] v = GradCheck.uniform(rng, 15);
        p.set(v);
        Buffer inside = p.data();
        p.growRows(1, GradCheck.uniform(rng, 5));
        p.growCols(2, GradCheck.uniform(rng, 8));
        assertTrue(inside == p.data() && p.reallocations() == 0, "growth inside capacity re-allocated");
        float[] before = p.toArray();
        p.growRows(3, GradCheck.uniform(rng, 21));  // past the row capacity
        p.growCols(4, GradCheck.uniform(rng, 28));  // past the column capacity
        assertEquals(2, p.reallocations());
        float[] after = p.toArray();
        for (int r = 0; r < 4; r++) {
            float[] oldRow = java.util.Arrays.copyOfRange(before, r * 7, r * 7 + 7);
            float[] newRow = java.util.Arrays.copyOfRange(after, r * 11, r * 11 + 7);
            assertArrayEquals(oldRow, newRow, "row " + r + " after re-allocation");
        }
        for (int c = 0; c < 5; c++) assertEquals(v[c], after[c], 0f);
    }
}
