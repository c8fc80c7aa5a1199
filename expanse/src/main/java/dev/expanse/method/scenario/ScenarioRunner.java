package dev.expanse.method.scenario;

import dev.expanse.engine.Init;
import dev.expanse.engine.Rng;
import dev.expanse.engine.data.Dataset;
import dev.expanse.engine.data.Datasets;
import dev.expanse.engine.nn.Dense;
import dev.expanse.engine.optim.Adam;
import dev.expanse.engine.train.Model;
import dev.expanse.engine.train.Progress;
import dev.expanse.engine.train.Trainer;
import dev.expanse.method.metrics.AccuracyMatrix;
import dev.expanse.method.strategy.Adapted;
import dev.expanse.method.strategy.MultiHeadNet;
import dev.expanse.method.strategy.Strategy;
import dev.expanse.method.strategy.Transfer;
import dev.expanse.kernels.Backend;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Runs scenario cells: for each seed it prepares the data, trains the source network once (two
 * steps: basics, then basics and real source data), and gives every strategy a private copy of it
 * for the target phase. Source networks, loaded datasets and joint-training runs (which do not
 * depend on the rehearsal fraction) are kept and reused by later cells of the same runner.
 *
 * <p>Seeds fork every random draw by purpose: the validation split, basics, source initialisation
 * and shuffling, the rehearsed subset and the target-phase shuffling are the same for every
 * strategy of a seed; each strategy's new weights come from a stream named after it.
 */
public final class ScenarioRunner {
    private final Backend backend;
    private final Function<DataSource, Basics> basics;
    private final Progress progress;
    private final LoadedData loaded = new LoadedData();
    private final Map<String, SourceModel> sources = new HashMap<>();
    private final Map<String, RunResult> jointRuns = new HashMap<>();
    private SavedModels saved;

    /** A trained source network: its values, its source-class test logits and its record. */
    private record SourceModel(List<float[]> values, float[] logits, double[] accuracy, CellResult.SourceInfo info) {
    }

    /**
     * @param backend  where every network lives
     * @param basics   the basics of each dataset
     * @param progress where per-epoch lines go (stderr in the tool; silent in tests)
     */
    public ScenarioRunner(Backend backend, Function<DataSource, Basics> basics, Progress progress) {
        this.backend = backend;
        this.basics = basics;
        this.progress = progress;
    }

    /** Also saves every source network and every strategy's final network into {@code models}; returns this. */
    public ScenarioRunner savingModels(SavedModels models) {
        this.saved = models;
        return this;
    }

    /** Runs every strategy on every seed of a cell. */
    public CellResult run(ScenarioConfig c, List<Strategy> strategies, List<Long> seeds) throws IOException {
        if (strategies.isEmpty() || seeds.isEmpty()) throw new IllegalArgumentException("need at least one strategy and one seed");
        List<CellResult.SourceInfo> infos = new ArrayList<>();
        List<RunResult> runs = new ArrayList<>();
        for (long seed : seeds) {
            Rng rng = new Rng(seed);
            ScenarioData d = prepare(c, rng);
            SourceModel src = sources.get(c.sourceKey() + "/" + seed);
            if (src == null) {
                src = trainSource(c, d, seed, rng);
                sources.put(c.sourceKey() + "/" + seed, src);
            }
            infos.add(src.info());
            for (Strategy s : strategies) {
                String jointKey = c.sourceKey() + "/" + c.hyper().targetEpochs() + "/" + c.hyper().targetBatch() + "/" + seed + "/" + s.id();
                RunResult r = s.joint() ? jointRuns.get(jointKey) : null;
                if (r == null) {
                    r = runStrategy(c, d, src, s, seed, rng);
                    if (s.joint()) jointRuns.put(jointKey, r);
                } else {
                    progress.line(label(c, seed, s.id()) + ": reusing the joint run of an earlier cell");
                }
                runs.add(r);
            }
        }
        return new CellResult(c, infos, runs);
    }

    // ------------------------------------------------------------------ data

