package dev.expanse.method.strategy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.expanse.engine.Init;
import dev.expanse.engine.Parameter;
import dev.expanse.engine.Rng;
import dev.expanse.engine.data.Dataset;
import dev.expanse.engine.nn.Dense;
import dev.expanse.engine.optim.Adam;
import dev.expanse.engine.train.Model;
import dev.expanse.engine.train.Progress;
import dev.expanse.kernels.Backend;
import dev.expanse.kernels.cpu.CpuBackend;
import dev.expanse.method.scenario.Training;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Each strategy's network: shapes, parameter counts worked out by hand, what stays frozen. */
class StrategiesTest {
    static final Backend BE = CpuBackend.vector(2);
    // Input 1x4x5 = 20 features; trunk 20-6-4 expanded to 20-9-5; progressive layer of 7.
    static final NetSpec SPEC = new NetSpec(NetSpec.Kind.MLP, new int[] {6, 4}, new int[] {9, 5}, 7);
    static final int[] INPUT = {1, 4, 5};
    static final int SRC = 3, TGT = 2;

    static final Backend SCALAR = CpuBackend.scalar();
    // Bit-identity needs every GEMM to take the same kernel path before and after growth. The
    // vector backend runs products of at most 8192 multiply-adds through a plain loop without fma
    // (Gemm.TINY), so a growth that crosses that size changes rounding. BIG keeps every product of
    // a 500-row evaluation batch above it.
    static final NetSpec BIG = new NetSpec(NetSpec.Kind.MLP, new int[] {24, 16}, new int[] {36, 20}, 7);

    static MultiHeadNet sourceNet(long seed) {
        return sourceNet(BE, SPEC, seed);
    }

    static MultiHeadNet sourceNet(Backend be, NetSpec spec, long seed) {
        Rng rng = new Rng(seed);
        MultiHeadNet net = new MultiHeadNet(spec.trunk(be, rng, INPUT, false));
        net.addHead(new Dense("head", be, net.trunkFeatures(), SRC, Init.XAVIER_NORMAL, rng));
        return net;
    }

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> backendsAndModes() {
        java.util.List<org.junit.jupiter.params.provider.Arguments> a = new ArrayList<>();
        for (Backend be : List.of(SCALAR, BE)) {
            for (Transfer.Mode m : Transfer.Mode.values()) a.add(org.junit.jupiter.params.provider.Arguments.of(be, m));
        }
        return a.stream();
    }

    /** Random images in [0, 1] with labels drawn from [lo, hi). */
    static Dataset data(long seed, int n, int lo, int hi) {
        Rng rng = new Rng(seed);
        float[] x = new float[n * 20];
        for (int i = 0; i < x.length; i++) x[i] = rng.nextFloat();
        int[] y = new int[n];
        for (int i = 0; i < n; i++) y[i] = lo + rng.nextInt(hi - lo);
        return Dataset.of(x, y, 1, 4, 5, 10);
    }

    static float[] logits(Model m, Dataset d, int cols) {
        return Training.firstLogits(m, d, cols);
    }

    /** Three epochs of Adam on the adapted net: target labels through the target head, source labels through the source head. */
    static void train(Adapted a, Transfer.Mode mode) {
        List<Training.Stream> streams = new ArrayList<>();
        if (mode == Transfer.Mode.GROW_HEAD) {
            streams.add(new Training.Stream(a.net().view(0), data(11, 64, 0, SRC + TGT)));
        } else {
            streams.add(new Training.Stream(a.net().view(a.targetHead()), data(12, 64, 0, TGT)));
            streams.add(new Training.Stream(a.net().view(a.sourceHead()), data(13, 32, 0, SRC)));
        }
        Adam adam = new Adam(a.net()::parameters, 1e-2f);
        Rng rng = new Rng(5);
        for (int e = 0; e < 3; e++) Training.epoch(streams, adam, 16, rng, Progress.silent(), "test");
    }

