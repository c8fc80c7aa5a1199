package dev.expanse.method.scenario;

import dev.expanse.engine.Rng;
import dev.expanse.engine.data.Batch;
import dev.expanse.engine.data.Dataset;
import dev.expanse.engine.optim.Optimizer;
import dev.expanse.engine.train.Model;
import dev.expanse.engine.train.Objective;
import dev.expanse.engine.train.Progress;
import dev.expanse.engine.train.Trainer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** Training on one or more (model view, data) streams, and evaluation helpers. */
public final class Training {
    private Training() {
    }

    /**
     * Training data for one head: every batch of {@code data} goes through {@code model}, whose
     * steps minimise {@code objective}.
     */
    public record Stream(Model model, Dataset data, Objective objective) {
        /** A stream trained with plain cross-entropy. */
        public Stream(Model model, Dataset data) {
            this(model, data, Objective.CROSS_ENTROPY);
        }
    }

    /**
     * One epoch over every stream: each stream is cut into shuffled mini-batches, and the batches of
     * all streams are visited in one random interleaving (so two heads train together, in
     * proportion to their data). One optimizer step per batch.
     *
     * @return mean loss and training accuracy over all examples, and the wall time
     */
    public static Trainer.EpochStats epoch(List<Stream> streams, Optimizer optimizer, int batchSize, Rng rng,
                                           Progress progress, String label) {
        long t0 = System.nanoTime();
        List<Iterator<Batch>> its = new ArrayList<>();
        int total = 0;
        for (Stream s : streams) {
            its.add(s.data().batches(batchSize, rng).iterator());
            total += s.data().batchCount(batchSize);
        }
        int[] schedule = new int[total];
        int k = 0;
        for (int s = 0; s < streams.size(); s++) {
            for (int b = 0; b < streams.get(s).data().batchCount(batchSize); b++) schedule[k++] = s;
        }
        rng.shuffle(schedule);
        List<Trainer.StepStats> steps = new ArrayList<>();
        for (int step = 0; step < total; step++) {
            int s = schedule[step];
            Stream str = streams.get(s);
            Trainer.StepStats st = Trainer.guarded(str.model(), optimizer, its.get(s).next(), str.objective(), label, step + 1, total);
            steps.add(st);
            progress.tick(label, step + 1, total, st);
        }
        return Trainer.EpochStats.of(steps, (System.nanoTime() - t0) / 1e9);
    }

    /** Fraction of {@code data} whose argmax logit equals its label. */
    public static double accuracy(Model model, Dataset data) {
        return data.size() == 0 ? Double.NaN : Trainer.accuracy(model, data, EVAL_BATCH);
    }

    /**
     * Accuracy when only the first {@code classes} logits compete (a task-aware answer: the model is
     * told the example belongs to one of those classes).
     */
    public static double accuracyAmongFirst(Model model, Dataset data, int classes) {
        if (data.size() == 0) return Double.NaN;
        float[] logits = Trainer.logits(model, data, EVAL_BATCH);
        int cols = logits.length / data.size();
        long ok = 0;
        for (int i = 0; i < data.size(); i++) {
            int best = 0;
            for (int c = 1; c < classes; c++) if (logits[i * cols + c] > logits[i * cols + best]) best = c;
            if (best == data.label(i)) ok++;
        }
        return (double) ok / data.size();
    }

    /**
     * Fraction of {@code data} predicted (argmax over every output) as one of the classes
     * {@code [from, to)}: e.g. source images taken for target classes.
     */
    public static double predictedWithin(Model model, Dataset data, int from, int to) {
        if (data.size() == 0) return Double.NaN;
        long n = 0;
        for (int p : Trainer.predict(model, data, EVAL_BATCH)) if (p >= from && p < to) n++;
        return (double) n / data.size();
    }

    /** The first {@code classes} logits of every example, {@code [N, classes]} row-major. */
    public static float[] firstLogits(Model model, Dataset data, int classes) {
        if (data.size() == 0) return new float[0];
        return columns(Trainer.logits(model, data, EVAL_BATCH), data.size(), 0, classes);
    }

    /** Columns {@code [from, from + count)} of {@code n} rows of logits, {@code [n, count]} row-major. */
    public static float[] columns(float[] logits, int n, int from, int count) {
        int cols = n == 0 ? 0 : logits.length / n;
        float[] out = new float[n * count];
        for (int i = 0; i < n; i++) System.arraycopy(logits, i * cols + from, out, i * count, count);
        return out;
    }

    static final int EVAL_BATCH = 500;
}
