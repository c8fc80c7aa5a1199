package dev.expanse.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.expanse.engine.nn.ActivationLayer;
import dev.expanse.engine.nn.Architectures;
import dev.expanse.engine.nn.Conv2d;
import dev.expanse.engine.nn.Dense;
import dev.expanse.engine.nn.Flatten;
import dev.expanse.engine.nn.InputGrowth;
import dev.expanse.engine.nn.Layer;
import dev.expanse.engine.nn.MaxPool2d;
import dev.expanse.engine.nn.Sequential;
import dev.expanse.engine.ops.Arithmetic;
import dev.expanse.engine.ops.SoftmaxCrossEntropy;
import dev.expanse.engine.optim.Adam;
import dev.expanse.kernels.Activation;
import dev.expanse.kernels.Backend;
import dev.expanse.kernels.Buffer;
import dev.expanse.kernels.FrozenBlock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Layers that grow in place: function preservation, identity, amortised re-allocation, plan errors. */
class GrowthTest {

    static java.util.stream.Stream<Backend> backends() {
        return TestBackends.all();
    }

    static Sequential mlp(Backend be, Rng rng) {
        return new Sequential(be, new int[] {20},
                new Dense("d1", be, 20, 12, Init.HE_NORMAL, rng), new ActivationLayer("r1", Activation.RELU),
                new Dense("d2", be, 12, 8, Init.HE_NORMAL, rng), new ActivationLayer("r2", Activation.RELU),
                new Dense("head", be, 8, 5, Init.XAVIER_NORMAL, rng));
    }

    static Sequential cnn(Backend be, Rng rng) {
        return new Sequential(be, new int[] {1, 10, 9},
                new Conv2d("c1", be, 1, 4, 3, 3, 1, 1, Init.HE_NORMAL, rng), new ActivationLayer("r1", Activation.RELU),
                new MaxPool2d("p1", 2, 2),
                new Conv2d("c2", be, 4, 6, 3, 3, 1, 0, Init.HE_NORMAL, rng), new ActivationLayer("r2", Activation.RELU),
                new Flatten("f"),
                new Dense("head", be, 6 * 3 * 2, 5, Init.XAVIER_NORMAL, rng));
    }

    /** Adam steps on random inputs with random labels in [0, classes). */
    static void train(Sequential model, Adam adam, Rng rng, int steps, int classes) {
        int features = 1;
        for (int d : model.inputShape()) features *= d;
        int[] shape = new int[model.inputShape().length + 1];
        shape[0] = 8;
        System.arraycopy(model.inputShape(), 0, shape, 1, shape.length - 1);
        for (int s = 0; s < steps; s++) {
            float[] x = GradCheck.uniform(rng, 8 * features);
            float[] y = new float[8];
            for (int i = 0; i < 8; i++) y[i] = rng.nextInt(classes);
            try (Tape tape = new Tape(model.backend(), true)) {
                Tensor loss = SoftmaxCrossEntropy.forward(tape, model.forward(tape, tape.constant(x, shape)),
                        tape.constant(y, 8));
                tape.backward(loss);
            }
            adam.step();
        }
    }

    /** Logits of a fixed probe batch, [8, outputs]. */
    static float[][] probe(Sequential model) {
        int features = 1;
        for (int d : model.inputShape()) features *= d;
        int[] shape = new int[model.inputShape().length + 1];
        shape[0] = 8;
        System.arraycopy(model.inputShape(), 0, shape, 1, shape.length - 1);
        float[] x = GradCheck.uniform(new Rng(999), 8 * features);
        try (Tape tape = new Tape(model.backend(), false)) {
            Tensor y = model.forward(tape, tape.constant(x, shape));
            float[] flat = y.toArray();
            float[][] rows = new float[8][y.cols()];
            for (int i = 0; i < 8; i++) System.arraycopy(flat, i * y.cols(), rows[i], 0, y.cols());
            return rows;
        }
    }

    /** The first {@code k} logits of each row. */
    static float[][] firstColumns(float[][] rows, int k) {
        float[][] out = new float[rows.length][];
        for (int i = 0; i < rows.length; i++) out[i] = java.util.Arrays.copyOf(rows[i], k);
        return out;
    }