    private ScenarioData prepare(ScenarioConfig c, Rng rng) throws IOException {
        Dataset sTrain = loaded.get(c.source(), Datasets.Part.TRAIN, c.fixtures());
        Dataset sTest = loaded.get(c.source(), Datasets.Part.TEST, c.fixtures());
        Dataset tTrain = loaded.get(c.target(), Datasets.Part.TRAIN, c.fixtures());
        Dataset tTest = loaded.get(c.target(), Datasets.Part.TEST, c.fixtures());
        return ScenarioData.prepare(c, sTrain, sTest, tTrain, tTest, basics.apply(c.source()), basics.apply(c.target()), rng, backend);
    }

    // ------------------------------------------------------------------ source phase

    private SourceModel trainSource(ScenarioConfig c, ScenarioData d, long seed, Rng rng) throws IOException {
        Hyper h = c.hyper();
        int k = c.sourceClasses().length;
        MultiHeadNet net = newSourceNet(c, d, rng.fork("source/init"));
        Model view = net.view(0);
        Adam adam = new Adam(net::parameters, h.learningRate());
        Rng shuffle = rng.fork("source/shuffle");
        List<Double> curve = new ArrayList<>();
        long t0 = System.nanoTime();
        double trainSecs = 0;
        Dataset stepB = d.sourceBasics().concat(d.sourceTrain());
        int epochs = h.basicsEpochs() + h.sourceEpochs();
        for (int e = 1; e <= epochs; e++) {
            boolean basicsOnly = e <= h.basicsEpochs();
            adam.setLearningRate(basicsOnly ? h.learningRate(e, h.basicsEpochs()) : h.learningRate(e - h.basicsEpochs(), h.sourceEpochs()));
            String what = basicsOnly ? "source step A (basics)" : "source step B (basics + data)";
            String label = label(c, seed, what) + " epoch " + e + "/" + epochs;
            Trainer.EpochStats st = Training.epoch(List.of(new Training.Stream(view, basicsOnly ? d.sourceBasics() : stepB)),
                    adam, h.sourceBatch(), shuffle, progress, label);
            trainSecs += st.seconds();
            double val = Training.accuracy(view, d.sourceVal());
            curve.add(val);
            if (!basicsOnly || e == h.basicsEpochs()) {
                progress.line(String.format(Locale.ROOT, "%s  loss %.4f  val %.2f%%  %.1fs", label, st.loss(), 100 * val, st.seconds()));
            }
        }
        double srcAcc = Training.accuracy(view, d.sourceTest());
        // A source network has no outputs for the target task of a distant transfer: it scores 0 there.
        double tgtAcc = c.kind() == ScenarioConfig.Kind.SPLIT ? Training.accuracy(view, d.targetTest()) : 0;
        float[] logits = Training.firstLogits(view, checkSet(d), k);
        progress.line(String.format(Locale.ROOT, "%s: source test accuracy %.2f%% (%.0fs)", label(c, seed, "source"),
                100 * srcAcc, (System.nanoTime() - t0) / 1e9));
        SourceModel m = new SourceModel(net.snapshot(), logits, new double[] {srcAcc, tgtAcc},
                new CellResult.SourceInfo(seed, srcAcc, trainSecs, curve.stream().mapToDouble(Double::doubleValue).toArray()));
        if (saved != null) saved.save(net, c, "source", seed, false);
        net.release();
        return m;
    }

    private MultiHeadNet newSourceNet(ScenarioConfig c, ScenarioData d, Rng init) {
        MultiHeadNet net = new MultiHeadNet(c.spec().trunk(backend, init, d.inputShape(), false));
        net.addHead(new Dense("head", backend, net.trunkFeatures(), c.sourceClasses().length, Init.XAVIER_NORMAL, init));
        return net;
    }

    /** The images on which source-class logits are compared before and after the target phase. */
    private static Dataset checkSet(ScenarioData d) {
        return d.allTest() != null ? d.allTest() : d.sourceTest();
    }

    // ------------------------------------------------------------------ target phase

