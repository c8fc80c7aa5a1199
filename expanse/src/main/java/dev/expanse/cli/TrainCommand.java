package dev.expanse.cli;

import dev.expanse.engine.Rng;
import dev.expanse.engine.data.Dataset;
import dev.expanse.engine.data.Datasets;
import dev.expanse.engine.io.Safetensors;
import dev.expanse.engine.nn.Architectures;
import dev.expanse.engine.nn.Sequential;
import dev.expanse.engine.optim.Adam;
import dev.expanse.engine.train.Progress;
import dev.expanse.engine.train.Trainer;
import dev.expanse.kernels.Backend;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code expanse train}: trains an MLP or a LeNet-style CNN on MNIST or Fashion-MNIST. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a network on full MNIST or Fashion-MNIST (run scripts/fetch-data.sh first), "
                + "printing one line per epoch and the test accuracy.")
final class TrainCommand implements Callable<Integer> {

    enum Model { mlp, lenet }

    @Option(names = "--model", description = "mlp (784-300-200-10) or lenet (conv5-pool-conv5-pool-dense). Default: ${DEFAULT-VALUE}")
    Model model = Model.mlp;

    @Option(names = "--dataset", description = "mnist or fashion-mnist. Default: ${DEFAULT-VALUE}")
    String dataset = "mnist";

    @Option(names = "--epochs", description = "Default: ${DEFAULT-VALUE}")
    int epochs = 3;

    @Option(names = "--batch", description = "Mini-batch size. Default: ${DEFAULT-VALUE}")
    int batch = 64;

    @Option(names = "--lr", description = "Adam learning rate. Default: ${DEFAULT-VALUE}")
    float lr = 1e-3f;

    @Option(names = "--lr-decay", description = "Multiply the learning rate by this after each epoch. Default: ${DEFAULT-VALUE}")
    float lrDecay = 1f;

    @Option(names = "--seed", description = "Seed of every random draw. Default: ${DEFAULT-VALUE}")
    long seed = 1;

    @Option(names = "--backend", description = "cpu, opencl, opencl:<device>, or auto. Default: ${DEFAULT-VALUE}")
    String backend = "auto";

    @Option(names = "--save", description = "Write the trained weights to this safetensors file.")
    Path save;

    @Override
    public Integer call() throws Exception {
        if (epochs < 1 || batch < 1) throw new IllegalArgumentException("--epochs and --batch must be >= 1");
        if (!(lrDecay > 0 && lrDecay <= 1)) throw new IllegalArgumentException("--lr-decay must be in (0, 1], got " + lrDecay);
        Datasets.Part train = Datasets.Part.TRAIN, test = Datasets.Part.TEST;
        Dataset trainSet, testSet;
        switch (dataset) {
            case "mnist" -> { trainSet = Datasets.mnist(train); testSet = Datasets.mnist(test); }
            case "fashion-mnist", "fashion" -> { trainSet = Datasets.fashionMnist(train); testSet = Datasets.fashionMnist(test); }
            default -> throw new IllegalArgumentException("--dataset must be mnist or fashion-mnist, got '" + dataset + "'");
        }
        try (Backend be = BackendChoice.open(backend)) {
            Rng rng = new Rng(seed);
            Sequential net = model == Model.mlp
                    ? Architectures.mlp(be, rng.fork("init"), trainSet.features(), new int[] {300, 200}, 10)
                    : Architectures.lenet(be, rng.fork("init"), trainSet.channels(), trainSet.height(), trainSet.width(), 16, 32, 10);
            System.out.print(net.summary());
            Adam adam = new Adam(net::parameters, lr);
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
            System.out.printf("%s on %s, %d epochs, backend %s: test accuracy %.2f%%%n",
                    model, dataset, epochs, be.name(), 100 * acc);
            if (save != null) {
                Safetensors.save(save, net.parameters(), Map.of("model", model.name(), "dataset", dataset));
                System.out.println("saved " + save);
            }
        }
        return 0;
    }
}
