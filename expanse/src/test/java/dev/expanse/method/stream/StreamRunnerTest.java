package dev.expanse.method.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.expanse.engine.train.Progress;
import dev.expanse.kernels.Backend;
import dev.expanse.kernels.cpu.CpuBackend;
import dev.expanse.method.basics.PrototypeBasics;
import dev.expanse.method.scenario.Basics;
import dev.expanse.method.scenario.Hyper;
import dev.expanse.method.strategy.MultiHeadNet;
import dev.expanse.method.strategy.NetSpec;
import dev.expanse.method.strategy.Strategies;
import dev.expanse.method.strategy.Transfer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Streams end to end on the committed fixtures (20 test images per class), with a small network and one epoch per phase. */
class StreamRunnerTest {
    static final Backend BE = CpuBackend.vector(2);
    static final NetSpec SMALL = new NetSpec(NetSpec.Kind.MLP, new int[] {32, 16}, new int[] {48, 24}, 16);
    static final Hyper FAST = new Hyper(2, 1, 1, 32, 64, 2e-3f, 0.1, true, true, true);
    static final int[] TEST_SIZES = {80, 60, 60};
    static StreamResult three;

    static StreamRunner runner() {
        return new StreamRunner(BE, ds -> Basics.prototypes(3, PrototypeBasics.Rule.NEAREST_MEAN), Progress.silent());
    }

    static StreamConfig config(String stream, Rehearsal r, Transfer.Mode mode) {
        return new StreamConfig(StreamSpec.parse(stream), SMALL, Growth.parse("16,8"), r, mode, FAST, true);
    }

    /** Three experiences, two expansions in a row, every strategy. */
    @BeforeAll
    static void runThree() throws Exception {
        three = runner().run(config("mnist:0-3/mnist:4-6/mnist:7-9", Rehearsal.buffer(30), Transfer.Mode.GROW_HEAD),
                Strategies.forStreams(), List.of(1L));
    }

    @Test
    void everyStrategyRunsOverThreeExperiencesWithSaneNumbers() {
        assertEquals(Strategies.ids(Strategies.forStreams()), three.strategies());
        for (StreamRun r : three.runs()) {
            boolean joint = r.strategy().equals("scratch");
            for (int i = joint ? 2 : 0; i < 3; i++) {
                double weighted = 0;
                for (int j = 0; j < 3; j++) {
                    double v = r.matrix().at(i, j);
                    if (j > i) assertEquals(0.0, v, r.strategy() + ": an unseen experience scores 0");
                    else assertTrue(v >= 0 && v <= 1, r.strategy() + ": " + v);
                    if (j <= i) weighted += v * TEST_SIZES[j];
                }
                int seen = Arrays.stream(TEST_SIZES, 0, i + 1).sum();
                assertEquals(weighted / seen, r.streamAccuracy()[i], 1e-12, r.strategy());
                assertTrue(r.confusion()[i] >= 0 && r.confusion()[i] <= 1 - r.streamAccuracy()[i] + 1e-12, r.strategy());
                assertTrue(r.trainable()[i] > 0 && r.trainable()[i] <= r.total()[i], r.strategy());
            }
            if (joint) {
                assertTrue(Double.isNaN(r.matrix().at(0, 0)) && Double.isNaN(r.matrix().at(1, 1)), "joint has only the last row");
                assertFalse(r.identicalAfterwards(0));
            }
        }
    }

    @Test
    void theFirstExperienceIsSharedByEveryStrategy() {
        StreamRun frozen = three.runsOf("frozen-expanse").get(0);
        for (StreamRun r : three.runs()) {
            if (!r.strategy().equals("scratch")) assertEquals(frozen.matrix().at(0, 0), r.matrix().at(0, 0), r.strategy());
        }
    }

