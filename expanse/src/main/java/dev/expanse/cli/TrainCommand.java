package dev.expanse.cli;

import dev.expanse.engine.Rng;
import dev.expanse.engine.data.Dataset;
import dev.expanse.engine.data.Datasets;
import dev.expanse.engine.io.Safetensors;
import dev.expanse.engine.nn.Architectures;
import dev.expanse.engine.nn.Sequential;
import dev.expanse.engine.optim.Adam;
import dev.expanse.engine.optim.Optimizer;
import dev.expanse.engine.train.Progress;
import dev.expanse.engine.train.Trainer;
import dev.expanse.kernels.Activation;
import dev.expanse.kernels.Backend;
import dev.expanse.method.scenario.DataSource;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code expanse train}: trains an MLP or a LeNet-style CNN on MNIST or Fashion-MNIST. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a network on MNIST or Fashion-MNIST (the full sets: run scripts/fetch-data.sh first; "
                + "--fixtures: the small committed ones), printing one line per epoch and the test accuracy.")
final class TrainCommand implements Callable<Integer>, Checked {

    enum Model { mlp, lenet }

    @Option(names = "--model", description = "mlp (784-300-200-10) or lenet (conv5-pool-conv5-pool-dense). Default: ${DEFAULT-VALUE}")
    Model model = Model.mlp;

    @Option(names = "--activation", description = "The hidden layers' activation: relu, leaky-relu, tanh, sigmoid or gelu. Default: ${DEFAULT-VALUE}")
    String activation = Activation.RELU.id();

    @Mixin
    DatasetOption dataset;

    @Mixin
    FixturesOption fixtures;

    @Option(names = "--epochs", description = "Default: ${DEFAULT-VALUE}")
    int epochs = 3;

    @Option(names = "--batch", description = "Mini-batch size. Default: ${DEFAULT-VALUE}")
    int batch = 64;

    @Mixin
    LearningRateOption lr;

    @Option(names = "--lr-decay", description = "Multiply the learning rate by this after each epoch. Default: ${DEFAULT-VALUE}")
    float lrDecay = 1f;

    @Option(names = "--seed", description = "Seed of every random draw. Default: ${DEFAULT-VALUE}")
    long seed = 1;

    @Mixin
    BackendOption backend;

    @Option(names = "--save", description = "Write the trained weights to this safetensors file.")
    Path save;

    @Override
    public void check() {
        Args.atLeast("--epochs", epochs, 1);
        Args.atLeast("--batch", batch, 1);
        Optimizer.checkLearningRate("--lr", lr.rate);
        if (!(lrDecay > 0 && lrDecay <= 1)) throw new IllegalArgumentException("--lr-decay must be in (0, 1], got " + lrDecay);
        Args.option("--activation", () -> Activation.byId(activation));
        if (save != null) OutputPaths.file("--save", save);
        dataset.get();
    }

    @Override
    public Integer call() throws Exception {
        check();
        Activation f = Activation.byId(activation);
        DataSource data = dataset.get();
        Dataset trainSet = data.load(Datasets.Part.TRAIN, fixtures.on), testSet = data.load(Datasets.Part.TEST, fixtures.on);
        try (Backend be = backend.open()) {
            Rng rng = new Rng(seed);
            Sequential net = model == Model.mlp
                    ? Architectures.mlp(be, rng.fork("init"), trainSet.features(), new int[] {300, 200}, 10, f)
                    : Architectures.lenet(be, rng.fork("init"), trainSet.channels(), trainSet.height(), trainSet.width(), 16, 32, 10, f);
            System.out.print(net.summary());
            Adam adam = new Adam(net::parameters, lr.rate);
            Progress progress = new Progress(System.err);
            Rng shuffle = rng.fork("shuffle");
            for (int e = 1; e <= epochs; e++) {
                Trainer.EpochStats s = Trainer.epoch(net, adam, trainSet, batch, shuffle, progress, "epoch " + e);
                double acc = Trainer.accuracy(net, testSet, 500);
                progress.line(String.format("epoch %d/%d  loss %.4f  train acc %.2f%%  test acc %.2f%%  %.1fs",
                        e, epochs, s.loss(), 100 * s.accuracy(), 100 * acc, s.seconds()));
                adam.setLearningRate(adam.learningRate() * lrDecay);
            }
            double acc = Trainer.accuracy(net, testSet, 500);
            String what = data.id() + (fixtures.on ? " (fixture)" : "");
            System.out.printf("%s on %s, %d epochs, backend %s: test accuracy %.2f%%%n", model, what, epochs, be.name(), 100 * acc);
            if (save != null) {
                Safetensors.save(save, net.parameters(), Map.of("model", model.name(), "activation", f.id(), "dataset", data.id()));
                System.out.println("saved " + save);
            }
        }
        return 0;
    }
}
