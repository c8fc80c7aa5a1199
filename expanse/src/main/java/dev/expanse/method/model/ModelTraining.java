package dev.expanse.method.model;

import dev.expanse.engine.Rng;
import dev.expanse.engine.data.Dataset;
import dev.expanse.engine.data.Datasets;
import dev.expanse.engine.io.Checkpoint;
import dev.expanse.engine.io.CheckpointException;
import dev.expanse.engine.io.ModelInfo;
import dev.expanse.engine.nn.Architectures;
import dev.expanse.engine.nn.Sequential;
import dev.expanse.engine.optim.Adam;
import dev.expanse.engine.optim.Optimizer;
import dev.expanse.engine.train.Callback;
import dev.expanse.engine.train.Fit;
import dev.expanse.engine.train.FitOptions;
import dev.expanse.engine.train.History;
import dev.expanse.engine.train.LearningRate;
import dev.expanse.engine.train.Progress;
import dev.expanse.engine.train.Trainer;
import dev.expanse.kernels.Activation;
import dev.expanse.kernels.Backend;
import dev.expanse.engine.io.AtomicFile;
import dev.expanse.method.report.Plots;
import dev.expanse.method.scenario.DataSource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@code expanse train} does: train a new model, or go on from a checkpoint, on some classes
 * of a dataset (with a rehearsed fraction of the classes the model already knows), then save it
 * with its optimizer state, its history as CSV and its learning curves as PNG beside it.
 *
 * <p>Outputs are class labels: output i scores label i of the dataset, so a model trained on
 * classes 0-4 has 5 outputs, and after an expansion of its head by 5 it can learn 5-9.
 */
public final class ModelTraining {
    private ModelTraining() {
    }

    /**
     * One training run.
     *
     * @param arch       "mlp" (784-300-200-N) or "lenet" (16/32 filters), for a new model
     * @param activation the hidden layers' activation of a new model
     * @param from       a checkpoint to go on from with a fresh optimizer (e.g. after an expansion), or null
     * @param resume     a checkpoint to resume exactly (its optimizer state and epoch count), or null
     * @param classes    the labels trained on; null for all
     * @param rehearsal  the fraction of the training data of the other classes the model knows that is kept
     * @param epochs     train until this epoch
     * @param lrDecay    the learning rate is multiplied by this after each epoch
     * @param validation the share of the training data held out for validation (0 for none)
     * @param earlyStop  stop after this many epochs without a better validation accuracy; 0 never
     * @param save       where the model goes (after every epoch), or null
     */
    public record Config(String arch, Activation activation, Path from, Path resume, DataSource dataset, boolean fixtures,
                         int[] classes, double rehearsal, int epochs, int batch, float learningRate, float lrDecay,
                         double validation, int earlyStop, long seed, Path save) {
    }

    /** The outcome: the model's summary after training, per epoch figures, and test accuracy on the classes trained and on every class the model knows. */
    public record Result(String summary, History history, double testAccuracy, double knownAccuracy, int[] known, String backend) {
    }

    /** Runs {@code c} on {@code be}; progress goes to {@code progress}. */
    public static Result run(Config c, Backend be, Progress progress) throws IOException {
        Dataset train = c.dataset().load(Datasets.Part.TRAIN, c.fixtures()), test = c.dataset().load(Datasets.Part.TEST, c.fixtures());
        int[] classes = c.classes() != null ? c.classes() : allLabels(train.numClasses());
        Start start = start(c, be, train, classes);
        try (Sequential net = start.model) {
            ModelInfo info = start.info;
            int[] before = known(info, net);
            int[] rehearsed = Arrays.stream(before).filter(l -> Arrays.binarySearch(classes, l) < 0).toArray();
            Dataset data = train.filterClasses(classes);
            if (rehearsed.length > 0 && c.rehearsal() > 0) {
                data = data.concat(train.filterClasses(rehearsed).subsample(c.rehearsal(), new Rng(c.seed()).fork("rehearsal")));
            }
            String experience = c.dataset().id() + " " + Classes.format(classes);
            for (int l : classes) info = info.withClasses(0, l, c.dataset().id(), new int[] {l}, experience);
            ModelInfo base = info.with("dataset", c.dataset().id() + (c.fixtures() ? " (fixtures)" : "")).with("trained_classes", Classes.format(classes))
                    .with("learning_rate", Float.toString(c.learningRate())).with("seed", Long.toString(c.seed()));
            FitOptions options = new FitOptions().epochs(c.epochs()).batchSize(c.batch()).seed(c.seed()).progress(progress)
                    .learningRate(LearningRate.decay(c.learningRate(), c.lrDecay())).validationSplit(c.validation())
                    .resumeAfter(start.epochsDone);
            if (c.save() != null) {
                Optimizer opt = start.optimizer;
                options.callback(h -> {
                    Checkpoint.save(c.save(), net, base.with("epochs_done", Integer.toString(h.last().epoch())), opt);
                    h.writeCsv(sibling(c.save(), ".history.csv"));
                    return false;
                });
            }
            if (c.earlyStop() > 0) options.callback(Callback.earlyStopping(c.earlyStop(), 0));
            History h = Fit.fit(net, start.optimizer, data, options);
            if (c.save() != null) AtomicFile.write(sibling(c.save(), ".curves.png"), curves(h));
            int[] now = known(base, net);
            double testAcc = Trainer.accuracy(net, test.filterClasses(classes), 500);
            double knownAcc = Trainer.accuracy(net, test.filterClasses(now), 500);
            return new Result(net.summary(), h, testAcc, knownAcc, now, be.name());
        }
    }

