package dev.expanse.engine.train;

import dev.expanse.engine.data.Dataset;
import java.util.ArrayList;
import java.util.List;

/**
 * How {@link Fit#fit} trains: epochs, batch size, learning-rate schedule, validation, seed,
 * callbacks and progress. Setters return this; the defaults are 10 epochs, batch 64, Adam's rate
 * as given to the optimizer, no validation, seed 1, no callbacks, silent.
 */
public final class FitOptions {
    int epochs = 10, batchSize = 64, startEpoch;
    LearningRate learningRate;
    double validationFraction;
    Dataset validation;
    long seed = 1;
    final List<Callback> callbacks = new ArrayList<>();
    Progress progress = Progress.silent();

    /** Train until epoch {@code n} (counting from 1), >= 1. */
    public FitOptions epochs(int n) {
        if (n < 1) throw new IllegalArgumentException("epochs must be >= 1, got " + n);
        epochs = n;
        return this;
    }

    /** Mini-batch size, >= 1. */
    public FitOptions batchSize(int n) {
        if (n < 1) throw new IllegalArgumentException("batch size must be >= 1, got " + n);
        batchSize = n;
        return this;
    }

    /** The learning rate of each epoch; unset, the optimizer's own rate throughout. */
    public FitOptions learningRate(LearningRate schedule) {
        learningRate = schedule;
        return this;
    }

    /** Holds out this fraction of the training data (stratified, by the seed) for validation; 0 for none. */
    public FitOptions validationSplit(double fraction) {
        if (!(fraction >= 0 && fraction < 1)) throw new IllegalArgumentException("validation fraction must be in [0, 1), got " + fraction);
        validationFraction = fraction;
        return this;
    }

    /** Validates on this set instead of a split of the training data. */
    public FitOptions validation(Dataset data) {
        validation = data;
        return this;
    }

    /** The seed of the validation split and of every epoch's shuffle (epoch e shuffles by {@code fork("shuffle/" + e)}). */
    public FitOptions seed(long s) {
        seed = s;
        return this;
    }

    /** Epochs already done: a resumed run starts at epoch {@code done + 1} with that epoch's shuffle and rate. */
    public FitOptions resumeAfter(int done) {
        if (done < 0) throw new IllegalArgumentException("epochs done must be >= 0, got " + done);
        startEpoch = done;
        return this;
    }

    /** Adds a callback, run after every epoch in the order added. */
    public FitOptions callback(Callback c) {
        callbacks.add(c);
        return this;
    }

    /** Where progress goes (one line per epoch, and the within-epoch display). */
    public FitOptions progress(Progress p) {
        progress = p;
        return this;
    }
}
