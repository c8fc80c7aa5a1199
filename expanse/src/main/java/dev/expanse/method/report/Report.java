package dev.expanse.method.report;

import static dev.expanse.method.report.Cells.num;
import static dev.expanse.method.report.Cells.pct;
import static dev.expanse.method.report.Cells.pct1;
import static dev.expanse.method.report.Cells.row;

import dev.expanse.engine.io.AtomicFile;
import dev.expanse.method.metrics.AccuracyMatrix;
import dev.expanse.method.metrics.Summary;
import dev.expanse.method.scenario.CellResult;
import dev.expanse.method.scenario.RunResult;
import dev.expanse.method.scenario.ScenarioConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a results folder: {@code report.md} (tables per cell, mean ± sd over seeds),
 * {@code results.csv} (one row per strategy and seed) and, per cell, {@code <cell>-curves.png}
 * (validation accuracy per target epoch, one line per strategy) and {@code <cell>-matrix.png}
 * (accuracy matrix heat map). Every file is written atomically.
 */
public final class Report {
    private Report() {
    }

    /** The file names written for {@code cells}, report and CSV first. */
    public static List<String> files(List<CellResult> cells) {
        List<String> f = new ArrayList<>(List.of("report.md", "results.csv"));
        for (CellResult c : cells) {
            f.add(c.config().id() + "-curves.png");
            f.add(c.config().id() + "-matrix.png");
        }
        return f;
    }

    /**
     * Writes everything into {@code dir} (created if needed). When a cell ran on the fixtures, its
     * titles and the report's say so: "(fixtures)".
     *
     * @param command the command line that produced the results, quoted in the report
     */
    public static void write(Path dir, String title, String command, List<CellResult> cells) throws IOException {
        for (CellResult c : cells) {
            String id = c.config().id();
            Map<String, double[]> curves = new LinkedHashMap<>();
            for (String s : c.strategies()) curves.put(s, new StrategyStats(s, c.runsOf(s)).meanValCurve());
            String y = c.config().kind() == ScenarioConfig.Kind.SPLIT ? "validation accuracy, all classes (%)"
                    : "validation accuracy, target task (%)";
            AtomicFile.write(dir.resolve(id + "-curves.png"), Plots.curves(title(c.config()), y, curves));
            AtomicFile.write(dir.resolve(id + "-matrix.png"), heatMap(c));
        }
        AtomicFile.writeString(dir.resolve("results.csv"), csv(cells));
        AtomicFile.writeString(dir.resolve("report.md"), markdown(title, command, cells));
    }

    // ------------------------------------------------------------------ markdown

    static String markdown(String title, String command, List<CellResult> cells) {
        StringBuilder sb = new StringBuilder();
        boolean fixtures = cells.stream().anyMatch(c -> c.config().fixtures());
        sb.append("# ").append(title).append(fixtures ? FIXTURES : "").append("\n\n");
        if (fixtures) {
            sb.append("Ran on the small committed fixtures (600 training images), not the full datasets: a smoke run, "
                    + "not a result.\n\n");
        }
        sb.append("Command:\n\n```\n").append(command).append("\n```\n\n");
        sb.append("Accuracies are test accuracies in %, mean ± sample sd over seeds. Definitions: "
                + "docs/method-results.md. `all` = all ten classes of a split; `source`/`target` = test images of the "
                + "source/target classes, scored against every output of the model (class-incremental); "
                + "`source, own head` = only the source classes' logits compete (task-aware); `source as target` / `target as source` = test images of one task "
                + "predicted as a class of the other (the cross-task confusion of a split). Forgetting, BWT and FWT in "
                + "points. `logits` = whether the source-class logits on the test set stayed bit-identical to the "
                + "source network's (runs identical / runs, and the largest difference).\n\n");
        sb.append(headline(cells));
        for (CellResult c : cells) sb.append(cell(c));
        return sb.toString();
    }

    private static String headline(List<CellResult> cells) {
        StringBuilder sb = new StringBuilder("## Headline\n\n| cell | strategy | main accuracy | source | target | logits |\n|---|---|---|---|---|---|\n");
        for (CellResult c : cells) {
            boolean split = c.config().kind() == ScenarioConfig.Kind.SPLIT;
            for (String s : c.strategies()) {
                StrategyStats st = new StrategyStats(s, c.runsOf(s));
                sb.append(row(title(c.config()), s, pct(split ? st.allClasses() : st.target()) + (split ? " (all)" : " (target)"),
                        pct(st.source()), pct(st.target()), logits(st)));
            }
        }
        return sb.append('\n').toString();
    }