    /** The model, its info, its optimizer and the epochs already done. */
    private record Start(Sequential model, ModelInfo info, Optimizer optimizer, int epochsDone) {
    }

    private static Start start(Config c, Backend be, Dataset train, int[] classes) throws IOException {
        Path file = c.resume() != null ? c.resume() : c.from();
        if (file == null) {
            int outputs = classes[classes.length - 1] + 1;
            Rng init = new Rng(c.seed()).fork("init");
            Sequential net = c.arch().equals("lenet")
                    ? Architectures.lenet(be, init, train.channels(), train.height(), train.width(), 16, 32, outputs, c.activation())
                    : Architectures.mlp(be, init, train.features(), new int[] {300, 200}, outputs, c.activation());
            return new Start(net, ModelInfo.empty(), new Adam(net::parameters, c.learningRate()), 0);
        }
        Checkpoint.Contents cp = Checkpoint.load(file, be);
        Sequential net = cp.trunk();
        try {
            check(file, net, train, classes, cp);
            if (c.resume() != null) {
                if (cp.optimizer() == null) throw new CheckpointException(file, "holds no optimizer state to resume from (use --from)");
                String done = cp.info().provenance().getOrDefault("epochs_done", "0");
                return new Start(net, cp.info(), Optimizer.fromState(cp.optimizer(), net::parameters), Integer.parseInt(done));
            }
            return new Start(net, cp.info(), new Adam(net::parameters, c.learningRate()), 0);
        } catch (IOException | RuntimeException e) {
            cp.close();
            throw e;
        }
    }

    /** The checkpoint must take these images and have an output for every class trained. */
    private static void check(Path file, Sequential net, Dataset train, int[] classes, Checkpoint.Contents cp) throws CheckpointException {
        if (!cp.heads().isEmpty()) throw new CheckpointException(file, "has " + cp.heads().size() + " extra heads; train takes single-head models");
        int features = Arrays.stream(net.inputShape()).reduce(1, (a, b) -> a * b);
        if (features != train.features()) {
            throw new CheckpointException(file, "takes " + Arrays.toString(net.inputShape()) + " inputs, the dataset's images are "
                    + train.channels() + "x" + train.height() + "x" + train.width());
        }
        int outputs = net.outputShape()[0], need = classes[classes.length - 1] + 1;
        if (outputs < need) {
            throw new CheckpointException(file, "has " + outputs + " outputs, class " + (need - 1) + " needs " + need
                    + ": expand its head first (expanse expand --plan head=+" + (need - outputs) + ")");
        }
    }

    /** Labels the model has learnt (its class map), within its outputs. */
    private static int[] known(ModelInfo info, Sequential net) {
        return Arrays.stream(info.labels(0, net.outputShape()[0])).filter(l -> l >= 0).sorted().distinct().toArray();
    }

    private static int[] allLabels(int n) {
        int[] l = new int[n];
        Arrays.setAll(l, i -> i);
        return l;
    }

    private static byte[] curves(History h) throws IOException {
        Map<String, double[]> s = new LinkedHashMap<>();
        s.put("train accuracy", h.epochs().stream().mapToDouble(History.Epoch::accuracy).toArray());
        double[] val = h.epochs().stream().mapToDouble(History.Epoch::valAccuracy).filter(v -> !Double.isNaN(v)).toArray();
        if (val.length > 0) s.put("validation accuracy", val);
        return Plots.curves("learning curves", "accuracy (%)", s);
    }

    /** {@code model.safetensors} to {@code model<suffix>}. */
    public static Path sibling(Path checkpoint, String suffix) {
        String name = checkpoint.getFileName().toString();
        String stem = name.endsWith(".safetensors") ? name.substring(0, name.length() - ".safetensors".length()) : name;
        return checkpoint.resolveSibling(stem + suffix);
    }
}
