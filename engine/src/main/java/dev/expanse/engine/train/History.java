package dev.expanse.engine.train;

import dev.expanse.engine.io.AtomicFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What {@link Fit#fit} measured, one record per epoch.
 *
 * @param epochs the epochs run, in order
 */
public record History(List<Epoch> epochs) {

    /**
     * One epoch: mean training loss and accuracy, validation accuracy (NaN without a validation
     * set), wall time of the training part, and training throughput.
     */
    public record Epoch(int epoch, double loss, double accuracy, double valAccuracy, double learningRate,
                        double seconds, double imagesPerSecond) {
    }

    public History {
        epochs = List.copyOf(epochs);
    }

    /** The last epoch, or null if none ran. */
    public Epoch last() {
        return epochs.isEmpty() ? null : epochs.get(epochs.size() - 1);
    }

    /** The epoch with the best validation accuracy (the earliest of equals), or null without validation. */
    public Epoch best() {
        Epoch best = null;
        for (Epoch e : epochs) if (!Double.isNaN(e.valAccuracy()) && (best == null || e.valAccuracy() > best.valAccuracy())) best = e;
        return best;
    }

    /** CSV, one row per epoch: epoch,loss,accuracy,val_accuracy,learning_rate,seconds,images_per_second. */
    public String csv() {
        StringBuilder sb = new StringBuilder("epoch,loss,accuracy,val_accuracy,learning_rate,seconds,images_per_second\n");
        for (Epoch e : epochs) {
            sb.append(String.format(Locale.ROOT, "%d,%.6f,%.6f,%s,%.6g,%.3f,%.1f%n", e.epoch(), e.loss(), e.accuracy(),
                    Double.isNaN(e.valAccuracy()) ? "" : String.format(Locale.ROOT, "%.6f", e.valAccuracy()),
                    e.learningRate(), e.seconds(), e.imagesPerSecond()));
        }
        return sb.toString();
    }

    /** Writes {@link #csv()} to {@code file}, atomically. */
    public void writeCsv(Path file) throws IOException {
        AtomicFile.writeString(file, csv());
    }
}
