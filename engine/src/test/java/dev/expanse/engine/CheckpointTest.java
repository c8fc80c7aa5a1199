package dev.expanse.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.expanse.engine.data.Dataset;
import dev.expanse.engine.data.Datasets;
import dev.expanse.engine.io.AtomicFile;
import dev.expanse.engine.io.Checkpoint;
import dev.expanse.engine.io.CheckpointException;
import dev.expanse.engine.io.ModelInfo;
import dev.expanse.engine.io.Safetensors;
import dev.expanse.engine.nn.Architectures;
import dev.expanse.engine.nn.Dense;
import dev.expanse.engine.nn.Growth;
import dev.expanse.engine.nn.Layer;
import dev.expanse.engine.nn.Sequential;
import dev.expanse.engine.optim.Adam;
import dev.expanse.engine.optim.Optimizer;
import dev.expanse.engine.train.Fit;
import dev.expanse.engine.train.FitOptions;
import dev.expanse.kernels.Activation;
import dev.expanse.kernels.Backend;
import dev.expanse.kernels.FrozenBlock;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints that describe their model: round trips, PyTorch's tensor shapes, exact resume, and clear refusals. */
class CheckpointTest {
    @TempDir
    Path dir;
    private final Backend be = TestBackends.VECTOR;

    @Test
    void aModelComesBackWithNoCodeThatKnowsHowItWasBuilt() throws IOException {
        for (boolean conv : new boolean[] {false, true}) {
            Rng rng = new Rng(conv ? 2 : 1);
            Sequential model = conv ? Architectures.lenet(be, rng, 1, 16, 16, 3, 4, 5, Activation.TANH)
                    : Architectures.mlp(be, rng, 20, new int[] {12, 8}, 5, Activation.GELU);
            GrowthTest.train(model, new Adam(model::parameters, 1e-2f), rng, 5, 5);
            Path file = dir.resolve(conv ? "cnn.safetensors" : "mlp.safetensors");
            model.save(file);
            try (Sequential back = Sequential.load(file, be)) {
                assertArrayEquals(GrowthTest.probe(model), GrowthTest.probe(back));
                assertEquals(model.summary(), back.summary());
            }
        }
    }

    @Test
    void tensorsFollowPyTorchsConventions() throws IOException {
        Rng rng = new Rng(3);
        Sequential model = Architectures.lenet(be, rng, 1, 16, 16, 3, 4, 5);
        Path file = dir.resolve("lenet.safetensors");
        model.save(file);
        Map<String, Safetensors.Entry> t = Safetensors.read(file).tensors();
        assertArrayEquals(new int[] {3, 1, 5, 5}, t.get("conv1.weight").shape());
        assertArrayEquals(new int[] {3}, t.get("conv1.bias").shape());
        assertArrayEquals(new int[] {4, 3, 5, 5}, t.get("conv2.weight").shape());
        assertArrayEquals(new int[] {5, 4}, t.get("head.weight").shape());
        assertArrayEquals(new int[] {5}, t.get("head.bias").shape());
        assertEquals("expanse-checkpoint", Safetensors.read(file).metadata().get("format"));
    }

    @Test
    void aGrownFrozenModelKeepsItsBlocksHistoryAndOldLogits() throws IOException {
        Rng rng = new Rng(4);
        Sequential model = GrowthTest.cnn(be, rng);
        GrowthTest.train(model, new Adam(model::parameters, 1e-2f), rng, 10, 5);
        float[][] before = GrowthTest.probe(model);
        model.grow(Map.of("c1", 2, "c2", 3, "head", 5), Init.HE_NORMAL, Init.ZEROS, 7L);
        model.freezeOld();
        Path file = dir.resolve("grown.safetensors");
        ModelInfo info = ModelInfo.empty().withClasses(0, 0, "mnist", new int[] {0, 1, 2, 3, 4}, "mnist 0-4").with("seed", "4");
        Checkpoint.save(file, model, info, null);
        try (Checkpoint.Contents c = Checkpoint.load(file, be)) {
            Sequential back = c.trunk();
            for (int i = 0; i < model.parameters().size(); i++) {
                Parameter a = model.parameters().get(i), b = back.parameters().get(i);
                assertEquals(a.frozen(), b.frozen(), a.name());
                assertEquals(a.oldRows(), b.oldRows(), a.name());
                assertEquals(a.oldCols(), b.oldCols(), a.name());
            }
            assertEquals(FrozenBlock.rows(4), ((dev.expanse.engine.nn.Conv2d) back.layer("c1")).weight().frozen());
            Growth g = back.history().get(0);
            assertEquals(List.of("c1", "c2", "head"), List.copyOf(g.plan().keySet()));
            assertEquals("he-normal", g.newNeurons());
            assertEquals("zeros", g.newToOld());
            assertEquals(7L, g.seed());
            assertEquals("old rows", g.frozen());
            assertEquals(info, c.info());
            assertNull(c.optimizer());
            GrowthTest.train(back, new Adam(back::parameters, 1e-2f), new Rng(5), 20, 10);
            assertArrayEquals(before, GrowthTest.firstColumns(GrowthTest.probe(back), 5), "old logits after training the loaded model");
        }
    }

    /**
     * Two epochs straight, or one, a save with the optimizer, a load and one more: the same bits, on
     * the scalar kernels and on the vector ones (at a fixed thread count). On the vector path this
     * needs kernels that give the same bits compiled or not: the second run's early steps run
     * where the first run's loops were already compiled (see CpuBackend).
     */
    @Test
    void aResumeWithTheOptimizersStateIsExact() throws IOException {
        for (Backend backend : List.of(TestBackends.SCALAR, TestBackends.VECTOR)) {
            resumeIsExact(backend, Activation.RELU);
            resumeIsExact(backend, Activation.TANH);
        }
    }

