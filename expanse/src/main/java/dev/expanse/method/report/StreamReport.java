package dev.expanse.method.report;

import static dev.expanse.method.report.Cells.num;
import static dev.expanse.method.report.Cells.pct;
import static dev.expanse.method.report.Cells.pct1;
import static dev.expanse.method.report.Cells.row;

import dev.expanse.engine.io.AtomicFile;
import dev.expanse.method.metrics.AccuracyMatrix;
import dev.expanse.method.metrics.Summary;
import dev.expanse.method.scenario.Hyper;
import dev.expanse.method.stream.StreamConfig;
import dev.expanse.method.stream.StreamResult;
import dev.expanse.method.stream.StreamRun;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Writes the results folder of continual-learning streams: {@code report.md} (tables per stream,
 * mean ± sd over seeds, and the metric definitions), {@code results.csv} (one row per stream,
 * strategy, seed and experience), and per stream {@code <id>-stream.png} (average accuracy after
 * each experience, one line per strategy) and {@code <id>-matrix-<strategy>.png} (the mean
 * accuracy matrix of each strategy). Every file is written atomically.
 */
public final class StreamReport {
    private StreamReport() {
    }

    /** The joint strategy: trains once on the whole stream, so only its last row is defined. */
    private static final String JOINT = "scratch";

    /** The file names written for {@code streams}, report and CSV first. */
    public static List<String> files(List<StreamResult> streams) {
        List<String> f = new ArrayList<>(List.of("report.md", "results.csv", "headline.md"));
        for (StreamResult s : streams) {
            f.add(curvesFile(s));
            for (String st : s.strategies()) f.add(matrixFile(s, st));
        }
        return f;
    }

    /**
     * Writes everything into {@code dir} (created if needed). A stream that ran on the fixtures is
     * marked "(fixtures)" in its title, and the report says it is a smoke run, not a result.
     *
     * @param command the command line that produced the results, quoted in the report
     * @param streams at least one; each with at least one run
     */
    public static void write(Path dir, String command, List<StreamResult> streams) throws IOException {
        if (streams.isEmpty()) throw new IllegalArgumentException("no streams to report");
        for (StreamResult s : streams) {
            if (s.runs().isEmpty()) throw new IllegalArgumentException("stream " + s.config().id() + " has no runs");
            AtomicFile.write(dir.resolve(curvesFile(s)), curves(s));
            for (String st : s.strategies()) {
                AccuracyMatrix m = meanMatrix(s, st);
                AtomicFile.write(dir.resolve(matrixFile(s, st)), Plots.heatMap("accuracy matrix (%), " + st + ", " + s.config().shortTitle(),
                        "tested on experience", "after training on", s.experiences(), s.experiences(), m.r()));
            }
        }
        AtomicFile.writeString(dir.resolve("results.csv"), csv(streams));
        AtomicFile.writeString(dir.resolve("report.md"), markdown(command, streams));
        AtomicFile.writeString(dir.resolve("headline.md"), headline(streams));
    }

    /**
     * The headline table, the one the README shows ({@code scripts/readme-table.sh} copies it in):
     * a row per stream and strategy with the final average accuracy, the final stream accuracy,
     * forgetting and whether earlier experiences' logits stayed bit-identical.
     */
    static String headline(List<StreamResult> streams) {
        StringBuilder sb = new StringBuilder("| stream | strategy | final average accuracy | forgetting | old logits |\n|---|---|---|---|---|\n");
        for (StreamResult s : streams) {
            for (String st : s.strategies()) {
                List<StreamRun> runs = s.runsOf(st);
                sb.append(row(s.config().shortTitle(), st, pct(of(runs, StreamRun::finalAverage)),
                        pct(of(runs, r -> r.matrix().forgetting())), oldLogits(st, runs)));
            }
        }
        return sb.toString();
    }

    private static String curvesFile(StreamResult s) {
        return s.config().id() + "-stream.png";
    }

    private static String matrixFile(StreamResult s, String strategy) {
        // Strategy ids are plain words today; keep the name file-safe should one ever not be.
        return s.config().id() + "-matrix-" + strategy.replaceAll("[^A-Za-z0-9._-]", "_") + ".png";
    }