    @Test
    void frozenExpanseKeepsEveryEarlierExperiencesLogitsThroughTwoExpansions() {
        StreamRun f = three.runsOf("frozen-expanse").get(0);
        assertTrue(f.checks()[1][0].identical() && f.checks()[2][0].identical() && f.checks()[2][1].identical());
        assertEquals(200L * 4, f.checks()[2][0].compared(), "200 stream test images x 4 outputs of experience 1");
        assertEquals(200L * 3, f.checks()[2][1].compared());
        assertNull(f.checks()[1][1]);
        assertTrue(f.allIdentical());
        // Old outputs frozen and the task-aware answer kept: its accuracy on experience 1 can only
        // fall through confusion with newer classes, never rise above what it was.
        assertTrue(f.total()[0] < f.total()[1] && f.total()[1] < f.total()[2], Arrays.toString(f.total()));
        assertTrue(f.trainable()[2] < f.total()[2]);
        for (String id : List.of("fine-tune", "published-expanse", "naive", "lwf", "ewc")) {
            StreamRun r = three.runsOf(id).get(0);
            assertFalse(r.checks()[2][0].identical(), id);
            assertFalse(r.allIdentical(), id);
        }
    }

    @Test
    void lwfAndEwcTrainDifferentlyFromNaiveFineTuning() {
        double[] naive = three.runsOf("naive").get(0).streamAccuracy();
        assertFalse(Arrays.equals(naive, three.runsOf("lwf").get(0).streamAccuracy())
                && Arrays.equals(three.runsOf("naive").get(0).matrix().r()[2], three.runsOf("lwf").get(0).matrix().r()[2]));
        assertNotEquals(three.runsOf("naive").get(0).checks()[2][0].maxAbsDiff(), three.runsOf("ewc").get(0).checks()[2][0].maxAbsDiff());
        assertNotEquals(three.runsOf("naive").get(0).checks()[2][0].maxAbsDiff(), three.runsOf("lwf").get(0).checks()[2][0].maxAbsDiff());
    }

    @Test
    void aStreamOverTwoDatasetsKeepsLogitsInBothModesAndRunsAgainTheSame(@TempDir Path dir) throws Exception {
        for (Transfer.Mode mode : Transfer.Mode.values()) {
            StreamConfig c = config("mnist:0-4/fashion:0-4/fashion:5-9", Rehearsal.fraction(0.1), mode);
            var strategies = Strategies.parse("frozen-expanse,ewc", Strategies.forStreams());
            StreamResult a = runner().savingModels(dir.resolve(mode.name())).run(c, strategies, List.of(3L));
            StreamResult b = runner().run(c, strategies, List.of(3L));
            StreamRun f = a.runsOf("frozen-expanse").get(0);
            assertTrue(f.allIdentical(), mode + ": " + f.maxDiffAfterwards(0) + ", " + f.maxDiffAfterwards(1));
            assertEquals(3, f.size());
            for (int k = 0; k < a.runs().size(); k++) {
                assertEquals(a.runs().get(k).matrix(), b.runs().get(k).matrix(), "a seeded run repeats bit for bit");
            }
            Path last = dir.resolve(mode.name()).resolve(c.id() + "-frozen-expanse-seed3-exp3.safetensors");
            assertTrue(Files.size(last) > 0);
            MultiHeadNet saved = MultiHeadNet.load(last, BE);
            assertEquals(mode == Transfer.Mode.GROW_HEAD ? 1 : 3, saved.headCount(), mode.toString());
            saved.release();
        }
    }