    /** The target phase of one strategy on a private copy of the source network. */
    private RunResult runStrategy(ScenarioConfig c, ScenarioData d, SourceModel src, Strategy s, long seed, Rng rng)
            throws IOException {
        double[] random = forwardTransferBaseline(c, d, s, rng);
        long t0 = System.nanoTime();
        MultiHeadNet copy = newSourceNet(c, d, new Rng(0));
        copy.restore(src.values());
        Adapted a = s.adapt(transfer(c, d, copy), rng.fork("adapt/" + s.id()));
        double adaptSeconds = (System.nanoTime() - t0) / 1e9;
        double[] before = {Training.accuracy(sourceView(a), d.sourceTest()), Training.accuracy(targetView(a), d.targetTest())};
        TargetPhase t = trainTarget(c, d, a, s, seed, rng);
        Calibration cal = calibrate(c, a, t.validation(), label(c, seed, s.id()));
        RunResult result = result(c, d, src, a, s.id(), seed, before, random, t, adaptSeconds, cal);
        if (saved != null) saved.save(a.net(), c, s.id(), seed, true);
        release(a.net(), copy);
        return result;
    }

    /** Accuracies of the same adaptation, with the same new weights, of an untrained source network. */
    private double[] forwardTransferBaseline(ScenarioConfig c, ScenarioData d, Strategy s, Rng rng) {
        MultiHeadNet randomSource = newSourceNet(c, d, rng.fork("random-source"));
        Adapted rand = s.adapt(transfer(c, d, randomSource), rng.fork("adapt/" + s.id()));
        double[] random = {Training.accuracy(sourceView(rand), d.sourceTest()), Training.accuracy(targetView(rand), d.targetTest())};
        release(rand.net(), randomSource);
        return random;
    }

    private static Transfer transfer(ScenarioConfig c, ScenarioData d, MultiHeadNet source) {
        Transfer.Mode mode = c.kind() == ScenarioConfig.Kind.SPLIT ? Transfer.Mode.GROW_HEAD : Transfer.Mode.NEW_HEAD;
        return new Transfer(source, c.spec(), d.inputShape(), mode, c.sourceClasses().length, c.targetClasses().length);
    }

    private static Model sourceView(Adapted a) {
        return a.net().view(a.sourceHead());
    }

    private static Model targetView(Adapted a) {
        return a.net().view(a.targetHead());
    }

    /**
     * The target phase's outcome: the validation set (split: all classes; distant: the target
     * task), the validation accuracy and mean loss after each epoch, and the training seconds.
     */
    private record TargetPhase(Dataset validation, double[] valCurve, double[] lossCurve, double seconds) {
    }

    /** Trains the adapted network on the target phase's data for {@code targetEpochs} epochs. */
    private TargetPhase trainTarget(ScenarioConfig c, ScenarioData d, Adapted a, Strategy s, long seed, Rng rng) {
        Hyper h = c.hyper();
        int kSrc = c.sourceClasses().length, kTgt = c.targetClasses().length;
        double rehearsal = s.joint() ? 1 : c.rehearsal();
        Dataset rehearsed = rehearsal == 1 ? d.sourceTrain() : d.sourceTrain().subsample(rehearsal, rng.fork("rehearsal"));
        List<Training.Stream> streams = new ArrayList<>();
        Dataset valSet;
        if (c.kind() == ScenarioConfig.Kind.SPLIT) {
            Dataset sourceSide = d.sourceBasics().concat(rehearsed), targetSide = d.targetBasics().concat(d.targetTrain());
            if (h.balance()) {
                long times = Math.round(((double) targetSide.size() / kTgt) / ((double) sourceSide.size() / kSrc));
                sourceSide = Replay.balanced(sourceSide, times, rng.fork("replay"));
            }
            streams.add(new Training.Stream(targetView(a), sourceSide.concat(targetSide)));
            valSet = d.sourceVal().concat(d.targetVal());
        } else {
            streams.add(new Training.Stream(targetView(a), d.targetBasics().concat(d.targetTrain())));
            streams.add(new Training.Stream(sourceView(a), d.sourceBasics().concat(rehearsed)));
            valSet = d.targetVal();
        }
        Adam adam = new Adam(a.net()::parameters, h.learningRate());
        Rng shuffle = rng.fork("target/shuffle");
        double[] val = new double[h.targetEpochs()], loss = new double[h.targetEpochs()];
        double seconds = 0;
        for (int e = 1; e <= h.targetEpochs(); e++) {
            String label = label(c, seed, s.id()) + " target epoch " + e + "/" + h.targetEpochs();
            adam.setLearningRate(h.learningRate(e, h.targetEpochs()));
            Trainer.EpochStats st = Training.epoch(streams, adam, h.targetBatch(), shuffle, progress, label);
            seconds += st.seconds();
            loss[e - 1] = st.loss();
            val[e - 1] = Training.accuracy(targetView(a), valSet);
            progress.line(String.format(Locale.ROOT, "%s  loss %.4f  val %.2f%%  %.1fs", label, st.loss(), 100 * val[e - 1], st.seconds()));
        }
        return new TargetPhase(valSet, val, loss, seconds);
    }

