package dev.expanse.method.stream;

import dev.expanse.method.metrics.AccuracyMatrix;
import dev.expanse.method.scenario.LogitCheck;
import java.io.Serializable;

/**
 * One strategy on one seed of a stream. Arrays with one entry per experience hold what was true
 * after that experience's training; joint training, which trains once on the whole stream, has
 * only the last entry (the others NaN, or null checks).
 *
 * @param strategy       strategy id
 * @param seed           the seed
 * @param matrix         {@code r[i][j]}: accuracy on experience j's test images after experience i
 *                       (class-incremental: argmax over every output so far; task-incremental: of
 *                       experience j's own head); 0 for an experience not yet seen
 * @param streamAccuracy accuracy over the test images of every experience seen so far, together
 * @param confusion      class-incremental: fraction of those images predicted as a class of another
 *                       experience (cross-task confusion); task-incremental: NaN
 * @param trainable      parameters the experience's training could change
 * @param total          parameters of the network
 * @param seconds        wall time of the experience's adaptation and training
 * @param checks         {@code checks[i][j]} for {@code j < i}: experience j's own-output logits after
 *                       experience i against those right after j was learnt (null elsewhere)
 */
public record StreamRun(String strategy, long seed, AccuracyMatrix matrix, double[] streamAccuracy, double[] confusion,
                        long[] trainable, long[] total, double[] seconds, LogitCheck[][] checks) implements Serializable {

    /** Number of experiences. */
    public int size() { return matrix.size(); }

    /** Average accuracy after experience {@code i}: the mean of {@code r[i][0..i]} (GEM's ACC after the last). */
    public double averageAccuracy(int i) {
        double s = 0;
        for (int j = 0; j <= i; j++) s += matrix.at(i, j);
        return s / (i + 1);
    }

    /** Average accuracy after the last experience. */
    public double finalAverage() {
        return averageAccuracy(size() - 1);
    }

    /** True when after experience {@code i} every earlier experience's logits were compared (never for joint training). */
    public boolean comparedAfter(int i) {
        if (i < 1) return false;
        for (int j = 0; j < i; j++) if (checks[i][j] == null) return false;
        return true;
    }

    /** True when the run compared its earlier logits after every experience but the first. */
    public boolean compared() {
        for (int i = 1; i < size(); i++) if (!comparedAfter(i)) return false;
        return size() > 1;
    }

    /** Whether experience {@code j}'s own logits were bit-identical after every later experience; false for joint training. */
    public boolean identicalAfterwards(int j) {
        boolean any = false;
        for (int i = j + 1; i < size(); i++) {
            LogitCheck c = checks[i][j];
            if (c == null || !c.identical()) return false;
            any = true;
        }
        return any;
    }

    /** The largest own-logit difference of experience {@code j} after any later experience (NaN if unchecked). */
    public double maxDiffAfterwards(int j) {
        double m = 0;
        boolean any = false;
        for (int i = j + 1; i < size(); i++) {
            if (checks[i][j] == null) return Double.NaN;
            m = Math.max(m, checks[i][j].maxAbsDiff());
            any = true;
        }
        return any ? m : Double.NaN;
    }

    /** True when every earlier experience's own logits stayed bit-identical throughout. */
    public boolean allIdentical() {
        for (int j = 0; j < size() - 1; j++) if (!identicalAfterwards(j)) return false;
        return true;
    }
}