    private void resumeIsExact(Backend backend, Activation f) throws IOException {
        Dataset train = Datasets.fixture("mnist", Datasets.Part.TRAIN);
        FitOptions options = new FitOptions().epochs(2).batchSize(50).validationSplit(0.1).seed(9);
        Sequential straight = Architectures.mlp(backend, new Rng(8), 784, new int[] {32}, 10, f);
        Fit.fit(straight, new Adam(straight::parameters, 1e-3f), train, options);

        Sequential first = Architectures.mlp(backend, new Rng(8), 784, new int[] {32}, 10, f);
        Adam adam = new Adam(first::parameters, 1e-3f);
        Fit.fit(first, adam, train, new FitOptions().epochs(1).batchSize(50).validationSplit(0.1).seed(9));
        Path file = dir.resolve("resume.safetensors");
        Checkpoint.save(file, first, ModelInfo.empty(), adam);
        try (Checkpoint.Contents c = Checkpoint.load(file, backend)) {
            Sequential resumed = c.trunk();
            Optimizer o = Optimizer.fromState(c.optimizer(), resumed::parameters);
            assertEquals(adam.steps(), ((Adam) o).steps());
            Fit.fit(resumed, o, train, options.resumeAfter(1));
            for (int i = 0; i < straight.parameters().size(); i++) {
                assertArrayEquals(straight.parameters().get(i).toArray(), resumed.parameters().get(i).toArray(),
                        backend.name() + ", " + f + ": " + straight.parameters().get(i).name());
            }
        }
    }

    @Test
    void multiHeadModelsKeepTheirHeads() throws IOException {
        Rng rng = new Rng(6);
        Sequential trunk = new Sequential(be, new int[] {10}, new Dense("d1", be, 10, 6, Init.HE_NORMAL, rng));
        List<List<Layer>> heads = List.of(List.of(new Dense("head", be, 6, 3, Init.HE_NORMAL, rng)),
                List.of(new Dense("head2", be, 6, 4, Init.HE_NORMAL, rng)));
        Path file = dir.resolve("heads.safetensors");
        Checkpoint.save(file, trunk, heads, ModelInfo.empty(), null);
        try (Checkpoint.Contents c = Checkpoint.load(file, be)) {
            assertEquals(2, c.heads().size());
            assertArrayEquals(((Dense) heads.get(1).get(0)).weight().toArray(), ((Dense) c.heads().get(1).get(0)).weight().toArray());
        }
        CheckpointException e = assertThrows(CheckpointException.class, () -> Sequential.load(file, be));
        assertTrue(e.getMessage().contains("2 extra heads"), e.getMessage());
    }

    @Test
    void mismatchesAreRefusedNamingTheTensor() throws IOException {
        Sequential model = Architectures.mlp(be, new Rng(7), 20, new int[] {12}, 5);
        Path good = dir.resolve("good.safetensors");
        model.save(good);
        Safetensors.Contents c = Safetensors.read(good);

        Map<String, Safetensors.Entry> wrongShape = new LinkedHashMap<>(c.tensors());
        wrongShape.put("head.bias", new Safetensors.Entry(new int[] {5, 1}, new float[5]));
        assertRefused(rewrite("shape.safetensors", wrongShape, c.metadata()), "'head.bias' has shape [5, 1]");

        Map<String, Safetensors.Entry> missing = new LinkedHashMap<>(c.tensors());
        missing.remove("dense1.weight");
        assertRefused(rewrite("missing.safetensors", missing, c.metadata()), "no tensor for parameter 'dense1.weight'");

        Map<String, Safetensors.Entry> extra = new LinkedHashMap<>(c.tensors());
        extra.put("stray", new Safetensors.Entry(new int[] {1}, new float[1]));
        assertRefused(rewrite("extra.safetensors", extra, c.metadata()), "'stray' belongs to no parameter");

        Map<String, String> legacy = Map.of("dense1.weight.frozen", "0x0");
        assertRefused(rewrite("legacy.safetensors", c.tensors(), legacy), "before checkpoints described their model");

        Map<String, String> badKind = new LinkedHashMap<>(c.metadata());
        badKind.put("expanse", c.metadata().get("expanse").replace("\"kind\":\"dense\"", "\"kind\":\"lstm\""));
        assertRefused(rewrite("kind.safetensors", c.tensors(), badKind), "unknown kind 'lstm'");

        Map<String, String> notJson = new LinkedHashMap<>(c.metadata());
        notJson.put("expanse", "{oops");
        assertRefused(rewrite("json.safetensors", c.tensors(), notJson), "not a JSON object");

        Map<String, String> badFrozen = new LinkedHashMap<>(c.metadata());
        badFrozen.put("expanse", c.metadata().get("expanse").replaceFirst("\"frozen\":\"0x0\"", "\"frozen\":\"abc\""));
        assertRefused(rewrite("frozen.safetensors", c.tensors(), badFrozen), "does not describe a model");
    }

    private Path rewrite(String name, Map<String, Safetensors.Entry> tensors, Map<String, String> meta) throws IOException {
        Path f = dir.resolve(name);
        AtomicFile.write(f, out -> Safetensors.write(out, tensors, meta));
        return f;
    }

    private void assertRefused(Path file, String what) {
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.load(file, be));
        assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains(what), e.getMessage());
    }
}