    @ParameterizedTest(autoCloseArguments = false) // the shared backends outlive each case
    @MethodSource("backends")
    void frozenExpansionKeepsOldLogitsBitIdentical(Backend be) {
        for (boolean conv : new boolean[] {false, true}) {
            Rng rng = new Rng(conv ? 2 : 1);
            Sequential model = conv ? cnn(be, rng) : mlp(be, rng);
            train(model, new Adam(model::parameters, 1e-2f), rng, 20, 5);
            float[][] before = probe(model);

            Map<String, Integer> plan = conv ? Map.of("c1", 2, "c2", 3, "head", 5) : Map.of("d1", 6, "d2", 4, "head", 5);
            model.grow(plan, Init.HE_NORMAL, Init.ZEROS, rng);
            model.freezeOld();
            assertEquals(10, model.outputShape()[0]);
            assertArrayEquals(before, firstColumns(probe(model), 5), "right after expansion (conv=" + conv + ")");

            List<float[]> frozenBefore = new ArrayList<>();
            for (Parameter p : model.parameters()) frozenBefore.add(p.toArray());
            train(model, new Adam(model::parameters, 1e-2f), rng, 50, 10);
            assertArrayEquals(before, firstColumns(probe(model), 5), "after 50 Adam steps (conv=" + conv + ")");

            // Frozen cells were never written; trainable ones moved.
            int k = 0;
            boolean moved = false;
            for (Parameter p : model.parameters()) {
                float[] was = frozenBefore.get(k++), now = p.toArray();
                for (int i = 0; i < now.length; i++) {
                    int r = i / p.cols(), c = i % p.cols();
                    if (p.frozen().contains(r, c)) assertEquals(was[i], now[i], 0f, p.name());
                    else moved |= was[i] != now[i];
                }
            }
            assertTrue(moved, "training changed no trainable cell");
        }
    }

    /**
     * At the published sizes the inner dimensions (300 -> 500, 200 -> 300) cross the GEMM's
     * k-blocking depth, so this also checks that a kernel's summation order for an old output
     * does not depend on how many (zero-weighted) inputs were appended.
     */
    @ParameterizedTest(autoCloseArguments = false) // the shared backends outlive each case
    @MethodSource("backends")
    void publishedSizesKeepOldLogitsBitIdentical(Backend be) {
        Rng rng = new Rng(12);
        Sequential model = Architectures.mlp(be, rng, 784, new int[] {300, 200}, 5);
        float[][] before = probe(model);
        model.grow(Map.of("dense1", 200, "dense2", 100, "head", 5), Init.HE_NORMAL, Init.ZEROS, rng);
        model.freezeOld();
        assertArrayEquals(before, firstColumns(probe(model), 5), "right after expansion");
        train(model, new Adam(model::parameters, 1e-3f), rng, 3, 10);
        assertArrayEquals(before, firstColumns(probe(model), 5), "after Adam steps");
    }

    @ParameterizedTest(autoCloseArguments = false) // the shared backends outlive each case
    @MethodSource("backends")
    void publishedVariantChangesOldOutputs(Backend be) {
        for (boolean conv : new boolean[] {false, true}) {
            Rng rng = new Rng(3);
            Sequential model = conv ? cnn(be, rng) : mlp(be, rng);
            float[][] before = probe(model);
            Map<String, Integer> plan = conv ? Map.of("c1", 2, "c2", 3, "head", 5) : Map.of("d1", 6, "d2", 4, "head", 5);
            model.grow(plan, Init.normal(0.05), Init.normal(0.05), rng);
            float[][] after = firstColumns(probe(model), 5);
            double maxDiff = 0;
            for (int i = 0; i < before.length; i++) {
                for (int j = 0; j < 5; j++) maxDiff = Math.max(maxDiff, Math.abs(before[i][j] - after[i][j]));
            }
            assertTrue(maxDiff > 1e-3, "random new-to-old weights should change old logits, max diff " + maxDiff);
        }
    }

    @Test
    void growthInsideCapacityKeepsObjectsAndBuffers() {
        Backend be = TestBackends.VECTOR;
        Rng rng = new Rng(4);
        Sequential model = mlp(be, rng);
        Dense d1 = (Dense) model.layer("d1"), d2 = (Dense) model.layer("d2");
        d1.reserve(20, 20);
        d2.reserve(16, 20);
        Parameter w1 = d1.weight(), w2 = d2.weight();
        Buffer b1 = w1.data(), b2 = w2.data();
        int realloc1 = w1.reallocations(), realloc2 = w2.reallocations();
        List<Layer> layers = new ArrayList<>(model.layers());

        model.grow(Map.of("d1", 8, "d2", 3), Init.HE_NORMAL, Init.ZEROS, rng);

        assertEquals(layers, model.layers());
        assertSame(w1, d1.weight());
        assertSame(b1, w1.data(), "d1 weights re-allocated inside capacity");
        assertSame(b2, w2.data(), "d2 weights re-allocated inside capacity");
        assertEquals(realloc1, w1.reallocations());
        assertEquals(realloc2, w2.reallocations());
        assertEquals(20, w1.rows());
        assertEquals(20, w2.cols());
        assertEquals(11, w2.rows());
    }

