package dev.expanse.engine.train;

import dev.expanse.engine.Rng;
import dev.expanse.engine.data.Dataset;
import dev.expanse.engine.optim.Optimizer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Training over epochs with validation, a learning-rate schedule, callbacks and a history. */
public final class Fit {
    private Fit() {
    }

    /**
     * Trains {@code model} on {@code train} with {@code optimizer} as {@code options} say, one
     * {@link Trainer#epoch} per epoch, and returns what each epoch measured. Every random choice
     * comes from {@code options}' seed, per epoch, so a run resumed after epoch k (from a checkpoint
     * with the optimizer's state, {@link FitOptions#resumeAfter}) continues exactly as an
     * uninterrupted one.
     *
     * @throws IOException from a callback (e.g. writing a checkpoint)
     */
    public static History fit(Model model, Optimizer optimizer, Dataset train, FitOptions options) throws IOException {
        Dataset part = train, val = options.validation;
        if (val == null && options.validationFraction > 0) {
            Dataset.Split s = train.split(1 - options.validationFraction, new Rng(options.seed).fork("validation"));
            part = s.first();
            val = s.second();
        }
        List<History.Epoch> done = new ArrayList<>();
        for (int e = options.startEpoch + 1; e <= options.epochs; e++) {
            if (options.learningRate != null) optimizer.setLearningRate(options.learningRate.at(e, options.epochs));
            String label = "epoch " + e + "/" + options.epochs;
            Trainer.EpochStats s = Trainer.epoch(model, optimizer, part, options.batchSize,
                    new Rng(options.seed).fork("shuffle/" + e), options.progress, label);
            double valAcc = val == null || val.size() == 0 ? Double.NaN : Trainer.accuracy(model, val, 500);
            History.Epoch r = new History.Epoch(e, s.loss(), s.accuracy(), valAcc, optimizer.learningRate(), s.seconds(),
                    s.seconds() > 0 ? part.size() / s.seconds() : 0);
            done.add(r);
            options.progress.line(String.format(Locale.ROOT, "%s  loss %.4f  train acc %.2f%%%s  %.1fs  %.0f images/s", label,
                    r.loss(), 100 * r.accuracy(), Double.isNaN(valAcc) ? "" : String.format(Locale.ROOT, "  val acc %.2f%%", 100 * valAcc),
                    r.seconds(), r.imagesPerSecond()));
            History soFar = new History(done);
            boolean stop = false;
            for (Callback c : options.callbacks) stop |= c.afterEpoch(soFar);
            if (stop) {
                options.progress.line("stopped early after " + label);
                break;
            }
        }
        return new History(done);
    }
}