    private static byte[] curves(StreamResult s) throws IOException {
        Map<String, double[]> means = new LinkedHashMap<>(), sds = new LinkedHashMap<>();
        int t = s.config().stream().size();
        for (String st : s.strategies()) {
            double[] m = new double[t], sd = new double[t];
            for (int i = 0; i < t; i++) {
                int e = i;
                Summary sum = of(s.runsOf(st), r -> r.averageAccuracy(e));
                m[i] = sum.mean();
                sd[i] = sum.sd();
            }
            means.put(st, m);
            sds.put(st, sd);
        }
        return Plots.streamCurves(s.config().shortTitle(), "after experience", "average accuracy so far (%)", means, sds);
    }

    // ------------------------------------------------------------------ markdown

    static String markdown(String command, List<StreamResult> streams) {
        StringBuilder sb = new StringBuilder();
        boolean fixtures = streams.stream().anyMatch(s -> s.config().fixtures());
        boolean one = streams.size() == 1;
        if (one) {
            sb.append("# EXPANSE stream: ").append(streams.get(0).config().title()).append("\n\n");
        } else {
            sb.append("# EXPANSE streams").append(fixtures ? " (fixtures)" : "").append("\n\n");
        }
        if (fixtures) {
            sb.append("Ran on the small committed fixtures, not the full datasets: a smoke run, not a result.\n\n");
        }
        sb.append("Command:\n\n```\n").append(command).append("\n```\n\n");
        sb.append(DEFINITIONS);
        String h = one ? "##" : "###";
        for (StreamResult s : streams) {
            if (!one) sb.append("## ").append(s.config().title()).append("\n\n");
            sb.append(stream(s, h));
        }
        return sb.toString();
    }

    /** The metrics, stated on the page so the tables can be read without the code. */
    static final String DEFINITIONS = "Definitions. `r[i][j]` is the test accuracy on experience j after training on "
            + "experience i (T experiences, numbered from 0); accuracies are in %, mean ± sample sd over seeds. "
            + "Average accuracy after experience i: ACC_i = mean_{j<=i} r[i][j] (GEM, Lopez-Paz & Ranzato 2017); "
            + "the final average accuracy is ACC_{T-1}. "
            + "Forgetting (Avalanche, Chaudhry et al. 2018): mean over j<T-1 of max_{l<T-1} r[l][j] - r[T-1][j], in points. "
            + "BWT = mean_{j<T-1} (r[T-1][j] - r[j][j]), in points; negative is forgetting. "
            + "FWT = mean_{j>=1} (before[j] - random[j]), in points, where before[j] is the accuracy on experience j of the "
            + "adapted model (expanded, given its outputs) before training on j, and random[j] that of the same adaptation "
            + "of an untrained network. "
            + "Stream accuracy = accuracy over all test images of every experience seen so far, together. "
            + "Cross-task confusion = the fraction of those images predicted as a class of another experience "
            + "(class-incremental only). "
            + "Old logits = whether every earlier experience's own-output logits (its columns of the growing head, or its own head) on the test images of the whole stream stayed bit-identical "
            + "after every later experience (runs identical / runs, and the largest absolute difference). "
            + "The joint strategy (scratch) trains once on the whole stream, so only its last row is defined; its other "
            + "rows, forgetting, BWT and old logits are `-`.\n\n";

