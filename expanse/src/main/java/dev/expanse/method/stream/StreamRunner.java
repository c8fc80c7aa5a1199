package dev.expanse.method.stream;

import dev.expanse.engine.Init;
import dev.expanse.engine.Rng;
import dev.expanse.engine.data.Dataset;
import dev.expanse.engine.data.Datasets;
import dev.expanse.engine.io.ModelInfo;
import dev.expanse.engine.nn.Dense;
import dev.expanse.engine.optim.Adam;
import dev.expanse.engine.train.Model;
import dev.expanse.engine.train.Objective;
import dev.expanse.engine.train.Progress;
import dev.expanse.engine.train.Trainer;
import dev.expanse.kernels.Backend;
import dev.expanse.method.metrics.AccuracyMatrix;
import dev.expanse.method.scenario.Basics;
import dev.expanse.method.scenario.Calibration;
import dev.expanse.method.scenario.DataSource;
import dev.expanse.method.scenario.Hyper;
import dev.expanse.method.scenario.LoadedData;
import dev.expanse.method.scenario.LogitCheck;
import dev.expanse.method.scenario.Replay;
import dev.expanse.method.scenario.Training;
import dev.expanse.method.strategy.Adapted;
import dev.expanse.method.strategy.MultiHeadNet;
import dev.expanse.method.strategy.Regularizer;
import dev.expanse.method.strategy.Strategy;
import dev.expanse.method.strategy.Transfer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Runs strategies over a stream of experiences. For each seed it prepares every experience's data,
 * trains the first experience once (as a source: basics, then basics and data), and gives every
 * strategy a private copy of that network; the strategy then adapts (expands, adds outputs or a
 * head, freezes) and trains before each later experience, and is scored on every experience after
 * each. Joint training instead trains one network of the last width on the whole stream at once.
 *
 * <p>After each experience the runner records that experience's own logits (its output columns
 * of the growing head, or its own head) on the test images of the whole stream, and compares them
 * after every later experience: for frozen EXPANSE they must stay bit-identical.
 *
 * <p>Seeds fork every draw by purpose, as in the scenarios: validation split and basics per
 * dataset, rehearsal per experience, the first network's initialisation and shuffling, and per
 * strategy and experience the new weights and the shuffling.
 */
public final class StreamRunner {
    private final Backend backend;
    private final Function<DataSource, Basics> basics;
    private final Progress progress;
    private final LoadedData loaded = new LoadedData();
    private Path saveDir;

    /**
     * @param backend  where every network lives
     * @param basics   the basics of each dataset
     * @param progress where per-epoch lines go (stderr in the tool; silent in tests)
     */
    public StreamRunner(Backend backend, Function<DataSource, Basics> basics, Progress progress) {
        this.backend = backend;
        this.basics = basics;
        this.progress = progress;
    }

    /**
     * Also saves every strategy's network after every experience into {@code dir}, as
     * {@code <stream>-<strategy>-seed<k>-exp<i>.safetensors} with its class map; returns this.
     */
    public StreamRunner savingModels(Path dir) {
        this.saveDir = dir;
        return this;
    }

    /**
     * Every strategy on every seed of a stream.
     *
     * @throws IllegalArgumentException before any training if a strategy cannot run in the
     *         config's mode, or nothing is asked for
     */
    public StreamResult run(StreamConfig c, List<Strategy> strategies, List<Long> seeds) throws IOException {
        return run(c, strategies, seeds, partial -> { });
    }

    /** What to do with the runs so far after each one, e.g. rewrite the report so that a crash loses little. */
    @FunctionalInterface
    public interface AfterRun {
        void accept(StreamResult soFar) throws IOException;
    }