    private static String cell(CellResult c) {
        ScenarioConfig cfg = c.config();
        StringBuilder sb = new StringBuilder();
        sb.append("## ").append(title(cfg)).append("\n\n");
        Summary srcAcc = Summary.of(c.sources().stream().mapToDouble(CellResult.SourceInfo::accuracy).toArray());
        Summary srcSecs = Summary.of(c.sources().stream().mapToDouble(CellResult.SourceInfo::seconds).toArray());
        sb.append(String.format(Locale.ROOT, "Source network (two-step, shared by every strategy of a seed): source test "
                + "accuracy %s %%, training %s s. Seeds: %s. Epochs: basics %d, source %d, target %d; batch %d / %d; "
                + "Adam lr %s%s; validation %s of each training set; balanced replay %s; calibration %s.%n%n", pct(srcAcc), srcSecs.format(1, 0),
                c.sources().stream().map(s -> Long.toString(s.seed())).toList(), cfg.hyper().basicsEpochs(),
                cfg.hyper().sourceEpochs(), cfg.hyper().targetEpochs(), cfg.hyper().sourceBatch(), cfg.hyper().targetBatch(),
                cfg.hyper().learningRate(), cfg.hyper().cosine() ? " (cosine decay per phase)" : "", cfg.hyper().validation(),
                cfg.hyper().balance() ? "on" : "off", calibration(c)));
        sb.append("| strategy | all | source | target | source, own head | source as target | target as source | forgetting | BWT | FWT | trainable / total params | time (s) | logits |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (String s : c.strategies()) {
            StrategyStats st = new StrategyStats(s, c.runsOf(s));
            RunResult first = st.runs().get(0);
            sb.append(row(s, pct(st.allClasses()), pct(st.source()), pct(st.target()), pct(st.sourceTaskAware()),
                    pct(st.of(RunResult::sourceAsTarget)), pct(st.of(RunResult::targetAsSource)), pct(st.forgetting()), pct(st.backwardTransfer()), pct(st.forwardTransfer()),
                    String.format(Locale.ROOT, "%,d / %,d", first.trainable(), first.total()), st.seconds().format(1, 1), logits(st)));
        }
        sb.append("\nAccuracy matrix, mean over seeds (rows: after phase; `adapted` = target experience right after "
                + "adaptation, before target training; `random` = the same adaptation of an untrained source network):\n\n");
        List<String> exps = c.runs().get(0).matrix().experiences();
        sb.append(String.format("| strategy | after source: %s | after source: %s | adapted: %s | random: %s | after target: %s | after target: %s |%n",
                exps.get(0), exps.get(1), exps.get(1), exps.get(1), exps.get(0), exps.get(1)));
        sb.append("|---|---|---|---|---|---|---|\n");
        for (String s : c.strategies()) {
            AccuracyMatrix m = new StrategyStats(s, c.runsOf(s)).meanMatrix();
            sb.append(row(s, pct1(m.at(0, 0)), pct1(m.at(0, 1)), pct1(m.before()[1]), pct1(m.random()[1]),
                    pct1(m.at(1, 0)), pct1(m.at(1, 1))));
        }
        sb.append("\n![learning curves](").append(cfg.id()).append("-curves.png)\n");
        sb.append("![accuracy matrix](").append(cfg.id()).append("-matrix.png)\n\n");
        return sb.toString();
    }

    private static final String FIXTURES = " (fixtures)";

    /** The cell's title, marked when it ran on the fixtures. */
    private static String title(ScenarioConfig c) {
        return c.title() + (c.fixtures() ? FIXTURES : "");
    }

    private static byte[] heatMap(CellResult c) throws IOException {
        List<String> strategies = c.strategies();
        List<String> rows = new ArrayList<>(List.of("after source (shared)"));
        double[][] v = new double[strategies.size() + 1][];
        v[0] = new StrategyStats(strategies.get(0), c.runsOf(strategies.get(0))).meanMatrix().r()[0];
        for (int i = 0; i < strategies.size(); i++) {
            rows.add("after target: " + strategies.get(i));
            v[i + 1] = new StrategyStats(strategies.get(i), c.runsOf(strategies.get(i))).meanMatrix().finalRow();
        }
        return Plots.heatMap("accuracy matrix (%), " + c.config().id(), rows, c.runs().get(0).matrix().experiences(), v);
    }

    /** "off", or the mean (alpha, beta) per strategy. */
    private static String calibration(CellResult c) {
        if (!c.config().hyper().calibrate() || c.config().kind() != ScenarioConfig.Kind.SPLIT) return "off";
        List<String> parts = new ArrayList<>();
        for (String s : c.strategies()) {
            StrategyStats st = new StrategyStats(s, c.runsOf(s));
            parts.add(String.format(Locale.ROOT, "%s (%.2f, %.2f)", s, st.of(r -> r.calibration().alpha()).mean(),
                    st.of(r -> r.calibration().beta()).mean()));
        }
        return "on, mean (alpha, beta): " + String.join(", ", parts);
    }

    private static String logits(StrategyStats st) {
        long same = st.identicalRuns();
        String d = String.format(Locale.ROOT, "%.3g", st.maxLogitDiff());
        return same == st.runs().size() ? "identical (" + same + "/" + same + ")" : "differ (" + same + "/" + st.runs().size() + " identical, max diff " + d + ")";
    }

    // ------------------------------------------------------------------ csv

    static String csv(List<CellResult> cells) {
        StringBuilder sb = new StringBuilder("cell,strategy,seed,all,source,target,source_own_head,forgetting,bwt,fwt,"
                + "trainable,total,seconds,logits_identical,logits_max_abs_diff,source_as_target,target_as_source,calibration_alpha,calibration_beta\n");
        for (CellResult c : cells) {
            for (RunResult r : c.runs()) {
                sb.append(String.join(",", c.config().id(), r.strategy(), Long.toString(r.seed()), num(r.allClasses()),
                        num(r.sourceAccuracy()), num(r.targetAccuracy()), num(r.sourceTaskAware()), num(r.matrix().forgetting()),
                        num(r.matrix().backwardTransfer()), num(r.matrix().forwardTransfer()), Long.toString(r.trainable()),
                        Long.toString(r.total()), String.format(Locale.ROOT, "%.2f", r.seconds()),
                        Boolean.toString(r.logits().identical()), num(r.logits().maxAbsDiff()), num(r.sourceAsTarget()),
                        num(r.targetAsSource()), num(r.calibration().alpha()), num(r.calibration().beta()))).append('\n');
            }
        }
        return sb.toString();
    }

}