    private static String stream(StreamResult s, String h) {
        StreamConfig cfg = s.config();
        List<String> exps = s.experiences();
        int t = exps.size();
        StringBuilder sb = new StringBuilder();
        Hyper hy = cfg.hyper();
        sb.append(String.format(Locale.ROOT, "%s, %d experiences. Seeds: %s. Epochs: basics %d, first experience %d, "
                        + "each later one %d; batch %d / %d; Adam lr %s.%n%n", cfg.modeName(), t, seeds(s), hy.basicsEpochs(),
                hy.sourceEpochs(), hy.targetEpochs(), hy.sourceBatch(), hy.targetBatch(), hy.learningRate()));

        sb.append(h).append(" Summary\n\n");
        sb.append("| strategy | final average accuracy | final stream accuracy | forgetting | BWT | FWT | cross-task confusion "
                + "| trainable / total params | time (s) | old logits |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (String st : s.strategies()) {
            List<StreamRun> runs = s.runsOf(st);
            StreamRun first = runs.get(0);
            sb.append(row(st, pct(of(runs, StreamRun::finalAverage)), pct(of(runs, r -> last(r.streamAccuracy()))),
                    pct(of(runs, r -> r.matrix().forgetting())), pct(of(runs, r -> r.matrix().backwardTransfer())),
                    pct(of(runs, r -> r.matrix().forwardTransfer())), pct(of(runs, r -> last(r.confusion()))),
                    String.format(Locale.ROOT, "%,d / %,d", first.trainable()[first.trainable().length - 1],
                            first.total()[first.total().length - 1]),
                    of(runs, StreamReport::totalSeconds).format(1, 1), oldLogits(st, runs)));
        }

        sb.append('\n').append(h).append(" Average accuracy after each experience\n\n");
        StringBuilder head = new StringBuilder("| strategy |"), rule = new StringBuilder("|---|");
        for (int i = 0; i < t; i++) {
            head.append(' ').append(i + 1).append(" (").append(exps.get(i)).append(") |");
            rule.append("---|");
        }
        sb.append(head).append('\n').append(rule).append('\n');
        for (String st : s.strategies()) {
            List<String> cells = new ArrayList<>(List.of(st));
            for (int i = 0; i < t; i++) {
                int e = i;
                cells.add(pct(of(s.runsOf(st), r -> r.averageAccuracy(e))));
            }
            sb.append(row(cells.toArray(String[]::new)));
        }

        sb.append('\n').append(h).append(" Accuracy matrices, mean over seeds\n\n");
        sb.append("Rows: after training on an experience; columns: the experience tested. `adapted` = before[j], "
                + "`random` = random[j] of FWT.\n\n");
        for (String st : s.strategies()) {
            AccuracyMatrix m = meanMatrix(s, st);
            sb.append("**").append(st).append("**\n\n");
            sb.append("| |");
            for (String e : exps) sb.append(' ').append(e).append(" |");
            sb.append('\n').append("|---|").append("---|".repeat(t)).append('\n');
            for (int i = 0; i < t; i++) {
                List<String> cells = new ArrayList<>(List.of("after " + exps.get(i)));
                for (int j = 0; j < t; j++) cells.add(pct1(m.at(i, j)));
                sb.append(row(cells.toArray(String[]::new)));
            }
            // FWT's inputs; experience 0 has none (nothing comes before it).
            List<String> adapted = new ArrayList<>(List.of("adapted")), random = new ArrayList<>(List.of("random"));
            for (int j = 0; j < t; j++) {
                adapted.add(j == 0 ? "-" : pct1(m.before()[j]));
                random.add(j == 0 ? "-" : pct1(m.random()[j]));
            }
            sb.append(row(adapted.toArray(String[]::new))).append(row(random.toArray(String[]::new))).append('\n');
        }

        List<String> checked = s.strategies().stream().filter(st -> s.runsOf(st).stream().anyMatch(StreamRun::compared)).toList();
        if (!checked.isEmpty()) {
            sb.append(h).append(" Old logits per experience\n\n");
            sb.append("Whether experience j's own-output logits stayed bit-identical after every later experience.\n\n");
            sb.append("| strategy | experience | identical afterwards | largest max diff |\n|---|---|---|---|\n");
            for (String st : checked) {
                List<StreamRun> runs = s.runsOf(st).stream().filter(StreamRun::compared).toList();
                for (int j = 0; j < t - 1; j++) {
                    int e = j;
                    long same = runs.stream().filter(r -> r.identicalAfterwards(e)).count();
                    sb.append(row(st, exps.get(j), "identical in " + same + "/" + runs.size() + " runs",
                            diff(runs.stream().mapToDouble(r -> r.maxDiffAfterwards(e)).toArray())));
                }
            }
            sb.append('\n');
        }

        sb.append("![average accuracy over the stream](").append(curvesFile(s)).append(")\n\n");
        for (String st : s.strategies()) {
            sb.append("![accuracy matrix, ").append(st).append("](").append(matrixFile(s, st)).append(")\n");
        }
        return sb.append('\n').toString();
    }

