package dev.expanse.cli;

import dev.expanse.engine.io.Checkpoint;
import dev.expanse.engine.io.CheckpointException;
import dev.expanse.engine.train.Prediction;
import dev.expanse.kernels.Backend;
import dev.expanse.method.model.ImageFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code expanse predict}: classifies image files with a saved model. */
@Command(name = "predict", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Classify image files (PNG, JPEG or IDX) with a saved model.",
                "PNG or JPEG files of any size are framed as MNIST frames its digits;",
                "or IDX image files; prints the top classes with their probabilities.",
                "Example: expanse predict mnist-09.safetensors digit.png --top 3"})
final class PredictCommand implements Callable<Integer>, Checked {

    @Parameters(index = "0", paramLabel = "MODEL", description = "The checkpoint.")
    Path model;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "FILE", description = "Images: PNG, JPEG or IDX.")
    List<Path> files;

    @Option(names = "--top", paramLabel = "K", description = "How many classes to show per image. Default: ${DEFAULT-VALUE}")
    int top = 3;

    @Mixin
    BackendOption backend;

    @Mixin
    QuietOption quiet;

    @Override
    public void check() {
        Args.atLeast("--top", top, 1);
    }

    @Override
    public Integer call() throws Exception {
        check();
        List<ImageFiles.Image> images = new ArrayList<>();
        for (Path f : files) images.addAll(ImageFiles.read(f)); // every file is read before the model
        quiet.progress(); // the backend line off when quiet
        try (Backend be = backend.open(); Checkpoint.Contents c = Checkpoint.load(model, be)) {
            if (!c.heads().isEmpty()) throw new CheckpointException(model, "has extra heads; predict takes single-head models");
            int features = 1;
            for (int d : c.trunk().inputShape()) features *= d;
            float[] x = new float[images.size() * features];
            for (int i = 0; i < images.size(); i++) {
                float[] px = images.get(i).pixels();
                if (px.length != features) throw new IllegalArgumentException(images.get(i).name() + ": " + px.length
                        + " pixels, the model takes " + features);
                System.arraycopy(px, 0, x, i * features, features);
            }
            int[] labels = c.info().labels(0, c.trunk().outputShape()[0]);
            List<Prediction> ps = Prediction.of(c.trunk(), x, images.size(), top);
            for (int i = 0; i < ps.size(); i++) {
                StringBuilder line = new StringBuilder(images.get(i).name()).append(':');
                for (Prediction.Scored s : ps.get(i).top()) {
                    String label = labels[s.output()] >= 0 ? Integer.toString(labels[s.output()]) : "output " + s.output();
                    line.append(String.format(Locale.ROOT, "  %s %.2f%%", label, 100 * s.probability()));
                }
                System.out.println(line);
            }
        }
        return 0;
    }
}
