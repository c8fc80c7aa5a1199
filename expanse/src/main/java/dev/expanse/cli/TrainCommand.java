package dev.expanse.cli;

import dev.expanse.engine.optim.Optimizer;
import dev.expanse.engine.train.Progress;
import dev.expanse.kernels.Activation;
import dev.expanse.kernels.Backend;
import dev.expanse.method.model.Classes;
import dev.expanse.method.model.ModelTraining;
import dev.expanse.method.scenario.DataSource;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code expanse train}: trains a new model, or goes on from a checkpoint, on some classes of a dataset. */
@Command(name = "train", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Train an MLP or a LeNet-style CNN, new or from a checkpoint.",
                "On MNIST or Fashion-MNIST (full, or --fixtures), some or all of their classes.",
                "Holds out a validation split, prints one line per epoch, then the test accuracy; with --save it writes the",
                "checkpoint (with the optimizer's state, after every epoch), MODEL.history.csv and MODEL.curves.png.",
                "Examples:",
                "  expanse train --dataset mnist --classes 0-4 --epochs 3 --save mnist-04.safetensors",
                "  expanse train --from grown.safetensors --classes 5-9 --rehearsal 0.1 --save mnist-09.safetensors",
                "  expanse train --resume mnist-04.safetensors --classes 0-4 --epochs 5 --save mnist-04.safetensors"})
final class TrainCommand implements Callable<Integer>, Checked {

    @Option(names = "--model", paramLabel = "ARCH", description = "A new model: mlp (784-300-200-N) or lenet (conv5-pool-conv5-pool-dense). Default: ${DEFAULT-VALUE}")
    String model = "mlp";

    @Option(names = "--activation", description = "A new model's hidden activation: relu, leaky-relu, tanh, sigmoid or gelu. Default: ${DEFAULT-VALUE}")
    String activation = Activation.RELU.id();

    @Option(names = "--from", paramLabel = "MODEL", description = "Go on from this checkpoint with a fresh optimizer (e.g. after expanse expand).")
    Path from;

    @Option(names = "--resume", paramLabel = "MODEL", description = "Resume this checkpoint exactly: its optimizer state and epoch count; --epochs is the total.")
    Path resume;

    @Mixin
    DatasetOption dataset;

    @Mixin
    FixturesOption fixtures;

    @Option(names = "--classes", paramLabel = "LIST", description = "The classes to train on, e.g. 0-4 or 5,7,9. Default: all.")
    String classes;

    @Option(names = "--rehearsal", paramLabel = "FRACTION", description = "Going on from a checkpoint: the share of the training data of the classes it already knows that is kept (0.1, 10%%, 2/3). Default: ${DEFAULT-VALUE}")
    String rehearsal = "0";

    @Option(names = "--epochs", description = "Default: ${DEFAULT-VALUE}")
    int epochs = 3;

    @Option(names = "--batch", description = "Mini-batch size. Default: ${DEFAULT-VALUE}")
    int batch = 64;

    @Mixin
    LearningRateOption lr;

    @Option(names = "--lr-decay", description = "Multiply the learning rate by this after each epoch. Default: ${DEFAULT-VALUE}")
    float lrDecay = 1f;

    @Option(names = "--validation", paramLabel = "FRACTION", description = "Share of the training data held out for validation (0 for none). Default: ${DEFAULT-VALUE}")
    double validation = 0.1;

    @Option(names = "--early-stop", paramLabel = "EPOCHS", description = "Stop after this many epochs without a better validation accuracy. Default: never.")
    int earlyStop;

    @Option(names = "--seed", description = "Seed of every random draw. Default: ${DEFAULT-VALUE}")
    long seed = 1;

    @Mixin
    BackendOption backend;

    @Option(names = "--save", paramLabel = "MODEL", description = "Write the model here (safetensors), after every epoch.")
    Path save;

    @Mixin
    QuietOption quiet;

    @Override
    public Integer call() throws Exception {
        ModelTraining.Config c = config();
        Progress progress = quiet.progress();
        try (Backend be = backend.open()) {
            ModelTraining.Result r = ModelTraining.run(c, be, progress);
            System.out.print(r.summary());
            String what = c.dataset().id() + (c.fixtures() ? " (fixtures)" : "") + (classes == null ? "" : " classes " + classes);
            System.out.printf(Locale.ROOT, "%s on %s, %d epochs, backend %s: test accuracy %.2f%%%n",
                    from != null || resume != null ? "model" : model, what, r.history().epochs().size(), r.backend(), 100 * r.testAccuracy());
            if (r.known().length > (c.classes() == null ? Integer.MAX_VALUE : c.classes().length)) {
                System.out.printf(Locale.ROOT, "on every class the model knows (%s): test accuracy %.2f%%%n",
                        Classes.format(r.known()), 100 * r.knownAccuracy());
            }
            if (save != null) System.out.println("saved " + save + " (history " + ModelTraining.sibling(save, ".history.csv") + ")");
        }
        return 0;
    }

    @Override
    public void check() {
        config();
    }

    /** The run, every option (and --save's folder) checked before any work. */
    ModelTraining.Config config() {
        Args.atLeast("--epochs", epochs, 1);
        Optimizer.checkLearningRate("--lr", lr.rate);
        if (save != null) OutputPaths.file("--save", save);
        Args.atLeast("--batch", batch, 1);
        Args.atLeast("--early-stop", earlyStop, 0);
        if (!(lrDecay > 0 && lrDecay <= 1)) throw new IllegalArgumentException("--lr-decay must be in (0, 1], got " + lrDecay);
        if (!(validation >= 0 && validation < 1)) throw new IllegalArgumentException("--validation must be in [0, 1), got " + validation);
        if (!model.equals("mlp") && !model.equals("lenet")) throw new IllegalArgumentException("--model: unknown architecture '" + model + "' (mlp, lenet)");
        if (from != null && resume != null) throw new IllegalArgumentException("--from and --resume: give one of them");
        Activation f = Args.option("--activation", () -> Activation.byId(activation));
        DataSource data = dataset.get();
        int[] cs = classes == null ? null : Args.option("--classes", () -> Classes.parse(classes, 10));
        double kept = Args.fraction("--rehearsal", rehearsal);
        return new ModelTraining.Config(model, f, from, resume, data, fixtures.on, cs, kept, epochs, batch, lr.rate, lrDecay,
                validation, earlyStop, seed, save);
    }
}
