package dev.expanse.cli;

import dev.expanse.engine.data.Dataset;
import dev.expanse.engine.data.Datasets;
import dev.expanse.engine.io.Checkpoint;
import dev.expanse.engine.nn.Sequential;
import dev.expanse.engine.train.Evaluation;
import dev.expanse.engine.train.Trainer;
import dev.expanse.kernels.Backend;
import dev.expanse.method.model.Classes;
import dev.expanse.method.model.ModelTraining;
import dev.expanse.engine.io.AtomicFile;
import dev.expanse.method.report.Plots;
import dev.expanse.method.scenario.LogitCheck;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code expanse eval}: a saved model's test accuracy, per class, and its confusion matrix. */
@Command(name = "eval", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Score a saved model: accuracy, per class, and a confusion matrix.",
                "On a test set; the confusion matrix goes to a PNG (MODEL.confusion.png by default).",
                "--compare OLD checks that the model's first outputs give the same logits, bit for bit, as OLD's on the same images.",
                "Example: expanse eval mnist-09.safetensors --dataset mnist --classes 0-4 --compare mnist-04.safetensors"})
final class EvalCommand implements Callable<Integer>, Checked {

    @Parameters(index = "0", paramLabel = "MODEL", description = "The checkpoint to score.")
    Path model;

    @Mixin
    DatasetOption dataset;

    @Mixin
    FixturesOption fixtures;

    @Option(names = "--classes", paramLabel = "LIST", description = "Score on the test images of these classes only, e.g. 5-9. Default: all.")
    String classes;

    @Option(names = "--compare", paramLabel = "OLD", description = "A checkpoint whose logits the model's first outputs should reproduce.")
    Path compare;

    @Option(names = "--confusion", paramLabel = "PNG", description = "Where the confusion-matrix PNG goes. Default: MODEL.confusion.png")
    Path confusion;

    @Mixin
    BackendOption backend;

    @Mixin
    QuietOption quiet;

    @Override
    public void check() {
        dataset.get();
        if (classes != null) Args.option("--classes", () -> Classes.parse(classes, 10));
        if (confusion != null) OutputPaths.file("--confusion", confusion);
    }

    @Override
    public Integer call() throws Exception {
        check();
        int[] cs = classes == null ? null : Classes.parse(classes, 10);
        Dataset test = dataset.get().load(Datasets.Part.TEST, fixtures.on);
        if (cs != null) test = test.filterClasses(cs);
        quiet.progress(); // the backend line off when quiet
        try (Backend be = backend.open(); Sequential net = Sequential.load(model, be)) {
            Evaluation e = Evaluation.of(net, test, 500);
            System.out.printf(Locale.ROOT, "%s on %s test%s (%d images): accuracy %.2f%%%n", model, dataset.get().id(),
                    cs == null ? "" : " classes " + classes, test.size(), 100 * e.accuracy());
            System.out.print(table(e));
            Path png = confusion != null ? confusion : ModelTraining.sibling(model, ".confusion.png");
            AtomicFile.write(png, confusionPng(e));
            System.out.println("confusion matrix: " + png);
            if (compare != null) System.out.println(compare(net, be, test));
        }
        return 0;
    }

    /** | class | images | accuracy |, for the classes with images. */
    static String table(Evaluation e) {
        StringBuilder sb = new StringBuilder("| class | images | accuracy (%) |\n|---|---|---|\n");
        for (int c = 0; c < e.counts().length; c++) {
            if (e.counts()[c] > 0) sb.append(String.format(Locale.ROOT, "| %d | %d | %.2f |%n", c, e.counts()[c], 100 * e.perClass()[c]));
        }
        return sb.toString();
    }

    private static byte[] confusionPng(Evaluation e) throws java.io.IOException {
        List<String> rows = new ArrayList<>(), cols = new ArrayList<>();
        List<double[]> values = new ArrayList<>();
        for (int c = 0; c < e.counts().length; c++) {
            if (e.counts()[c] == 0) continue;
            rows.add("true " + c);
            double[] v = new double[e.confusion()[c].length];
            for (int o = 0; o < v.length; o++) v[o] = (double) e.confusion()[c][o] / e.counts()[c];
            values.add(v);
        }
        for (int o = 0; o < e.confusion()[0].length; o++) cols.add("out " + o);
        return Plots.heatMap("confusion matrix (% of each true class)", rows, cols, values.toArray(new double[0][]));
    }

    /** The first outputs' logits against those of the model in {@link #compare}. */
    private String compare(Sequential net, Backend be, Dataset test) throws java.io.IOException {
        try (Sequential old = Sequential.load(compare, be)) {
            float[] a = Trainer.logits(old, test, 500), b = Trainer.logits(net, test, 500);
            int k = old.outputShape()[0], n = net.outputShape()[0];
            if (k > n) throw new IllegalArgumentException("--compare: " + compare + " has " + k + " outputs, " + model + " only " + n);
            float[] first = new float[test.size() * k];
            for (int i = 0; i < test.size(); i++) System.arraycopy(b, i * n, first, i * k, k);
            LogitCheck check = LogitCheck.compare(a, first);
            return check.identical()
                    ? String.format(Locale.ROOT, "the first %d logits of %d images: bit-identical to %s", k, test.size(), compare)
                    : String.format(Locale.ROOT, "the first %d logits of %d images: %d of %d differ from %s (max |d| %.3g)",
                            k, test.size(), check.mismatches(), check.compared(), compare, check.maxAbsDiff());
        }
    }
}
