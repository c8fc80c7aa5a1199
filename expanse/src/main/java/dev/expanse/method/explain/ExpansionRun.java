package dev.expanse.method.explain;

import dev.expanse.engine.Init;
import dev.expanse.engine.Parameter;
import dev.expanse.engine.Rng;
import dev.expanse.engine.Tape;
import dev.expanse.engine.Tensor;
import dev.expanse.engine.data.Dataset;
import dev.expanse.engine.data.Datasets;
import dev.expanse.engine.nn.ActivationLayer;
import dev.expanse.engine.nn.Dense;
import dev.expanse.engine.nn.Layer;
import dev.expanse.engine.optim.Adam;
import dev.expanse.engine.train.Model;
import dev.expanse.engine.train.Progress;
import dev.expanse.engine.train.Trainer;
import dev.expanse.kernels.Backend;
import dev.expanse.method.metrics.AccuracyMatrix;
import dev.expanse.method.scenario.Training;
import dev.expanse.method.strategy.Adapted;
import dev.expanse.method.strategy.FrozenExpanse;
import dev.expanse.method.strategy.MultiHeadNet;
import dev.expanse.method.strategy.PublishedExpanse;
import dev.expanse.method.strategy.Strategy;
import dev.expanse.method.strategy.Transfer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The real expansion that {@code expanse explain} draws: a source network trained on classes 0-4,
 * copied, then for each of frozen EXPANSE and published EXPANSE widened by the strategy's own
 * {@code adapt} and trained on classes 5-9. It copies every weight matrix before expansion, right
 * after it and after target training, the gradient of the first target step, and the activations
 * and logits of a few test images.
 */
public final class ExpansionRun {
    private static final int PROBES_PER_TASK = 3;

    private final ExplainConfig config;
    private final Backend backend;
    private final Progress progress;
    private final Rng rng;
    private Dataset sourceTrain, sourceTest, targetTrain, targetTest, probes;
    private int[] inputShape;

    private ExpansionRun(ExplainConfig config, Backend backend, Progress progress) {
        this.config = config;
        this.backend = backend;
        this.progress = progress;
        this.rng = new Rng(config.seed());
    }

    /**
     * Loads the data, trains the source network, then adapts and trains a copy of it with each
     * strategy. Progress lines go to {@code progress}.
     *
     * @throws IOException if the data cannot be read (the full sets need scripts/fetch-data.sh)
     */
    public static Findings run(ExplainConfig config, Backend backend, Progress progress) throws IOException {
        ExpansionRun r = new ExpansionRun(config, backend, progress);
        r.load();
        return r.go();
    }

    private void load() throws IOException {
        Dataset train = config.data().load(Datasets.Part.TRAIN, config.fixtures());
        Dataset test = config.data().load(Datasets.Part.TEST, config.fixtures());
        sourceTrain = train.filterClasses(ExplainConfig.SOURCE_CLASSES);
        targetTrain = train.filterClasses(ExplainConfig.TARGET_CLASSES);
        sourceTest = test.filterClasses(ExplainConfig.SOURCE_CLASSES);
        targetTest = test.filterClasses(ExplainConfig.TARGET_CLASSES);
        probes = firstOfDistinctClasses(sourceTest).concat(firstOfDistinctClasses(targetTest));
        inputShape = config.arch() == ExplainConfig.Arch.MLP
                ? new int[] {train.features()} : new int[] {train.channels(), train.height(), train.width()};
    }

    /** The first test image of each of the first few classes, so the probed digits differ. */
    private static Dataset firstOfDistinctClasses(Dataset d) {
        List<Integer> picked = new ArrayList<>();
        List<Integer> seen = new ArrayList<>();
        for (int i = 0; i < d.size() && picked.size() < PROBES_PER_TASK; i++) {
            if (seen.contains(d.label(i))) continue;
            seen.add(d.label(i));
            picked.add(i);
        }
        return d.select(picked.stream().mapToInt(Integer::intValue).toArray());
    }

    private Findings go() {
        long t0 = System.nanoTime();
        progress.line("explain: " + config.describe());
        MultiHeadNet source = newSourceNet(rng.fork("source/init"));
        double sourceSeconds = train(source.view(0), source, sourceTrain, "source (classes 0-4)", rng.fork("source/shuffle"));
        double[] sourceAcc = {Training.accuracy(source.view(0), sourceTest), Training.accuracy(source.view(0), targetTest)};
        progress.line(String.format(Locale.ROOT, "explain: source network: %.2f%% on classes 0-4 (%.1fs)", 100 * sourceAcc[0], sourceSeconds));
        String summaryBefore = source.summary();
        List<MatrixState> before = weights(source.parameters(), false);
        Probe sourceProbe = probe(source);
        List<float[]> values = source.snapshot();
        source.release();
        List<StrategyRun> runs = new ArrayList<>();
        for (Strategy s : List.of(new FrozenExpanse(), new PublishedExpanse())) {
            runs.add(runStrategy(s, values, sourceAcc, sourceProbe));
        }
        return new Findings(config, summaryBefore, before, sourceProbe, probes, runs, (System.nanoTime() - t0) / 1e9);
    }