    @Test
    void aRouterDecidesBetweenExperiencesAndLeavesTheOwnLogitsAlone() throws Exception {
        StreamSpec st = StreamSpec.parse("mnist:0-3/mnist:4-6/mnist:7-9");
        StreamConfig plain = config("mnist:0-3/mnist:4-6/mnist:7-9", Rehearsal.buffer(30), Transfer.Mode.GROW_HEAD);
        StreamConfig routed = new StreamConfig(st, SMALL, Growth.parse("16,8"), Rehearsal.buffer(30), Transfer.Mode.GROW_HEAD, FAST, true, true);
        var strategies = Strategies.parse("frozen-expanse,naive", Strategies.forStreams());
        StreamResult r = runner().run(routed, strategies, List.of(1L));
        StreamResult p = runner().run(plain, strategies, List.of(1L));
        StreamRun fr = r.runsOf("frozen-expanse").get(0), fp = p.runsOf("frozen-expanse").get(0);
        assertTrue(fr.allIdentical());
        // Same own logits as without a router (the router trains nothing else), other predictions.
        assertEquals(fp.matrix().at(0, 0), fr.matrix().at(0, 0));
        assertTrue(fr.total()[2] > fp.total()[2], "the router's parameters count");
        // Naive does not rehearse, so it has nothing to train a router on: the same as without.
        assertEquals(p.runsOf("naive").get(0).matrix(), r.runsOf("naive").get(0).matrix());
        assertThrows(IllegalArgumentException.class, () -> new StreamConfig(st, SMALL, Growth.parse("16,8"), Rehearsal.buffer(30),
                Transfer.Mode.NEW_HEAD, FAST, true, true));
    }

    @Test
    void theRoutersWeightMovesDecisionsBetweenExperiencesOnly() {
        StreamSpec st = StreamSpec.parse("mnist:0,1/mnist:2,3,4");
        // Two images, five outputs; the router (two experiences) is sure of experience 1 for both.
        float[] z = {3, 1, 2.5f, 0, 0, /* */ 0, 0, 1, 2, 1.9f};
        float[] r = {-4, 4, -4, 4};
        Router.Scores s = new Router.Scores(z, r, 2, 2);
        assertArrayEquals(new int[] {0, 3}, s.predict(st, 0), "weight 0: the plain argmax");
        assertArrayEquals(new int[] {2, 3}, s.predict(st, 1), "the router overrules the first image's experience");
        // Within an experience the order of the logits decides, whatever the weight.
        assertArrayEquals(new int[] {2, 3}, s.predict(st, 1e6));
    }

    @Test
    void aCnnKeepsEveryEarlierExperiencesLogitsThroughTwoExpansions() throws Exception {
        NetSpec cnn = new NetSpec(NetSpec.Kind.CNN, new int[] {4, 8}, new int[] {6, 12}, 16);
        Hyper once = new Hyper(1, 1, 1, 32, 64, 2e-3f, 0.1, true, true, true);
        for (Transfer.Mode mode : Transfer.Mode.values()) {
            StreamConfig c = new StreamConfig(StreamSpec.parse("mnist:0-3/mnist:4-6/fashion:7-9"), cnn, Growth.parse("2,4"),
                    Rehearsal.buffer(30), mode, once, true);
            StreamRun f = runner().run(c, Strategies.parse("frozen-expanse,published-expanse", Strategies.forStreams()), List.of(2L))
                    .runsOf("frozen-expanse").get(0);
            assertTrue(f.allIdentical(), mode + ": " + f.maxDiffAfterwards(0));
            assertTrue(f.total()[0] < f.total()[1] && f.total()[1] < f.total()[2], Arrays.toString(f.total()));
        }
    }

    @Test
    void theRunsSoFarAreHandedOnAfterEachStrategyAndSeed() throws Exception {
        StreamConfig c = config("mnist:0-4/mnist:5-9", Rehearsal.fraction(0.1), Transfer.Mode.GROW_HEAD);
        List<Integer> sizes = new java.util.ArrayList<>();
        StreamResult r = runner().run(c, Strategies.parse("naive,scratch", Strategies.forStreams()), List.of(1L, 2L),
                soFar -> sizes.add(soFar.runs().size()));
        assertEquals(List.of(1, 2, 3, 4), sizes);
        assertEquals(List.of(1L, 1L, 2L, 2L), r.runs().stream().map(StreamRun::seed).toList());
    }

    @Test
    void lwfIsRefusedTaskIncrementalBeforeAnyTraining() {
        StreamConfig c = config("mnist:0-4/mnist:5-9", Rehearsal.fraction(0.1), Transfer.Mode.NEW_HEAD);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> runner().run(c, Strategies.parse("lwf", Strategies.forStreams()), List.of(1L)));
        assertTrue(e.getMessage().contains("lwf") && e.getMessage().contains("class-incremental"), e.getMessage());
    }
}