    @Test
    void repeatedGrowthByOneReallocatesLogarithmically() {
        Backend be = TestBackends.SCALAR;
        Parameter p = new Parameter("p", be, 1, 1);
        p.set(new float[] {1f});
        for (int i = 0; i < 1000; i++) {
            p.growRows(1, filled(p.cols(), i + 2f));
            p.growCols(1, filled(p.rows(), -(i + 2f)));
        }
        assertEquals(1001, p.rows());
        assertEquals(1001, p.cols());
        // 1.5x growth from 1 to 1001 in each direction: about log_1.5(1001) = 17 re-allocations each.
        assertTrue(p.reallocations() <= 2 * 20, "re-allocations: " + p.reallocations());
        float[] m = p.toArray();
        assertEquals(1f, m[0]);
        assertEquals(2f, m[1001]);          // row 1 col 0, from the first growRows
        assertEquals(-2f, m[1], 0f);         // row 0 col 1, from the first growCols
        assertEquals(-1001f, m[1000], 0f);   // row 0, last column
        assertEquals(1001f, m[1000 * 1001]); // last row, col 0
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    @ParameterizedTest(autoCloseArguments = false) // the shared backends outlive each case
    @MethodSource("backends")
    void gradientsOfExpandedPartiallyFrozenNetwork(Backend be) {
        Rng rng = new Rng(6);
        Sequential model = new Sequential(be, new int[] {2, 6, 5},
                new Conv2d("c1", be, 2, 3, 3, 3, 2, 1, Init.HE_NORMAL, rng), new ActivationLayer("r1", Activation.RELU),
                new Flatten("f"), new Dense("head", be, 3 * 3 * 3, 4, Init.XAVIER_NORMAL, rng));
        model.grow(Map.of("c1", 2, "head", 3), Init.HE_NORMAL, Init.ZEROS, rng);
        model.freezeOld();
        ((Conv2d) model.layer("c1")).weight().freeze(new FrozenBlock(3, 10)); // a block not aligned to channels
        for (Parameter p : model.parameters()) {
            float[] v = GradCheck.awayFromZero(rng, (int) p.size(), 0.1);
            p.set(v);
        }
        GradCheck g = new GradCheck(be, 1e-2, 5e-4, 5e-3).skipKinks(1e-4).input(GradCheck.uniform(rng, 2 * 2 * 6 * 5), 2, 2, 6, 5);
        model.parameters().forEach(g::param);
        g.check((t, x) -> model.forward(t, x[0]), 12);
    }

    /** A layer with a fixed output that cannot absorb a growth below it. */
    private static final class Fixed implements Layer {
        @Override public String name() { return "fixed"; }
        @Override public Tensor forward(Tape tape, Tensor x) { return x; }
        @Override public int[] outputShape(int[] in) { return in.clone(); }
    }

    @Test
    void invalidPlansNameTheLayerAndChangeNothing() {
        Backend be = TestBackends.SCALAR;
        Rng rng = new Rng(7);
        Sequential model = new Sequential(be, new int[] {6},
                new Dense("d1", be, 6, 5, Init.HE_NORMAL, rng), new ActivationLayer("r1", Activation.RELU),
                new Dense("d2", be, 5, 4, Init.HE_NORMAL, rng), new Fixed(),
                new Dense("head", be, 4, 3, Init.HE_NORMAL, rng));
        List<float[]> before = new ArrayList<>();
        for (Parameter p : model.parameters()) before.add(p.toArray());

        Map<String, Map<String, Integer>> bad = new LinkedHashMap<>();
        bad.put("d1", ordered("d1", 2, "d2", -1));      // negative size
        bad.put("nope", ordered("d1", 2, "nope", 1));   // unknown layer
        bad.put("r1", ordered("d1", 2, "r1", 1));       // not growable
        bad.put("d2", ordered("d1", 2, "d2", 1));       // next layer cannot absorb
        for (var e : bad.entrySet()) {
            IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                    () -> model.grow(e.getValue(), Init.HE_NORMAL, Init.ZEROS, rng));
            assertTrue(ex.getMessage().contains("'" + (e.getKey().equals("d1") ? "d2" : e.getKey()) + "'"),
                    "message should name the layer: " + ex.getMessage());
        }
        int k = 0;
        for (Parameter p : model.parameters()) assertArrayEquals(before.get(k++), p.toArray(), p.name());
        assertEquals(5, ((Dense) model.layer("d1")).outputs());
        assertEquals(6, ((Dense) model.layer("d1")).inputs());
        assertNotEquals(0, model.parameters().size());
    }

    private static Map<String, Integer> ordered(String a, int x, String b, int y) {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put(a, x);
        m.put(b, y);
        return m;
    }

