package dev.expanse.cli;

import dev.expanse.engine.io.Checkpoint;
import dev.expanse.engine.io.ModelInfo;
import dev.expanse.engine.nn.Growth;
import dev.expanse.engine.nn.Layer;
import dev.expanse.kernels.Backend;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code expanse summary}: what a saved model is. */
@Command(name = "summary", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Describe a saved model: layers, growth history, classes.",
                "Per layer its shape and old / new / frozen / trainable parameters, then its growth history,",
                "its class map and where it came from.",
                "Example: expanse summary grown.safetensors"})
final class SummaryCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL", description = "The checkpoint.")
    Path model;

    @Mixin
    BackendOption backend;

    @Mixin
    QuietOption quiet;

    @Override
    public Integer call() throws Exception {
        quiet.progress(); // the backend line off when quiet
        try (Backend be = backend.open(); Checkpoint.Contents c = Checkpoint.load(model, be)) {
            System.out.println(model + ": input " + java.util.Arrays.toString(c.trunk().inputShape()));
            System.out.print(c.trunk().summary());
            for (int i = 0; i < c.heads().size(); i++) {
                System.out.println("head " + (i + 1) + ": " + c.heads().get(i).stream().map(Layer::toString).toList());
            }
            List<Growth> h = c.trunk().history();
            System.out.println(h.isEmpty() ? "growth history: none" : "growth history:");
            for (int i = 0; i < h.size(); i++) {
                Growth g = h.get(i);
                System.out.println("  " + (i + 1) + ". " + g.plan() + ", new neurons " + g.newNeurons() + ", new-to-old " + g.newToOld()
                        + (g.seed() == null ? "" : ", seed " + g.seed()) + ", frozen: " + g.frozen());
            }
            System.out.println(c.info().classes().isEmpty() ? "classes: none recorded" : "classes:");
            for (ModelInfo.OutputClass o : c.info().classes()) {
                System.out.println("  head " + o.head() + " output " + o.output() + ": " + o.dataset() + " class " + o.label()
                        + " (" + o.experience() + ")");
            }
            if (!c.info().provenance().isEmpty()) System.out.println("provenance:");
            c.info().provenance().forEach((k, v) -> System.out.println("  " + k + ": " + v));
        }
        return 0;
    }
}