    private MultiHeadNet newSourceNet(Rng init) {
        MultiHeadNet net = new MultiHeadNet(config.arch().spec().trunk(backend, init, inputShape, false));
        net.addHead(new Dense("head", backend, net.trunkFeatures(), ExplainConfig.SOURCE_CLASSES.length, Init.XAVIER_NORMAL, init));
        return net;
    }

    /** Trains {@code view} for the configured epochs; returns the seconds spent. */
    private double train(Model view, MultiHeadNet net, Dataset data, String what, Rng shuffle) {
        Adam adam = new Adam(net::parameters, ExplainConfig.LEARNING_RATE);
        return train(view, adam, data, what, shuffle);
    }

    private double train(Model view, dev.expanse.engine.optim.Optimizer opt, Dataset data, String what, Rng shuffle) {
        double seconds = 0;
        for (int e = 1; e <= config.epochs(); e++) {
            String label = "explain: " + what + " epoch " + e + "/" + config.epochs();
            Trainer.EpochStats st = Trainer.epoch(view, opt, data, ExplainConfig.BATCH, shuffle, progress, label);
            seconds += st.seconds();
            progress.line(String.format(Locale.ROOT, "%s  loss %.4f  train acc %.2f%%  %.1fs", label, st.loss(), 100 * st.accuracy(), st.seconds()));
        }
        return seconds;
    }

    private StrategyRun runStrategy(Strategy s, List<float[]> sourceValues, double[] sourceAcc, Probe sourceProbe) {
        MultiHeadNet net = newSourceNet(new Rng(0));
        net.restore(sourceValues);
        Transfer t = new Transfer(net, config.arch().spec(), inputShape, Transfer.Mode.GROW_HEAD,
                ExplainConfig.SOURCE_CLASSES.length, ExplainConfig.TARGET_CLASSES.length);
        Adapted a = s.adapt(t, rng.fork("adapt/" + s.id()));
        Model view = a.net().view(0);
        List<MatrixState> expanded = weights(a.net().parameters(), false);
        String summary = a.net().summary();
        double targetBefore = Training.accuracy(view, targetTest);
        FirstStepGradients opt = new FirstStepGradients(new Adam(a.net()::parameters, ExplainConfig.LEARNING_RATE), a.net()::parameters);
        Dataset data = targetTrain.concat(sourceTrain.subsample(config.rehearsal(), rng.fork("rehearsal")));
        double seconds = train(view, opt, data, s.id() + " target (classes 5-9 + rehearsal)", rng.fork("target/shuffle"));
        double[] after = {Training.accuracy(view, sourceTest), Training.accuracy(view, targetTest)};
        progress.line(String.format(Locale.ROOT, "explain: %s: %.2f%% on 0-4, %.2f%% on 5-9", s.id(), 100 * after[0], 100 * after[1]));
        AccuracyMatrix m = new AccuracyMatrix(List.of("0-4", "5-9"), new double[][] {sourceAcc, after},
                new double[] {Double.NaN, targetBefore}, new double[] {Double.NaN, Double.NaN});
        StrategyRun run = new StrategyRun(s.id(), title(s), summary, expanded, weights(opt.first(), true),
                weights(a.net().parameters(), false), probe(a.net()), m, seconds);
        a.net().release();
        return run;
    }

    private static String title(Strategy s) {
        return s instanceof FrozenExpanse ? "frozen EXPANSE" : "published EXPANSE";
    }

    /** The weight matrices (not the biases) among {@code params}, or among gradient states already copied. */
    private static List<MatrixState> weights(List<?> params, boolean states) {
        List<MatrixState> out = new ArrayList<>();
        for (Object o : params) {
            MatrixState m = states ? (MatrixState) o : MatrixState.of((Parameter) o);
            if (m.name().endsWith(".weight")) out.add(m);
        }
        return out;
    }

    /** Runs the probe images through the trunk layer by layer, keeping every activation layer's output, then the head. */
    private Probe probe(MultiHeadNet net) {
        List<Probe.Activity> layers = new ArrayList<>();
        float[][] logits = new float[probes.size()][];
        try (Tape tape = new Tape(backend, false)) {
            Tensor x = tape.constant(imagesOf(probes), Trainer.batchShape(probes.size(), inputShape));
            int[] shape = inputShape;
            for (Layer l : net.trunk().layers()) {
                x = l.forward(tape, x);
                shape = l.outputShape(shape);
                if (l instanceof ActivationLayer) layers.add(activity(l.name(), shape, x.toArray()));
            }
            float[] out = net.headOutput(0).forward(tape, x).toArray();
            int classes = out.length / probes.size();
            for (int i = 0; i < probes.size(); i++) logits[i] = java.util.Arrays.copyOfRange(out, i * classes, (i + 1) * classes);
        }
        return new Probe(layers, logits);
    }

    private Probe.Activity activity(String name, int[] shape, float[] all) {
        int per = all.length / probes.size(), units = shape[0];
        float[][] cells = new float[probes.size()][];
        for (int i = 0; i < probes.size(); i++) cells[i] = java.util.Arrays.copyOfRange(all, i * per, (i + 1) * per);
        return new Probe.Activity(name, units, per / units, cells);
    }

    private static float[] imagesOf(Dataset d) {
        float[] x = new float[d.size() * d.features()];
        for (int i = 0; i < d.size(); i++) d.image(i, x, i * d.features());
        return x;
    }
}