    @Test
    void summaryCountsOldNewFrozenAndTrainable() {
        Backend be = TestBackends.SCALAR;
        Rng rng = new Rng(8);
        Sequential model = mlp(be, rng);
        model.grow(Map.of("d1", 6, "d2", 4, "head", 5), Init.HE_NORMAL, Init.ZEROS, rng);
        model.freezeOld();
        String s = model.summary();
        // d1: 18x20 weights + 18 biases = 378; old 12x20 + 12 = 252 (all frozen); new 126
        assertTrue(s.lines().anyMatch(l -> l.startsWith("d1") && l.matches(".*\\b378\\s+252\\s+126\\s+252\\s+126\\s*")), s);
        // total: d1 378, d2 12x18+12=228 (old 8x12+8=104, frozen 8x18+8=152), head 10x12+10=130 (old 5x8+5=45, frozen 5x12+5=65)
        assertTrue(s.lines().anyMatch(l -> l.startsWith("total") && l.matches(".*\\b736\\s+401\\s+335\\s+469\\s+267\\s*")), s);
    }

    /** Old logits of an MLP with every activation of the family stay bit-identical through a frozen expansion. */
    @ParameterizedTest(autoCloseArguments = false) // the shared backends outlive each case
    @MethodSource("backends")
    void frozenExpansionPassesThroughEveryActivation(Backend be) {
        for (Activation f : Activation.values()) {
            Rng rng = new Rng(40 + f.ordinal());
            Sequential model = Architectures.mlp(be, rng, 20, new int[] {12, 8}, 5, f);
            train(model, new Adam(model::parameters, 1e-2f), rng, 5, 5);
            float[][] before = probe(model);
            model.grow(Map.of("dense1", 6, "dense2", 4, "head", 5), Init.HE_NORMAL, Init.ZEROS, rng);
            model.freezeOld();
            assertEquals(18, ((Dense) model.layer("dense1")).outputs());
            assertEquals(18, ((Dense) model.layer("dense2")).inputs());
            train(model, new Adam(model::parameters, 1e-2f), rng, 10, 10);
            assertArrayEquals(before, firstColumns(probe(model), 5), f.id() + " on " + be.name());
        }
    }

    /** A layer type Sequential has never heard of: y = 2x, saying that growth passes through it. */
    private static final class Doubling implements Layer {
        @Override public String name() { return "double"; }
        @Override public Tensor forward(Tape tape, Tensor x) { return Arithmetic.add(tape, x, x); }
        @Override public int[] outputShape(int[] in) { return in.clone(); }
        @Override public InputGrowth inputGrowth(int[] in) { return InputGrowth.UNCHANGED; }
    }

    @Test
    void growthPassesThroughALayerTypeThatSaysHow() {
        Backend be = TestBackends.VECTOR;
        Rng rng = new Rng(41);
        Sequential model = new Sequential(be, new int[] {20},
                new Dense("d1", be, 20, 12, Init.HE_NORMAL, rng), new Doubling(),
                new Dense("head", be, 12, 5, Init.XAVIER_NORMAL, rng));
        train(model, new Adam(model::parameters, 1e-2f), rng, 5, 5);
        float[][] before = probe(model);
        model.grow(Map.of("d1", 3, "head", 5), Init.HE_NORMAL, Init.ZEROS, rng);
        model.freezeOld();
        assertEquals(15, ((Dense) model.layer("head")).inputs(), "the new neurons became new inputs of the head");
        train(model, new Adam(model::parameters, 1e-2f), rng, 10, 10);
        assertArrayEquals(before, firstColumns(probe(model), 5));
    }

    /** Freezing before growth (every row over all columns, also those added later) keeps old logits too. */
    @Test
    void freezeAllBeforeGrowthAlsoKeepsOldLogits() {
        Backend be = TestBackends.VECTOR;
        Rng rng = new Rng(42);
        Sequential model = mlp(be, rng);
        train(model, new Adam(model::parameters, 1e-2f), rng, 5, 5);
        float[][] before = probe(model);
        for (Parameter p : model.parameters()) p.freezeAll();
        model.grow(Map.of("d1", 6, "d2", 4, "head", 5), Init.HE_NORMAL, Init.ZEROS, rng);
        train(model, new Adam(model::parameters, 1e-2f), rng, 20, 10);
        assertArrayEquals(before, firstColumns(probe(model), 5));
    }

    @ParameterizedTest(autoCloseArguments = false) // the shared backends outlive each case
    @MethodSource("backends")
    void buffersGrowInPlaceAndReallocateWithARectangularCopy(Backend be) {
        Rng rng = new Rng(3);
        Parameter p = new Parameter("p", be, 3, 5, 4, 7);
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