    /** {@link #run(StreamConfig, List, List)}, handing {@code afterRun} the runs so far after each strategy and seed. */
    public StreamResult run(StreamConfig c, List<Strategy> strategies, List<Long> seeds, AfterRun afterRun) throws IOException {
        if (strategies.isEmpty() || seeds.isEmpty()) throw new IllegalArgumentException("need at least one strategy and one seed");
        for (Strategy s : strategies) {
            String why = s.unsupported(c.mode());
            if (why != null) throw new IllegalArgumentException("--strategy " + s.id() + ": " + why);
        }
        List<StreamRun> runs = new ArrayList<>();
        for (long seed : seeds) {
            Rng rng = new Rng(seed);
            Data d = prepare(c, rng);
            First first = trainFirst(c, d, seed, rng);
            for (Strategy s : strategies) {
                runs.add(s.joint() ? joint(c, d, s, seed, rng) : run(c, d, first, s, seed, rng));
                afterRun.accept(new StreamResult(c, runs));
            }
        }
        return new StreamResult(c, runs);
    }

    // ------------------------------------------------------------------ data

    /**
     * One experience's data, labelled as the stream numbers its outputs (class-incremental: the
     * experience's offset plus the class's rank in it; every dataset has the stream's total number
     * of classes).
     */
    record Part(Experience experience, int offset, Dataset train, Dataset val, Dataset basics, Dataset test) {
    }

    /**
     * Every experience's data, the test images of the whole stream (for the logit checks), and
     * the validation images of each experience's phase: class-incremental, those of every
     * experience so far; task-incremental, the experience's own, labelled for its head.
     */
    record Data(List<Part> parts, Dataset allTest, List<Dataset> validation) {
        int[] inputShape() {
            Dataset t = parts.get(0).train();
            return new int[] {t.channels(), t.height(), t.width()};
        }
    }

    private Data prepare(StreamConfig c, Rng rng) throws IOException {
        StreamSpec st = c.stream();
        int total = st.totalClasses();
        double keep = 1 - c.hyper().validation();
        Map<DataSource, Dataset.Split> splits = new HashMap<>();
        Map<DataSource, Dataset> basicsOf = new HashMap<>();
        for (DataSource ds : st.datasets()) {
            Dataset.Split s = load(ds, Datasets.Part.TRAIN, c.fixtures()).split(keep, rng.fork("validation/" + ds.id()));
            splits.put(ds, s);
            basicsOf.put(ds, basics.apply(ds).basics(s.first(), rng.fork("basics/" + ds.id()), backend));
        }
        List<Part> parts = new ArrayList<>();
        List<Dataset> validation = new ArrayList<>();
        Dataset allTest = null;
        for (int i = 0; i < st.size(); i++) {
            Experience e = st.get(i);
            int off = st.offset(i);
            int[] map = new int[10];
            Arrays.fill(map, -1);
            int[] cls = e.classes();
            for (int k = 0; k < cls.length; k++) map[cls[k]] = off + k;
            Dataset.Split s = splits.get(e.data());
            Dataset test = load(e.data(), Datasets.Part.TEST, c.fixtures()).filterClasses(cls).relabel(map, total);
            parts.add(new Part(e, off, s.first().filterClasses(cls).relabel(map, total),
                    s.second().filterClasses(cls).relabel(map, total), basicsOf.get(e.data()).filterClasses(cls).relabel(map, total), test));
            allTest = allTest == null ? test : allTest.concat(test);
            Part part = parts.get(i);
            validation.add(!c.classIncremental() ? ownLabels(c, part, part.val())
                    : i == 0 ? part.val() : validation.get(i - 1).concat(part.val()));
        }
        return new Data(parts, allTest, validation);
    }

    private Dataset load(DataSource ds, Datasets.Part part, boolean fixture) throws IOException {
        Dataset d = loaded.get(ds, part, fixture);
        if (d.numClasses() != 10) throw new IOException(ds.id() + " " + part + " has " + d.numClasses() + " classes, not 10");
        return d;
    }

