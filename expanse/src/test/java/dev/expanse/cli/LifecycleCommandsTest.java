package dev.expanse.cli;

import static dev.expanse.cli.MethodCommandsTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.expanse.engine.data.Dataset;
import dev.expanse.engine.data.Datasets;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's walk-through on the fixtures: train on 0-4, expand, train on 5-9, eval, summary, predict, resume. */
class LifecycleCommandsTest {

    private static String ok(String... args) {
        String[] r = run(args);
        assertEquals("0", r[0], String.join(" ", args) + "\n" + r[1]);
        return r[2];
    }

    @Test
    void theMethodThroughTheCommandLine(@TempDir Path dir) throws Exception {
        String a = dir.resolve("mnist-04.safetensors").toString(), b = dir.resolve("grown.safetensors").toString(),
                c = dir.resolve("mnist-09.safetensors").toString();
        String out = ok("train", "--fixtures", "--classes", "0-4", "--epochs", "2", "--backend", "cpu", "--save", a);
        assertTrue(out.contains("test accuracy") && Files.isRegularFile(Path.of(a)), out);
        assertTrue(Files.readString(dir.resolve("mnist-04.history.csv")).lines().count() == 3, "header and two epochs");
        assertTrue(Files.size(dir.resolve("mnist-04.curves.png")) > 1000);

        out = ok("expand", a, "--plan", "dense1=+20,dense2=+10,head=+5", "--out", b, "--backend", "cpu");
        assertTrue(out.contains("before:") && out.contains("after (frozen):"), out);

        out = ok("train", "--from", b, "--fixtures", "--classes", "5-9", "--rehearsal", "0.1", "--epochs", "2", "--backend", "cpu", "--save", c);
        assertTrue(out.contains("on every class the model knows (0-9)"), out);

        out = ok("eval", c, "--fixtures", "--classes", "0-4", "--compare", a, "--backend", "cpu");
        assertTrue(out.contains("bit-identical"), out);
        assertTrue(out.contains("| 4 |") && Files.isRegularFile(dir.resolve("mnist-09.confusion.png")), out);

        out = ok("summary", c, "--backend", "cpu");
        assertTrue(out.contains("dense1=20") && out.contains("frozen: old rows") && out.contains("output 9: mnist class 9 (mnist 5-9)"), out);

        Dataset test = Datasets.fixture("mnist", Datasets.Part.TEST);
        Path png = dir.resolve("digit.png");
        ImageIO.write(image(test.image(0)), "png", png.toFile());
        out = ok("predict", c, png.toString(), "--top", "2", "--backend", "cpu");
        assertTrue(out.startsWith(png + ":") && out.contains("%"), out);
    }

    /** scenario --save-models keeps the source and every strategy's network; frozen EXPANSE's keeps the source logits. */
    @Test
    void scenarioSavesItsModels(@TempDir Path dir) throws Exception {
        Path models = dir.resolve("models");
        ok("scenario", "--fixtures", "--strategy", "frozen-expanse,fine-tune", "--seeds", "1", "--epochs-basics", "1",
                "--epochs-source", "1", "--epochs-target", "1", "--backend", "cpu", "--out", dir.resolve("r").toString(),
                "--save-models", models.toString());
        Path source = models.resolve("split-mnist-mlp-r10-source-seed1.safetensors");
        Path frozen = models.resolve("split-mnist-mlp-r10-frozen-expanse-seed1.safetensors");
        assertTrue(Files.isRegularFile(models.resolve("split-mnist-mlp-r10-fine-tune-seed1.safetensors")));
        try (dev.expanse.kernels.Backend be = dev.expanse.kernels.cpu.CpuBackend.vector(2)) {
            dev.expanse.method.strategy.MultiHeadNet a = dev.expanse.method.strategy.MultiHeadNet.load(source, be);
            dev.expanse.method.strategy.MultiHeadNet b = dev.expanse.method.strategy.MultiHeadNet.load(frozen, be);
            Dataset test = Datasets.fixture("mnist", Datasets.Part.TEST);
            float[] before = dev.expanse.engine.train.Trainer.logits(a.view(0), test, 100);
            float[] after = dev.expanse.engine.train.Trainer.logits(b.view(0), test, 100);
            for (int i = 0; i < test.size(); i++) {
                for (int k = 0; k < 5; k++) assertEquals(Float.floatToRawIntBits(before[i * 5 + k]), Float.floatToRawIntBits(after[i * 10 + k]));
            }
            a.release();
            b.release();
        }
        String summary = ok("summary", frozen.toString(), "--backend", "cpu");
        assertTrue(summary.contains("output 9: mnist class 9 (mnist 5-9)") && summary.contains("network: frozen-expanse"), summary);
    }

    @Test
    void aResumeGoesOnFromTheSavedEpoch(@TempDir Path dir) {
        String a = dir.resolve("m.safetensors").toString();
        ok("train", "--fixtures", "--epochs", "1", "--backend", "cpu", "--save", a);
        String out = ok("train", "--resume", a, "--fixtures", "--epochs", "2", "--backend", "cpu", "--save", a);
        assertTrue(out.contains(", 1 epochs,"), "only epoch 2 ran: " + out);
    }

    @Test
    void userErrorsNameTheArgument(@TempDir Path dir) {
        String a = dir.resolve("m.safetensors").toString();
        ok("train", "--fixtures", "--classes", "0-4", "--epochs", "1", "--backend", "cpu", "--save", a);
        MethodCommandsTest.assertError("--plan", run("expand", a, "--plan", "dense1=lots", "--out", dir.resolve("x").toString()));
        MethodCommandsTest.assertError("--policy", run("expand", a, "--plan", "head=+5", "--policy", "maybe", "--out", dir.resolve("x").toString()));
        MethodCommandsTest.assertError("nope", run("expand", a, "--plan", "nope=+5", "--out", dir.resolve("x").toString()));
        MethodCommandsTest.assertError("expand its head first", run("train", "--from", a, "--fixtures", "--classes", "5-9", "--epochs", "1"));
        MethodCommandsTest.assertError("missing.safetensors", run("eval", dir.resolve("missing.safetensors").toString(), "--fixtures"));
        MethodCommandsTest.assertError("--classes", run("train", "--fixtures", "--classes", "3-1"));
    }

    /** A 28x28 fixture image as a grey PNG (white ink on black). */
    private static BufferedImage image(float[] px) {
        BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < px.length; i++) {
            int v = Math.round(255 * px[i]);
            img.setRGB(i % 28, i / 28, v << 16 | v << 8 | v);
        }
        return img;
    }
}