    @ParameterizedTest(name = "{0} {1}: {2} params, {3} trainable")
    @CsvSource({
        // GROW_HEAD: source 20-6-4-3 (126 + 28 + 15 = 169 params), 5 outputs after.
        "scratch,            GROW_HEAD, 269, 269",  // 189 + 50 + (5*5+5)
        "fine-tune,          GROW_HEAD, 179, 179",  // 126 + 28 + (5*4+5)
        "feature-extraction, GROW_HEAD, 179, 25",   // frozen trunk 154, new head 5*4+5
        "progressive,        GROW_HEAD, 229, 75",   // frozen trunk 154, prog 7*4+7, head 5*7+5
        "published-expanse,  GROW_HEAD, 269, 269",
        "frozen-expanse,     GROW_HEAD, 269, 85",   // frozen old rows: 6*20+6, 4*9+4, 3*5+3 = 184
        // NEW_HEAD: source head kept (3 outputs), a second head of 2.
        "scratch,            NEW_HEAD,  269, 269",  // 189 + 50 + (3*5+3) + (2*5+2)
        "fine-tune,          NEW_HEAD,  179, 179",  // 169 + (2*4+2)
        "feature-extraction, NEW_HEAD,  179, 10",
        "progressive,        NEW_HEAD,  220, 51",   // 169 + (7*4+7) + (2*7+2)
        "published-expanse,  NEW_HEAD,  269, 269",
        "frozen-expanse,     NEW_HEAD,  269, 85"})
    void parameterCountsMatchHandCount(String id, Transfer.Mode mode, long total, long trainable) {
        Adapted a = Strategies.byId(id).adapt(new Transfer(sourceNet(1), SPEC, INPUT, mode, SRC, TGT), new Rng(2));
        assertEquals(total, a.net().parameterCount(), "total");
        assertEquals(trainable, a.net().trainableCount(), "trainable");
        int outputs = a.net().headOutput(a.targetHead()).outputs();
        assertEquals(mode == Transfer.Mode.GROW_HEAD ? SRC + TGT : TGT, outputs);
        assertEquals(mode == Transfer.Mode.GROW_HEAD ? 0 : 1, a.targetHead());
    }

    @ParameterizedTest
    @MethodSource("backendsAndModes")
    void frozenExpanseKeepsSourceLogitsBitIdenticalThroughTraining(Backend be, Transfer.Mode mode) {
        MultiHeadNet src = sourceNet(be, BIG, 3);
        Dataset probe = data(99, 500, 0, SRC);
        float[] before = logits(src.view(0), probe, SRC);
        Adapted a = new FrozenExpanse().adapt(new Transfer(src, BIG, INPUT, mode, SRC, TGT), new Rng(4));
        assertArrayEquals(before, logits(a.net().view(a.sourceHead()), probe, SRC), 0f, "right after expansion");
        List<float[]> valuesBefore = a.net().snapshot();
        train(a, mode);
        float[] after = logits(a.net().view(a.sourceHead()), probe, SRC);
        for (int i = 0; i < before.length; i++) {
            assertEquals(Float.floatToRawIntBits(before[i]), Float.floatToRawIntBits(after[i]), "logit " + i + " changed");
        }
        assertTrue(changed(valuesBefore, a.net().snapshot()), "training changed nothing");
        assertEquals(BIG.expanded()[1], a.net().trunkFeatures());
    }

    @Test
    void publishedExpanseAndFineTuneMoveTheSourceLogits() {
        Dataset probe = data(98, 50, 0, SRC);
        for (Strategy s : List.of(new PublishedExpanse(), new FineTune())) {
            MultiHeadNet src = sourceNet(3);
            float[] before = logits(src.view(0), probe, SRC);
            Adapted a = s.adapt(new Transfer(src, SPEC, INPUT, Transfer.Mode.GROW_HEAD, SRC, TGT), new Rng(4));
            train(a, Transfer.Mode.GROW_HEAD);
            float[] after = logits(a.net().view(0), probe, SRC);
            assertFalse(java.util.Arrays.equals(before, after), s.id() + " kept the source logits");
        }
    }

