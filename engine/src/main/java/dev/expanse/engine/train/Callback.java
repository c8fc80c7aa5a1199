package dev.expanse.engine.train;

import java.io.IOException;
import java.nio.file.Path;

/** Called by {@link Fit#fit} after every epoch with the history so far; returns true to stop training. */
@FunctionalInterface
public interface Callback {

    boolean afterEpoch(History soFar) throws IOException;

    /** Saves the model somewhere: {@code save.to(path)}. */
    @FunctionalInterface
    interface Saver {
        void to(Path file) throws IOException;
    }

    /**
     * Stops when the validation accuracy (the training loss without a validation set) has not
     * improved by more than {@code minDelta} for {@code patience} epochs.
     */
    static Callback earlyStopping(int patience, double minDelta) {
        if (patience < 1) throw new IllegalArgumentException("early stopping patience must be >= 1, got " + patience);
        return h -> {
            int n = h.epochs().size(), bestAt = 0;
            double best = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                History.Epoch e = h.epochs().get(i);
                double score = Double.isNaN(e.valAccuracy()) ? -e.loss() : e.valAccuracy();
                if (score > best + minDelta) {
                    best = score;
                    bestAt = i;
                }
            }
            return n - 1 - bestAt >= patience;
        };
    }

    /** Writes the history as CSV to {@code file} (atomically) after every epoch. */
    static Callback csv(Path file) {
        return h -> {
            h.writeCsv(file);
            return false;
        };
    }

    /**
     * Saves the model to {@code last} after every epoch and, when {@code best} is not null, to
     * {@code best} after every epoch that improves the validation accuracy. {@code saver} writes
     * atomically (as {@code Checkpoint.save} does), so a crash keeps the previous file.
     */
    static Callback checkpoints(Path last, Path best, Saver saver) {
        return h -> {
            if (last != null) saver.to(last);
            if (best != null && h.best() != null && h.best() == h.last()) saver.to(best);
            return false;
        };
    }
}