    /** "identical (k/n)", "differ (k/n identical, max diff X)", or "-" when no run was checked (joint training). */
    static String oldLogits(String strategy, List<StreamRun> runs) {
        List<StreamRun> checked = runs.stream().filter(StreamRun::compared).toList();
        if (strategy.equals(JOINT) || checked.isEmpty()) return "-";
        long same = checked.stream().filter(StreamRun::allIdentical).count();
        int n = checked.size();
        if (same == n) return "identical (" + n + "/" + n + ")";
        double[] diffs = checked.stream().mapToDouble(r -> {
            double m = 0;
            // Math.max keeps a NaN (non-finite logits): a broken run must not look like a small difference.
            for (int j = 0; j < r.size() - 1; j++) m = Math.max(m, r.maxDiffAfterwards(j));
            return m;
        }).toArray();
        return "differ (" + same + "/" + n + " identical, max diff " + diff(diffs) + ")";
    }

    /** The largest of {@code v} as "%.3g"; NaN if any is NaN. */
    private static String diff(double[] v) {
        double m = 0;
        for (double d : v) m = Math.max(m, d);
        return String.format(Locale.ROOT, "%.3g", m);
    }

    private static String seeds(StreamResult s) {
        return s.runs().stream().map(StreamRun::seed).distinct().map(String::valueOf).toList().toString();
    }

    private static AccuracyMatrix meanMatrix(StreamResult s, String strategy) {
        return AccuracyMatrix.mean(s.runsOf(strategy).stream().map(StreamRun::matrix).toList());
    }

    private static Summary of(List<StreamRun> runs, ToDoubleFunction<StreamRun> f) {
        return Summary.of(runs.stream().mapToDouble(f).toArray());
    }

    private static double last(double[] v) {
        return v == null || v.length == 0 ? Double.NaN : v[v.length - 1];
    }

    /** Wall time of a run, every experience together; an experience not timed (NaN) counts as nothing. */
    private static double totalSeconds(StreamRun r) {
        double s = 0;
        for (double v : r.seconds()) if (!Double.isNaN(v)) s += v;
        return s;
    }

    // ------------------------------------------------------------------ csv

    /**
     * One row per stream, strategy, seed and experience i: the values after experience i, and the
     * matrix row {@code r_0 .. r_{T-1}} (padded with empty cells to the longest stream).
     * {@code old_logits_identical} is empty after the first experience (nothing to compare) and
     * where a check is missing (joint training).
     */
    static String csv(List<StreamResult> streams) {
        int width = streams.stream().mapToInt(s -> s.config().stream().size()).max().orElse(0);
        StringBuilder sb = new StringBuilder("stream,strategy,seed,after_experience,average_accuracy,stream_accuracy,"
                + "confusion,trainable,total,seconds,old_logits_identical");
        for (int j = 0; j < width; j++) sb.append(",r_").append(j);
        sb.append('\n');
        for (StreamResult s : streams) {
            for (String st : s.strategies()) {
                for (StreamRun r : s.runsOf(st)) {
                    for (int i = 0; i < r.size(); i++) {
                        List<String> cells = new ArrayList<>(List.of(s.config().id(), r.strategy(), Long.toString(r.seed()),
                                Integer.toString(i + 1), num(r.averageAccuracy(i)), num(at(r.streamAccuracy(), i)),
                                num(at(r.confusion(), i)), Long.toString(r.trainable()[i]), Long.toString(r.total()[i]),
                                num(at(r.seconds(), i)), identicalAt(r, i)));
                        for (int j = 0; j < width; j++) cells.add(j < r.size() ? num(r.matrix().at(i, j)) : "");
                        sb.append(String.join(",", cells)).append('\n');
                    }
                }
            }
        }
        return sb.toString();
    }

    private static String identicalAt(StreamRun r, int i) {
        if (!r.comparedAfter(i)) return "";
        for (int j = 0; j < i; j++) if (!r.checks()[i][j].identical()) return "false";
        return "true";
    }

    private static double at(double[] v, int i) {
        return v == null || i >= v.length ? Double.NaN : v[i];
    }

}