    /** Fits and applies the bias correction of a split when asked for; else {@link Calibration#NONE}. */
    private Calibration calibrate(ScenarioConfig c, Adapted a, Dataset valSet, String label) {
        if (c.kind() != ScenarioConfig.Kind.SPLIT || !c.hyper().calibrate()) return Calibration.NONE;
        int kSrc = c.sourceClasses().length, kTgt = c.targetClasses().length;
        Calibration cal = Calibration.fit(Trainer.logits(targetView(a), valSet, Training.EVAL_BATCH), valSet.labels(), kSrc + kTgt, kSrc);
        cal.apply(a.net().headOutput(a.targetHead()), kSrc);
        progress.line(String.format(Locale.ROOT, "%s calibrated (alpha %.2f, beta %.2f): val %.2f%%", label,
                cal.alpha(), cal.beta(), 100 * Training.accuracy(targetView(a), valSet)));
        return cal;
    }

    /** Scores the trained network and assembles (and reports) the run's result. */
    private RunResult result(ScenarioConfig c, ScenarioData d, SourceModel src, Adapted a, String strategy, long seed,
                             double[] before, double[] random, TargetPhase t, double adaptSeconds, Calibration cal) {
        int kSrc = c.sourceClasses().length, kTgt = c.targetClasses().length;
        Model srcView = sourceView(a), tgtView = targetView(a);
        double[][] r = {src.accuracy(), {Training.accuracy(srcView, d.sourceTest()), Training.accuracy(tgtView, d.targetTest())}};
        AccuracyMatrix m = new AccuracyMatrix(List.of(c.source().id() + " " + classes(c.sourceClasses()),
                c.target().id() + " " + classes(c.targetClasses())), r, before, random);
        boolean split = d.allTest() != null;
        double all = split ? Training.accuracy(tgtView, d.allTest()) : Double.NaN;
        double taskAware = Training.accuracyAmongFirst(srcView, d.sourceTest(), kSrc);
        LogitCheck check = LogitCheck.compare(src.logits(), Training.firstLogits(srcView, checkSet(d), kSrc));
        RunResult result = new RunResult(strategy, seed, m, all, taskAware, a.net().trainableCount(), a.net().parameterCount(),
                adaptSeconds + t.seconds(), t.valCurve(), t.lossCurve(), check, cal,
                split ? Training.predictedWithin(tgtView, d.sourceTest(), kSrc, kSrc + kTgt) : Double.NaN,
                split ? Training.predictedWithin(tgtView, d.targetTest(), 0, kSrc) : Double.NaN);
        progress.line(String.format(Locale.ROOT, "%s: %ssource %.2f%%  target %.2f%%%s  source logits %s  (%.0fs)",
                label(c, seed, strategy), cal.equals(Calibration.NONE) ? "" : String.format(Locale.ROOT, "calibrated (%.2f, %.2f)  ", cal.alpha(), cal.beta()),
                100 * r[1][0], 100 * r[1][1],
                Double.isNaN(all) ? "" : String.format(Locale.ROOT, "  all %.2f%% (source as target %.2f%%, target as source %.2f%%)",
                        100 * all, 100 * result.sourceAsTarget(), 100 * result.targetAsSource()),
                check.identical() ? "bit-identical" : String.format(Locale.ROOT, "differ (max |d| %.3g)", check.maxAbsDiff()),
                result.seconds()));
        return result;
    }

    private static void release(MultiHeadNet a, MultiHeadNet b) {
        a.release();
        if (b != a) b.release();
    }

    private static String classes(int[] cs) {
        return cs[0] + "-" + cs[cs.length - 1];
    }

    private static String label(ScenarioConfig c, long seed, String what) {
        return "[" + c.id() + " seed " + seed + "] " + what;
    }
}
