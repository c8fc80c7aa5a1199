package dev.expanse.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.expanse.engine.data.Dataset;
import dev.expanse.engine.data.Datasets;
import dev.expanse.engine.nn.Architectures;
import dev.expanse.engine.nn.Sequential;
import dev.expanse.engine.optim.Adam;
import dev.expanse.engine.train.Progress;
import dev.expanse.engine.train.Trainer;
import dev.expanse.kernels.Backend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The README's frozen-EXPANSE recipe, run as written (on the MNIST fixtures: classes 0-4, then
 * 5-9), and a check that the README shows exactly this code.
 */
class ReadmeRecipeTest {
    private static final Path SOURCE = Path.of("src/test/java/dev/expanse/engine/ReadmeRecipeTest.java");
    private static final Path README = Path.of("../README.md");

    @Test
    void theRecipeKeepsTheSourceLogitsBitIdentical() throws IOException {
        Backend backend = TestBackends.VECTOR;
        Rng rng = new Rng(1);
        Dataset all = Datasets.fixture("mnist", Datasets.Part.TRAIN);
        Dataset source = all.filterClasses(0, 1, 2, 3, 4), target = all.filterClasses(5, 6, 7, 8, 9);
        Dataset probe = Datasets.fixture("mnist", Datasets.Part.TEST).select(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        float[] before = null;
        Sequential net = null;
        // README begin
        net = Architectures.mlp(backend, rng, 784, new int[] {300, 200}, 5);
        Trainer.epoch(net, new Adam(net::parameters, 1e-3f), source, 64, rng, Progress.silent(), "source");
        before = Trainer.logits(net, probe, 100);
        // widen every layer: new neurons He-normal, new-to-old connections zero
        net.grow(Map.of("dense1", 200, "dense2", 100, "head", 5), Init.HE_NORMAL, Init.ZEROS, rng);
        // frozen EXPANSE: freeze every old row over all its columns, old and new
        net.freezeOld();
        Trainer.epoch(net, new Adam(net::parameters, 1e-3f), target, 64, rng, Progress.silent(), "target");
        // the source logits (the first 5 outputs) are bit-identical to those before grow
        // README end
        float[] after = Trainer.logits(net, probe, 100);
        float[] firstFive = new float[before.length];
        for (int i = 0; i < probe.size(); i++) System.arraycopy(after, i * 10, firstFive, i * 5, 5);
        assertArrayEquals(before, firstFive);
        assertEquals(10, net.outputShape()[0]);
        assertTrue(Trainer.accuracy(net, target, 100) > 0.5, "the new outputs learned the target classes");
    }

    /** The README block equals the lines between the markers above, but for the lines that only this test needs. */
    @Test
    void theReadmeShowsThisCode() throws IOException {
        List<String> test = Files.readAllLines(SOURCE).stream().map(String::strip).toList();
        List<String> recipe = test.subList(test.indexOf("// README begin") + 1, test.indexOf("// README end")).stream()
                .filter(l -> !l.startsWith("before ="))
                .map(l -> l.startsWith("net = ") ? "Sequential " + l : l)
                .toList();
        List<String> readme = Files.readAllLines(README).stream().map(String::strip).toList();
        int start = readme.indexOf("## Growing a layer in place");
        int open = readme.subList(start, readme.size()).indexOf("```java") + start + 1;
        int close = readme.subList(open, readme.size()).indexOf("```") + open;
        assertEquals(recipe, readme.subList(open, close), "README.md's recipe differs from ReadmeRecipeTest");
    }
}
