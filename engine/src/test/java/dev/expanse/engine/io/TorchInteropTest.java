package dev.expanse.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.expanse.engine.Init;
import dev.expanse.engine.Rng;
import dev.expanse.engine.data.Dataset;
import dev.expanse.engine.data.Datasets;
import dev.expanse.engine.nn.Architectures;
import dev.expanse.engine.nn.Sequential;
import dev.expanse.engine.optim.Adam;
import dev.expanse.engine.train.Fit;
import dev.expanse.engine.train.FitOptions;
import dev.expanse.engine.train.Trainer;
import dev.expanse.kernels.Activation;
import dev.expanse.kernels.Backend;
import dev.expanse.kernels.cpu.CpuBackend;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints and PyTorch both ways, through scripts/torch_interop.py and Debian's python3-torch:
 * an Expanse model runs in torch.nn.Sequential with the same logits (1e-4), and a PyTorch-trained
 * model loads here, gives torch's logits, expands and trains on with its old logits bit-identical.
 * Needs /usr/bin/python3 with torch: in CI a missing torch fails, elsewhere the test is skipped, saying so.
 */
class TorchInteropTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Path SCRIPT = Path.of("../scripts/torch_interop.py");
    private static final Path FIXTURES = Path.of("../data/fixtures/mnist");

    @TempDir
    Path dir;

    @BeforeAll
    static void needTorch() throws Exception {
        String why = null;
        if (!Files.isExecutable(PYTHON)) {
            why = PYTHON + " not found";
        } else if (run(PYTHON.toString(), "-c", "import torch, numpy")[0] != 0) {
            why = "python3-torch or python3-numpy is not installed (scripts/setup.sh installs them)";
        }
        if (why != null && "true".equals(System.getenv("CI"))) fail("PyTorch interop is required in CI: " + why);
        assumeTrue(why == null, "PyTorch interop tests skipped outside CI: " + why);
    }

    /** {exit code, output} of a command, which must finish within two minutes. */
    private static Object[] runCommand(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("timed out: " + String.join(" ", cmd));
        }
        return new Object[] {p.exitValue(), out};
    }

    private static int[] run(String... cmd) throws IOException, InterruptedException {
        return new int[] {(Integer) runCommand(cmd)[0]};
    }

    private static void writeFloats(Path file, float[] v) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        Files.write(file, b.array());
    }

    private static float[] readFloats(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[b.remaining() / 4];
        b.asFloatBuffer().get(v);
        return v;
    }

    /** Accuracy on images of classes 5-9 when only outputs 5-9 compete (task-aware). */
    private static double amongNewOutputs(Sequential m, Dataset d) {
        float[] logits = Trainer.logits(m, d, 100);
        int ok = 0;
        for (int i = 0; i < d.size(); i++) {
            int best = 5;
            for (int c = 6; c < 10; c++) if (logits[i * 10 + c] > logits[i * 10 + best]) best = c;
            if (best == d.label(i)) ok++;
        }
        return (double) ok / d.size();
    }

    @Test
    void anExpanseModelRunsInPyTorchWithTheSameLogits() throws Exception {
        try (Backend be = CpuBackend.vector(2)) {
            Dataset train = Datasets.fixture("mnist", Datasets.Part.TRAIN), test = Datasets.fixture("mnist", Datasets.Part.TEST);
            Sequential[] models = {Architectures.mlp(be, new Rng(1), 784, new int[] {48, 24}, 10, Activation.TANH),
                Architectures.lenet(be, new Rng(2), 1, 28, 28, 6, 12, 10, Activation.GELU)};
            for (Sequential m : models) {
                Fit.fit(m, new Adam(m::parameters, 1e-3f), train, new FitOptions().epochs(1).batchSize(32));
                Path file = dir.resolve(m.layers().get(0).name() + ".safetensors");
                m.save(file);
                writeFloats(dir.resolve(m.layers().get(0).name() + ".logits.f32"), Trainer.logits(m, test, 100));
                Object[] r = runCommand(PYTHON.toString(), SCRIPT.toString(), "check", file.toString(), FIXTURES.toString());
                assertEquals(0, r[0], (String) r[1]);
                assertTrue(((String) r[1]).contains("max |torch - expanse|"), (String) r[1]);
                // the measured difference, kept for the record (tests stay quiet)
                Files.writeString(Path.of("target/torch-interop-" + m.layers().get(0).name() + ".txt"), (String) r[1]);
            }
        }
    }

    @Test
    void aPyTorchModelLoadsExpandsAndTrainsOn() throws Exception {
        try (Backend be = CpuBackend.vector(2)) {
            Dataset train = Datasets.fixture("mnist", Datasets.Part.TRAIN), test = Datasets.fixture("mnist", Datasets.Part.TEST);
            for (String arch : new String[] {"mlp", "lenet"}) {
                Path file = dir.resolve("torch-" + arch + ".safetensors");
                Object[] r = runCommand(PYTHON.toString(), SCRIPT.toString(), "export", arch, file.toString(), FIXTURES.toString());
                assertEquals(0, r[0], (String) r[1]);
                try (Sequential m = Sequential.load(file, be)) {
                    float[] ours = Trainer.logits(m, test, 100), theirs = readFloats(dir.resolve("torch-" + arch + ".logits.f32"));
                    assertEquals(theirs.length, ours.length);
                    double max = 0;
                    for (int i = 0; i < ours.length; i++) max = Math.max(max, Math.abs(ours[i] - theirs[i]));
                    assertTrue(max <= 1e-4, arch + ": max |expanse - torch| " + max);
                    Files.writeString(Path.of("target/torch-interop-export-" + arch + ".txt"), "max |expanse - torch| " + max + "\n");
                    float[] before = ours;
                    Map<String, Integer> plan = arch.equals("mlp") ? Map.of("dense1", 16, "head", 5) : Map.of("conv1", 2, "conv2", 4, "head", 5);
                    m.grow(plan, Init.HE_NORMAL, Init.ZEROS, 3L);
                    m.freezeOld();
                    Fit.fit(m, new Adam(m::parameters, 3e-3f), train.filterClasses(5, 6, 7, 8, 9), new FitOptions().epochs(5).batchSize(32));
                    float[] after = Trainer.logits(m, test, 100), firstFive = new float[before.length];
                    for (int i = 0; i < test.size(); i++) System.arraycopy(after, i * 10, firstFive, i * 5, 5);
                    assertArrayEquals(before, firstFive, arch + ": old logits after expansion and training");
                    double learnt = amongNewOutputs(m, test.filterClasses(5, 6, 7, 8, 9));
                    assertTrue(learnt > 0.5, arch + " learnt 5-9: " + learnt);
                }
            }
        }
    }
}
