package dev.expanse.cli;

import dev.expanse.engine.train.Progress;
import dev.expanse.kernels.Backend;
import dev.expanse.method.explain.Explain;
import dev.expanse.method.explain.ExplainConfig;
import dev.expanse.method.explain.ExpansionRun;
import dev.expanse.method.explain.Findings;
import dev.expanse.method.explain.Section;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code expanse explain}: draws one real expansion, cell by cell, as a page a learner can read. */
@Command(name = "explain", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Draw a small real expansion as a page a learner can read.",
                "Runs classes 0-4, then 5-9, with frozen and with published EXPANSE, and writes OUT/explain.html (one",
                "self-contained page: every weight matrix before, right after and after training, the gradient of one step,",
                "first-layer neurons, activations and logits bit for bit, the accuracy matrix) and the pictures in OUT/figures.",
                "Example: expanse explain --fixtures --out results/explain"})
final class ExplainCommand implements Callable<Integer> {

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder to write explain.html and figures/ into.")
    Path out;

    @Option(names = "--arch", paramLabel = "NAME",
            description = "mlp (784-16-8-5 grown to 784-24-12-10) or cnn (conv 4-8 filters grown to 6-12, head 5 to 10). Default: ${DEFAULT-VALUE}")
    String arch = "mlp";

    @Mixin
    DatasetOption dataset;

    @Mixin
    FixturesOption fixtures;

    @Option(names = "--seed", description = "Seed of every random draw. Default: ${DEFAULT-VALUE}")
    long seed = 1;

    @Option(names = "--epochs", paramLabel = "N",
            description = "Epochs of the source phase and of each target phase. Default: mlp 3 on the full data and 40 on the fixtures; cnn 1 and 12.")
    Integer epochs;

    @Mixin
    BackendOption backend;

    @Mixin
    QuietOption quiet;

    @Override
    public Integer call() throws Exception {
        ExplainConfig.Arch a = Args.option("--arch", () -> ExplainConfig.Arch.parse(arch));
        int n = epochs == null ? ExplainConfig.defaultEpochs(a, fixtures.on) : Args.atLeast("--epochs", epochs, 1);
        ExplainConfig config = new ExplainConfig(a, dataset.get(), fixtures.on, seed, n, ExplainConfig.REHEARSAL);
        Args.option("--out", () -> {
            Explain.checkWritable(out);
            return out;
        });
        Progress progress = quiet.progress();
        try (Backend be = backend.open()) {
            Findings f = ExpansionRun.run(config, be, progress);
            List<Section> sections = Explain.write(f, out, Explain.checkoutRoot());
            long figures = sections.stream().mapToLong(s -> s.figures().size()).sum();
            System.out.printf(Locale.ROOT, "wrote %s (%d figures, also as PNG files in %s) in %.1fs%n",
                    out.resolve(Explain.PAGE), figures, out.resolve(Explain.FIGURES), f.seconds());
        }
        return 0;
    }
}
