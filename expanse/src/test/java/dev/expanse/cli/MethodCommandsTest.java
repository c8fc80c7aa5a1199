package dev.expanse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code expanse scenario} and {@code expanse suite}: a run on the fixtures, and clear argument errors. */
class MethodCommandsTest {

    /** Runs the tool with stdout and stderr captured (picocli writes to them too); returns {exit code, err, out}. */
    static String[] run(String... args) {
        PrintStream oldErr = System.err, oldOut = System.out;
        ByteArrayOutputStream err = new ByteArrayOutputStream(), out = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true));
        System.setOut(new PrintStream(out, true));
        try {
            int code = Main.commandLine().execute(args);
            return new String[] {Integer.toString(code), err.toString(), out.toString()};
        } finally {
            System.setErr(oldErr);
            System.setOut(oldOut);
        }
    }

    @Test
    void scenarioOnTheFixturesWritesItsReport(@TempDir Path dir) throws Exception {
        String[] r = run("scenario", "--fixtures", "--dataset", "fashion-mnist", "--strategy", "frozen-expanse,fine-tune",
                "--rehearsal", "2/3", "--seeds", "3", "--epochs-basics", "1", "--epochs-source", "1", "--epochs-target", "1",
                "--out", dir.toString());
        assertEquals("0", r[0], r[1]);
        String md = Files.readString(dir.resolve("report.md"));
        assertTrue(md.contains("fashion-mnist 0-4 -> 5-9") && md.contains("rehearsal 66.7%"), md);
        assertTrue(md.contains("| frozen-expanse |") && md.contains("| fine-tune |"), md);
        assertTrue(Files.isRegularFile(dir.resolve("split-fashion-mnist-mlp-r66_7-matrix.png")));
        assertTrue(r[1].contains("frozen-expanse target epoch 1/1"), "progress goes to stderr: " + r[1]);
    }

    @Test
    void streamOnTheFixturesWritesItsReportAndModels(@TempDir Path dir) throws Exception {
        Path models = dir.resolve("models");
        String[] r = run("stream", "--fixtures", "--stream", "mnist:0,1/mnist:2-4/fashion:0-2", "--eval", "task",
                "--strategy", "frozen-expanse,ewc", "--buffer", "40", "--seeds", "2", "--epochs-basics", "1", "--epochs-source", "1",
                "--epochs-target", "1", "--out", dir.toString(), "--save-models", models.toString());
        assertEquals("0", r[0], r[1]);
        String md = Files.readString(dir.resolve("report.md"));
        assertTrue(md.contains("(fixtures)") && md.contains("task-incremental") && md.contains("buffer 40"), md);
        assertTrue(md.contains("| frozen-expanse |") && md.contains("| ewc |") && md.contains("identical (1/1)"), md);
        String id = "mnist-0-1_mnist-2-4_fashion-0-2-mlp-task-b40";
        assertTrue(Files.isRegularFile(dir.resolve(id + "-stream.png")), id);
        assertTrue(Files.isRegularFile(models.resolve(id + "-frozen-expanse-seed2-exp3.safetensors")));
        assertTrue(r[1].contains("frozen-expanse experience 3 epoch 1/1"), "progress goes to stderr: " + r[1]);
        String[] summary = run("summary", models.resolve(id + "-frozen-expanse-seed2-exp3.safetensors").toString());
        assertEquals("0", summary[0], summary[1]);
        assertTrue(summary[2].contains("fashion-mnist"), summary[2]);
    }

    @Test
    void badStreamArgumentsNameTheOption(@TempDir Path dir) {
        String out = dir.toString();
        assertError("--stream", run("stream", "--fixtures", "--stream", "mnist:0,1/mnist:1,2", "--out", out));
        assertError("--stream", run("stream", "--fixtures", "--stream", "split-cifar", "--out", out));
        assertError("--eval", run("stream", "--fixtures", "--eval", "sometimes", "--out", out));
        assertError("--grow", run("stream", "--fixtures", "--grow", "1,2,3", "--out", out));
        assertError("--buffer", run("stream", "--fixtures", "--buffer", "0", "--out", out));
        assertError("--strategy", run("stream", "--fixtures", "--eval", "task", "--strategy", "lwf", "--out", out));
        assertError("--router", run("stream", "--fixtures", "--eval", "task", "--router", "--out", out));
        assertError("--strategy", run("suite", "--fixtures", "--strategy", "naive", "--out", out));
    }

    /** Every activation of the family trains from the command line; a wrong name is refused, naming the option. */
    @Test
    void trainTakesEveryActivation() {
        for (dev.expanse.kernels.Activation f : dev.expanse.kernels.Activation.values()) {
            String[] r = run("train", "--fixtures", "--epochs", "1", "--backend", "cpu", "--activation", f.id());
            assertEquals("0", r[0], r[1]);
            assertTrue(r[2].contains(f.id() + "1") && r[2].contains("test accuracy"), r[2]);
        }
        assertError("--activation", run("train", "--fixtures", "--activation", "swish"));
    }

    @Test
    void badArgumentsNameTheOption(@TempDir Path dir) {
        String out = dir.toString();
        assertError("--rehearsal", run("scenario", "--fixtures", "--rehearsal", "1.5", "--out", out));
        assertError("--rehearsal", run("scenario", "--fixtures", "--rehearsal", "half", "--out", out));
        assertError("--strategy", run("scenario", "--fixtures", "--strategy", "frozen-expanse,magic", "--out", out));
        assertError("--dataset", run("scenario", "--fixtures", "--dataset", "cifar", "--out", out));
        assertError("--scenario", run("scenario", "--fixtures", "--scenario", "sideways", "--out", out));
        assertError("--arch", run("scenario", "--fixtures", "--arch", "transformer", "--out", out));
        assertError("--epochs-target", run("scenario", "--fixtures", "--epochs-target", "0", "--out", out));
        assertError("--seeds", run("suite", "--fixtures", "--seeds", "1,1", "--out", out));
        String[] missing = run("scenario", "--fixtures");
        assertEquals("2", missing[0]);
        assertTrue(missing[1].contains("--out"), missing[1]);
    }

    static void assertError(String option, String[] r) {
        assertEquals("2", r[0], "exit code for a bad " + option + ": " + r[1]);
        assertTrue(r[1].contains(option), "the message names " + option + ": " + r[1]);
    }

    @Test
    void twoStepComparisonIsASubcommand() {
        String[] r = run("two-step", "--dataset", "mnist", "--fixtures", "--basics", "nearest-mean", "--k", "5", "--hidden", "16",
                "--seeds", "1", "--epochs1", "1", "--epochs2", "1", "--backend", "cpu");
        assertEquals("0", r[0], r[1]);
        assertTrue(r[2].contains("| seed | one-step test acc (%) | two-step test acc (%) |"), r[2]);
        assertEquals("2", run("two-step", "--basics", "crayons", "--seeds", "1")[0]);
        assertError("--epochs1", run("two-step", "--epochs1"));
    }

    @Test
    void twoStepComparesTheKindsOfBasics() {
        String[] r = run("two-step", "--compare-basics", "--dataset", "fashion-mnist", "--fixtures", "--k", "2", "--hidden", "8",
                "--seeds", "1,2", "--epochs1", "2", "--backend", "cpu");
        assertEquals("0", r[0], r[1]);
        assertTrue(r[2].startsWith("fashion-mnist (fixture), MLP [8], step 1 only: 2 epochs"), r[2]);
        assertTrue(r[2].contains("| basics | examples | best epoch |"), r[2]);
        assertTrue(r[2].contains("| random | 20 |") && r[2].contains("| nearest-mean | 20 |")
                && r[2].contains("| confident-linear | 20 |"), r[2]);
        assertTrue(!r[2].contains("glyphs"), "glyphs are for digits only: " + r[2]);
    }

    @Test
    void everyCommandHasHelp() {
        for (String cmd : new String[] {"train", "scenario", "suite", "two-step"}) {
            String[] r = run(cmd, "--help");
            assertEquals("0", r[0], cmd + ": " + r[1]);
            assertTrue(r[2].contains("--backend=NAME") && r[2].contains("expanse.backend"), cmd + ": " + r[2]);
        }
        assertTrue(run("two-step", "--help")[2].contains("--compare-basics"));
    }

    @Test
    void fractionsParseAsDecimalsRatiosAndPercentages() {
        assertEquals(0.1, Args.fraction("--x", "0.1"));
        assertEquals(2.0 / 3, Args.fraction("--x", "2/3"));
        assertEquals(0.7, Args.fraction("--x", "70%"), 1e-15);
        assertEquals(0.0, Args.fraction("--x", "0"));
        assertThrows(IllegalArgumentException.class, () -> Args.fraction("--x", "-0.1"));
    }

    @Test
    void theBackendDefaultsToTheSystemPropertyAndTheOptionWins() {
        String old = System.getProperty(dev.expanse.kernels.Backends.PROPERTY);
        System.setProperty(dev.expanse.kernels.Backends.PROPERTY, "no-such-backend");
        try {
            BackendOption none = new BackendOption();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, none::open);
            assertTrue(e.getMessage().contains("no-such-backend"), "the property was read: " + e.getMessage());
            BackendOption cpu = new BackendOption();
            cpu.name = "cpu";
            try (dev.expanse.kernels.Backend be = cpu.open()) {
                assertTrue(be.name().startsWith("cpu"), be.name());
            }
            cpu.name = "quantum";
            String bad = assertThrows(IllegalArgumentException.class, cpu::open).getMessage();
            assertTrue(bad.startsWith("--backend: ") && bad.contains("quantum"), bad);
        } finally {
            if (old == null) System.clearProperty(dev.expanse.kernels.Backends.PROPERTY);
            else System.setProperty(dev.expanse.kernels.Backends.PROPERTY, old);
        }
    }
}