    @ParameterizedTest
    @CsvSource({"feature-extraction", "progressive"})
    void frozenTrunkStrategiesNeverChangeTheTrunk(String id) {
        for (Transfer.Mode mode : Transfer.Mode.values()) {
            MultiHeadNet src = sourceNet(5);
            List<float[]> trunkBefore = new ArrayList<>();
            for (Parameter p : src.trunk().parameters()) trunkBefore.add(p.toArray());
            Adapted a = Strategies.byId(id).adapt(new Transfer(src, SPEC, INPUT, mode, SRC, TGT), new Rng(6));
            List<float[]> all = a.net().snapshot();
            train(a, mode);
            List<Parameter> trunk = a.net().trunk().parameters();
            for (int i = 0; i < trunk.size(); i++) assertArrayEquals(trunkBefore.get(i), trunk.get(i).toArray(), 0f, id + " " + mode);
            assertTrue(changed(all, a.net().snapshot()), id + " " + mode + ": the new layers did not train");
        }
    }

    @Test
    void scratchIgnoresTheSourceAndIsJoint() {
        Scratch s = new Scratch();
        assertTrue(s.joint());
        Adapted a1 = s.adapt(new Transfer(sourceNet(1), SPEC, INPUT, Transfer.Mode.GROW_HEAD, SRC, TGT), new Rng(7));
        Adapted a2 = s.adapt(new Transfer(sourceNet(2), SPEC, INPUT, Transfer.Mode.GROW_HEAD, SRC, TGT), new Rng(7));
        List<float[]> v1 = a1.net().snapshot(), v2 = a2.net().snapshot();
        for (int i = 0; i < v1.size(); i++) assertArrayEquals(v1.get(i), v2.get(i), 0f);
        assertFalse(new FrozenExpanse().joint());
    }

    @Test
    void cnnTrunkGrowsFiltersAndTheHeadAbsorbsTheNewChannels() {
        NetSpec cnn = new NetSpec(NetSpec.Kind.CNN, new int[] {2, 3}, new int[] {3, 5}, 8);
        int[] in = {1, 16, 16}; // conv5 -> 12, pool -> 6, conv5 -> 2, pool -> 1: features = filters
        Rng rng = new Rng(8);
        MultiHeadNet src = new MultiHeadNet(cnn.trunk(SCALAR, rng, in, false)); // tiny products: see BIG
        src.addHead(new Dense("head", SCALAR, src.trunkFeatures(), 2, Init.XAVIER_NORMAL, rng));
        assertEquals(3, src.trunkFeatures());
        Rng d = new Rng(9);
        float[] x = new float[10 * 256];
        for (int i = 0; i < x.length; i++) x[i] = d.nextFloat();
        Dataset probe = Dataset.of(x, new int[10], 1, 16, 16, 10);
        float[] before = logits(src.view(0), probe, 2);
        Adapted a = new FrozenExpanse().adapt(new Transfer(src, cnn, in, Transfer.Mode.GROW_HEAD, 2, 2), new Rng(10));
        assertEquals(5, a.net().trunkFeatures());
        assertEquals(5, a.net().headOutput(0).inputs());
        assertEquals(Map.of("conv1", 1, "conv2", 2), cnn.growthPlan());
        assertArrayEquals(before, logits(a.net().view(0), probe, 2), 0f);
    }

    @Test
    void badSpecsAndHeadsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new NetSpec(NetSpec.Kind.MLP, new int[] {5}, new int[] {4}, 3));
        assertThrows(IllegalArgumentException.class, () -> new NetSpec(NetSpec.Kind.MLP, new int[] {5, 4}, new int[] {6}, 3));
        MultiHeadNet net = sourceNet(1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> net.addHead(new Dense("wrong", BE, 7, 2, Init.ZEROS, new Rng(1))));
        assertTrue(e.getMessage().contains("wrong"), e.getMessage());
        IllegalArgumentException u = assertThrows(IllegalArgumentException.class, () -> Strategies.byId("magic"));
        assertTrue(u.getMessage().contains("frozen-expanse"), u.getMessage());
    }

    private static boolean changed(List<float[]> a, List<float[]> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) if (!java.util.Arrays.equals(a.get(i), b.get(i))) return true;
        return a.size() != b.size();
    }

}