    /** {@code d} labelled for experience {@code p}'s own head (task-incremental): 0 .. k-1. */
    private static Dataset ownLabels(StreamConfig c, Part p, Dataset d) {
        if (c.classIncremental()) return d;
        int[] map = new int[c.stream().totalClasses()];
        Arrays.fill(map, -1);
        for (int k = 0; k < p.experience().size(); k++) map[p.offset() + k] = k;
        return d.relabel(map, p.experience().size());
    }

    // ------------------------------------------------------------------ the first experience

    /** The first experience's trained network, its size and its training time. */
    private record First(List<float[]> values, long trainable, long total, double seconds) {
    }

    private First trainFirst(StreamConfig c, Data d, long seed, Rng rng) {
        Hyper h = c.hyper();
        Part p = d.parts().get(0);
        MultiHeadNet net = firstNet(c, d, rng.fork("source/init"));
        Model view = net.view(0);
        Adam adam = new Adam(net::parameters, h.learningRate());
        Rng shuffle = rng.fork("source/shuffle");
        Dataset basics = ownLabels(c, p, p.basics()), both = basics.concat(ownLabels(c, p, p.train()));
        Dataset val = d.validation().get(0);
        long t0 = System.nanoTime();
        int epochs = h.basicsEpochs() + h.sourceEpochs();
        for (int e = 1; e <= epochs; e++) {
            boolean basicsOnly = e <= h.basicsEpochs();
            adam.setLearningRate(basicsOnly ? h.learningRate(e, h.basicsEpochs()) : h.learningRate(e - h.basicsEpochs(), h.sourceEpochs()));
            String label = label(c, seed, "experience 1 (" + p.experience().name() + ", " + (basicsOnly ? "basics" : "basics + data")
                    + ") epoch " + e + "/" + epochs);
            Trainer.EpochStats st = Training.epoch(List.of(new Training.Stream(view, basicsOnly ? basics : both)),
                    adam, h.sourceBatch(), shuffle, progress, label);
            if (!basicsOnly || e == h.basicsEpochs()) {
                progress.line(String.format(Locale.ROOT, "%s  loss %.4f  val %.2f%%  %.1fs", label, st.loss(),
                        100 * Training.accuracy(view, val), st.seconds()));
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double acc = Training.accuracy(view, ownLabels(c, p, p.test()));
        progress.line(String.format(Locale.ROOT, "%s: experience 1 test accuracy %.2f%% (%.0fs)", label(c, seed, "first"), 100 * acc, seconds));
        First f = new First(net.snapshot(), net.trainableCount(), net.parameterCount(), seconds);
        net.release();
        return f;
    }

    /** A network for the first experience, reserving room for the last width. */
    private MultiHeadNet firstNet(StreamConfig c, Data d, Rng init) {
        MultiHeadNet net = new MultiHeadNet(c.whole().trunk(backend, init, d.inputShape(), false));
        net.addHead(new Dense("head", backend, net.trunkFeatures(), c.stream().get(0).size(), Init.XAVIER_NORMAL, init));
        return net;
    }

    // ------------------------------------------------------------------ a strategy over the stream

    /** What one run records as it goes. */
    private static final class Record {
        final double[][] r;
        final double[] before, random, streamAcc, confusion, seconds;
        final long[] trainable, total;
        final LogitCheck[][] checks;
        final float[][] own;
        /** Head index of the router, or -1 while predictions are the plain argmax. */
        int router = -1;
        /** The router's weight in the decision (0: the plain argmax). */
        double routerWeight;

        Record(int t) {
            r = new double[t][t];
            before = new double[t];
            random = new double[t];
            streamAcc = new double[t];
            confusion = new double[t];
            seconds = new double[t];
            trainable = new long[t];
            total = new long[t];
            checks = new LogitCheck[t][t];
            own = new float[t][];
        }

        StreamRun run(String strategy, long seed, List<String> names) {
            return new StreamRun(strategy, seed, new AccuracyMatrix(names, r, before, random), streamAcc, confusion,
                    trainable, total, seconds, checks);
        }
    }

    private StreamRun run(StreamConfig c, Data d, First first, Strategy s, long seed, Rng rng) throws IOException {
        int t = c.stream().size();
        Record rec = new Record(t);
        MultiHeadNet net = firstNet(c, d, new Rng(0));
        net.restore(first.values());
        int[] heads = new int[t];
        Regularizer reg = s.regularizer();
        Part p0 = d.parts().get(0);
        reg.consolidate(net.view(0), ownLabels(c, p0, p0.basics().concat(p0.train())), c.hyper().targetBatch());
        rec.seconds[0] = first.seconds();
        rec.trainable[0] = first.trainable();
        rec.total[0] = first.total();
        score(c, d, net, heads, 0, rec);
        save(c, net, heads, s.id(), seed, 0);
        for (int i = 1; i < t; i++) {
            Part p = d.parts().get(i);
            rec.random[i] = randomBaseline(c, d, s, i, rng);
            long t0 = System.nanoTime();
            Adapted a = s.adapt(transfer(c, net, i), rng.fork("adapt/" + s.id() + "/" + i));
            if (a.net() != net) throw new IllegalStateException(s.id() + " replaced the network instead of adapting it");
            heads[i] = a.targetHead();
            Model view = net.view(heads[i]);
            rec.before[i] = Training.accuracy(view, ownLabels(c, p, p.test()));
            Dataset newSide = ownLabels(c, p, p.basics().concat(p.train()));
            Objective objective = reg.objective(view, newSide, c.classIncremental() ? p.offset() : 0, i);
            List<Training.Stream> streams = streams(c, d, net, heads, i, s, new Training.Stream(view, newSide, objective), rng);
            train(c, d, net, heads, i, s, seed, rng, streams);
            // Bias correction fits on validation images of the earlier classes: only a strategy that
            // keeps images of them may look at any.
            if (c.classIncremental() && c.hyper().calibrate() && s.rehearses()) calibrate(c, d, net, i, label(c, seed, s.id()));
            if (c.router() && s.rehearses()) route(c, d, net, i, streams, rec, rng.fork("router/" + s.id() + "/" + i), label(c, seed, s.id()));
            rec.seconds[i] = (System.nanoTime() - t0) / 1e9;
            reg.consolidate(view, newSide, c.hyper().targetBatch());
            rec.trainable[i] = net.trainableCount();
            rec.total[i] = net.parameterCount();
            score(c, d, net, heads, i, rec);
            report(c, s.id(), seed, i, rec);
            save(c, net, heads, s.id(), seed, i);
        }
        net.release();
        return rec.run(s.id(), seed, names(c));
    }

    /** What the strategy adapts before experience {@code i}. */
    private static Transfer transfer(StreamConfig c, MultiHeadNet net, int i) {
        int old = c.classIncremental() ? c.stream().offset(i) : c.stream().get(i - 1).size();
        return new Transfer(net, c.expansion(i), net.trunk().inputShape(), c.mode(), old, c.stream().get(i).size());
    }

    /**
     * The training streams of experience {@code i}: first {@code fresh}, the new experience on its
     * head, then, for a rehearsing strategy, the earlier experiences'
     * basics and rehearsed images: class-incremental on the one head, repeated to weigh as much
     * per class as the new classes when balancing; task-incremental on each experience's head.
     */
    private List<Training.Stream> streams(StreamConfig c, Data d, MultiHeadNet net, int[] heads, int i, Strategy s,
                                          Training.Stream fresh, Rng rng) {
        Dataset newSide = fresh.data();
        List<Training.Stream> streams = new ArrayList<>();
        streams.add(fresh);
        if (!s.rehearses()) return streams;
        List<Dataset> past = new ArrayList<>();
        List<int[]> pastLabels = new ArrayList<>();
        for (int j = 0; j < i; j++) {
            Part p = d.parts().get(j);
            past.add(p.train());
            int[] labels = new int[p.experience().size()];
            for (int k = 0; k < labels.length; k++) labels[k] = p.offset() + k;
            pastLabels.add(labels);
        }
        List<Dataset> kept = c.rehearsal().select(past, pastLabels, rng);
        if (c.classIncremental()) {
            Dataset old = null;
            for (int j = 0; j < i; j++) {
                Dataset side = d.parts().get(j).basics().concat(kept.get(j));
                old = old == null ? side : old.concat(side);
            }
            int kOld = c.stream().offset(i), kNew = c.stream().get(i).size();
            if (c.hyper().balance() && old.size() > 0) {
                long times = Math.round(((double) newSide.size() / kNew) / ((double) old.size() / kOld));
                old = Replay.balanced(old, times, rng.fork("replay/" + i));
            }
            streams.add(new Training.Stream(net.view(heads[0]), old));
        } else {
            for (int j = 0; j < i; j++) {
                Part p = d.parts().get(j);
                streams.add(new Training.Stream(net.view(heads[j]), ownLabels(c, p, p.basics().concat(kept.get(j)))));
            }
        }
        return streams;
    }

    private void train(StreamConfig c, Data d, MultiHeadNet net, int[] heads, int i, Strategy s, long seed, Rng rng,
                       List<Training.Stream> streams) {
        Hyper h = c.hyper();
        Adam adam = new Adam(net::parameters, h.learningRate());
        Rng shuffle = rng.fork("target/shuffle/" + s.id() + "/" + i);
        Model view = net.view(heads[i]);
        Dataset val = d.validation().get(i);
        for (int e = 1; e <= h.targetEpochs(); e++) {
            String label = label(c, seed, s.id()) + " experience " + (i + 1) + " epoch " + e + "/" + h.targetEpochs();
            adam.setLearningRate(h.learningRate(e, h.targetEpochs()));
            Trainer.EpochStats st = Training.epoch(streams, adam, h.targetBatch(), shuffle, progress, label);
            progress.line(String.format(Locale.ROOT, "%s  loss %.4f  val %.2f%%  %.1fs", label, st.loss(),
                    100 * Training.accuracy(view, val), st.seconds()));
        }
    }

    /** Bias correction of the newest classes' outputs on the validation images seen so far; older rows untouched. */
    private void calibrate(StreamConfig c, Data d, MultiHeadNet net, int i, String label) {
        Dataset val = d.validation().get(i);
        int first = c.stream().offset(i), cols = first + c.stream().get(i).size();
        Model view = net.view(0);
        Calibration cal = Calibration.fit(Trainer.logits(view, val, 500), val.labels(), cols, first);
        cal.apply(net.headOutput(0), first);
        progress.line(String.format(Locale.ROOT, "%s experience %d calibrated (alpha %.2f, beta %.2f): val %.2f%%", label, i + 1,
                cal.alpha(), cal.beta(), 100 * Training.accuracy(view, val)));
    }

    /**
     * Trains the router after experience {@code i} on everything the experience trained on (the
     * new images and the rehearsed ones), and says on the validation images how it compares with
     * the plain argmax.
     */
    private void route(StreamConfig c, Data d, MultiHeadNet net, int i, List<Training.Stream> streams, Record rec, Rng rng,
                       String label) {
        Dataset all = streams.get(0).data();
        for (int k = 1; k < streams.size(); k++) all = all.concat(streams.get(k).data());
        Dataset val = d.validation().get(i);
        double plain = Training.accuracy(net.view(0), val);
        rec.router = Router.train(net, rec.router, c.stream(), i, all, c.hyper(), rng, progress, label + " experience " + (i + 1));
        rec.routerWeight = Router.fitWeight(net, rec.router, c.stream(), i, val);
        progress.line(String.format(Locale.ROOT, "%s experience %d: router weight %.2f, validation accuracy %.2f%% (%.2f%% without; %.2f%% by the router alone)",
                label, i + 1, rec.routerWeight, 100 * accuracy(Router.predict(net, rec.router, c.stream(), i, val, rec.routerWeight), val),
                100 * plain, 100 * accuracy(Router.predict(net, rec.router, c.stream(), i, val, 1e6), val)));
    }

    private static double accuracy(int[] predicted, Dataset d) {
        long ok = 0;
        for (int k = 0; k < predicted.length; k++) if (predicted[k] == d.label(k)) ok++;
        return predicted.length == 0 ? Double.NaN : (double) ok / predicted.length;
    }

    /**
     * Accuracy on experience {@code i} of the same adaptation applied to an untrained network of
     * the first experience's shape with outputs for every earlier class (GEM's {@code b_i}).
     */
    private double randomBaseline(StreamConfig c, Data d, Strategy s, int i, Rng rng) {
        Rng init = rng.fork("random/" + i);
        MultiHeadNet net = new MultiHeadNet(c.whole().trunk(backend, init, d.inputShape(), false));
        int outs = c.classIncremental() ? c.stream().offset(i) : c.stream().get(0).size();
        net.addHead(new Dense("head", backend, net.trunkFeatures(), outs, Init.XAVIER_NORMAL, init));
        Adapted a = s.adapt(transfer(c, net, i), rng.fork("adapt/" + s.id() + "/" + i));
        Part p = d.parts().get(i);
        double acc = Training.accuracy(a.net().view(a.targetHead()), ownLabels(c, p, p.test()));
        a.net().release();
        if (a.net() != net) net.release();
        return acc;
    }

    /**
     * Scores the network after experience {@code i}: row i of the matrix, the stream accuracy and
     * confusion, experience i's own logits, and every earlier experience's against its record.
     */
    private void score(StreamConfig c, Data d, MultiHeadNet net, int[] heads, int i, Record rec) {
        long ok = 0, seen = 0, confused = 0;
        for (int j = 0; j <= i; j++) {
            Part p = d.parts().get(j);
            Dataset test = ownLabels(c, p, p.test());
            int[] pred = rec.router >= 0 ? Router.predict(net, rec.router, c.stream(), i, test, rec.routerWeight)
                    : Trainer.predict(net.view(heads[j]), test, 500);
            long right = 0;
            for (int k = 0; k < pred.length; k++) {
                if (pred[k] == test.label(k)) right++;
                if (c.classIncremental() && (pred[k] < p.offset() || pred[k] >= p.offset() + p.experience().size())) confused++;
            }
            rec.r[i][j] = pred.length == 0 ? Double.NaN : (double) right / pred.length;
            ok += right;
            seen += pred.length;
        }
        rec.streamAcc[i] = (double) ok / seen;
        rec.confusion[i] = c.classIncremental() ? (double) confused / seen : Double.NaN;
        // Experience j's own logits on the stream's test images: its columns of the one head, or
        // its own head; a head's logits are computed once for every experience it serves.
        Map<Integer, float[]> byHead = new HashMap<>();
        int n = d.allTest().size();
        for (int j = 0; j <= i; j++) {
            Part p = d.parts().get(j);
            float[] all = byHead.computeIfAbsent(heads[j], h -> Trainer.logits(net.view(h), d.allTest(), 500));
            float[] now = Training.columns(all, n, c.classIncremental() ? p.offset() : 0, p.experience().size());
            if (j == i) rec.own[i] = now;
            else if (rec.own[j] != null) rec.checks[i][j] = LogitCheck.compare(rec.own[j], now);
        }
    }


    private void report(StreamConfig c, String strategy, long seed, int i, Record rec) {
        StringBuilder checks = new StringBuilder();
        for (int j = 0; j < i; j++) {
            LogitCheck k = rec.checks[i][j];
            if (k == null) continue;
            checks.append(checks.length() == 0 ? "" : ", ").append(k.identical() ? "identical"
                    : String.format(Locale.ROOT, "differ (max |d| %.3g)", k.maxAbsDiff()));
        }
        if (checks.length() == 0) checks.append("none to compare");
        double avg = 0;
        for (int j = 0; j <= i; j++) avg += rec.r[i][j] / (i + 1);
        progress.line(String.format(Locale.ROOT, "%s: after experience %d: average %.2f%%, stream %.2f%%%s; earlier logits: %s (%.0fs)",
                label(c, seed, strategy), i + 1, 100 * avg, 100 * rec.streamAcc[i],
                Double.isNaN(rec.confusion[i]) ? "" : String.format(Locale.ROOT, ", cross-task confusion %.2f%%", 100 * rec.confusion[i]),
                checks, rec.seconds[i]));
    }

    // ------------------------------------------------------------------ joint training

    /** Joint training: one network of the last width, trained once on every experience's data. */
    private StreamRun joint(StreamConfig c, Data d, Strategy s, long seed, Rng rng) throws IOException {
        int t = c.stream().size();
        Record rec = new Record(t);
        for (double[] row : rec.r) Arrays.fill(row, Double.NaN);
        Arrays.fill(rec.before, Double.NaN);
        Arrays.fill(rec.random, Double.NaN);
        Arrays.fill(rec.streamAcc, Double.NaN);
        Arrays.fill(rec.confusion, Double.NaN);
        Arrays.fill(rec.seconds, Double.NaN);
        Rng init = rng.fork("adapt/" + s.id());
        MultiHeadNet net = new MultiHeadNet(c.whole().trunk(backend, init, d.inputShape(), true));
        int[] heads = new int[t];
        List<Training.Stream> streams = new ArrayList<>();
        if (c.classIncremental()) {
            net.addHead(new Dense("head", backend, net.trunkFeatures(), c.stream().totalClasses(), Init.XAVIER_NORMAL, init));
            Dataset all = null;
            for (Part p : d.parts()) {
                Dataset x = p.basics().concat(p.train());
                all = all == null ? x : all.concat(x);
            }
            streams.add(new Training.Stream(net.view(0), all));
        } else {
            for (int j = 0; j < t; j++) {
                Part p = d.parts().get(j);
                heads[j] = net.addHead(new Dense(net.nextHeadName(), backend, net.trunkFeatures(), p.experience().size(), Init.XAVIER_NORMAL, init));
                streams.add(new Training.Stream(net.view(heads[j]), ownLabels(c, p, p.basics().concat(p.train()))));
            }
        }
        long t0 = System.nanoTime();
        train(c, d, net, heads, t - 1, s, seed, rng, streams);
        rec.seconds[t - 1] = (System.nanoTime() - t0) / 1e9;
        rec.trainable[t - 1] = net.trainableCount();
        rec.total[t - 1] = net.parameterCount();
        score(c, d, net, heads, t - 1, rec); // nothing earlier to compare its logits with
        report(c, s.id(), seed, t - 1, rec);
        save(c, net, heads, s.id(), seed, t - 1);
        net.release();
        return rec.run(s.id(), seed, names(c));
    }

    // ------------------------------------------------------------------ helpers

    private void save(StreamConfig c, MultiHeadNet net, int[] heads, String strategy, long seed, int i) throws IOException {
        if (saveDir == null) return;
        ModelInfo info = ModelInfo.empty();
        for (int j = 0; j <= i; j++) {
            Experience e = c.stream().get(j);
            int first = c.classIncremental() ? c.stream().offset(j) : 0;
            info = info.withClasses(heads[j], first, e.data().id(), e.classes(), e.name());
        }
        info = info.with("stream", c.title()).with("network", strategy).with("seed", Long.toString(seed))
                .with("experience", Integer.toString(i + 1));
        java.nio.file.Files.createDirectories(saveDir);
        net.save(saveDir.resolve(String.format(Locale.ROOT, "%s-%s-seed%d-exp%d.safetensors", c.id(), strategy, seed, i + 1)), info);
    }

    private static List<String> names(StreamConfig c) {
        return c.stream().experiences().stream().map(Experience::name).toList();
    }

    private static String label(StreamConfig c, long seed, String what) {
        return "[" + c.id() + " seed " + seed + "] " + what;
    }
}
