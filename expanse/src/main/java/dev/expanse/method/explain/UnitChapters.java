package dev.expanse.method.explain;

import static dev.expanse.method.explain.CodeLinks.*;

import dev.expanse.method.metrics.AccuracyMatrix;
import dev.expanse.method.report.Plots;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The page's sections about units and outcomes: what the first layer's units look at, the
 * activations and logits of a few images, and the accuracy matrix.
 */
final class UnitChapters {
    private final Findings f;
    private final CodeLinks k;
    private final boolean cnn;

    UnitChapters(Findings f, CodeLinks k) {
        this.f = f;
        this.k = k;
        this.cnn = f.config().arch() == ExplainConfig.Arch.CNN;
    }

    Section firstLayer() {
        MatrixState src = f.before().get(0);
        int h = cnn ? 5 : f.probeImages().height(), w = cnn ? 5 : f.probeImages().width();
        String unit = cnn ? "filter" : "neuron";
        String intro = Html.p(cnn
                ? "Each row of <code>conv1.weight</code> is one 5x5 filter over the image; here every filter is drawn as "
                  + "a 5x5 picture (blue negative, red positive, each on its own scale). New filters are new rows, added by "
                  + k.code(CONV2D, "Conv2d.growOutputs") + "."
                : "Each row of <code>dense1.weight</code> holds one neuron's 784 input weights; reshaped to 28x28 it shows "
                  + "which pixels excite (red) or inhibit (blue) the neuron, each on its own scale. New neurons are new rows, "
                  + "added by " + k.code(DENSE, "Dense.growOutputs") + ".")
                + Html.p("With frozen EXPANSE the old " + unit + "s are the source network's, bit for bit, and only the new "
                + "ones learned the target classes; with published EXPANSE the old ones drifted too.");
        List<Figure> row = new ArrayList<>();
        row.add(new Figure("first-layer-source", "first-layer " + unit + "s of the source network",
                UnitPictures.firstLayer(src, src.rows(), h, w, "source network: " + src.rows() + " " + unit + "s"),
                "The source network's " + src.rows() + " " + unit + "s, trained on 0-4."));
        for (StrategyRun r : f.runs()) {
            MatrixState m = r.trained().get(0);
            MatrixState.Count n = m.changedFrom(oldPart(m, src));
            row.add(new Figure("first-layer-" + r.id(), "first-layer " + unit + "s after target training, " + r.title(),
                    UnitPictures.firstLayer(m, m.oldRows(), h, w, r.title() + ": after target training"),
                    String.format(Locale.ROOT, "%s after target training: %d old and %d new %ss; %d of the old %ss' %d weights differ from the source network's.",
                            r.title(), m.oldRows(), m.rows() - m.oldRows(), unit, n.inOld(), unit, m.oldRows() * m.oldCols())));
        }
        return new Section("first-layer", "5. What the first layer's " + unit + "s look at", intro, List.of(row), "");
    }

    /** {@code src}'s values laid into a matrix of {@code m}'s size (zeros elsewhere), to compare the old block cell by cell. */
    private static MatrixState oldPart(MatrixState m, MatrixState src) {
        float[] v = m.values().clone();
        for (int r = 0; r < src.rows(); r++) {
            for (int c = 0; c < src.cols(); c++) v[r * m.cols() + c] = src.at(r, c);
        }
        return new MatrixState(m.name(), m.rows(), m.cols(), m.capacityRows(), m.capacityCols(), m.oldRows(), m.oldCols(),
                m.frozen(), m.reallocations(), v);
    }

    Section activations() {
        int[] labels = f.probeImages().labels();
        String intro = Html.p("A few test images, three of the source classes and three of the target classes, run through "
                + "the network before expansion and after target training. Each row is one image, each column one "
                + (cnn ? "filter (the mean of its feature map after ReLU)" : "neuron (its output after ReLU)") + "; "
                + "the black line parts the old units from the new ones, which did not exist before (hatched).")
                + Html.p("The old units and the source logits stay bit-identical under frozen EXPANSE because every number "
                + "that feeds them is unchanged: their rows are frozen, and their new-to-old inputs are exactly zero. "
                + "The GEMM then gives each old output the same bits, however many zero inputs are added (the property "
                + "that " + k.code(GEMM_INVARIANCE, "CpuGemmGrowthInvarianceTest") + " checks for every kernel path).");
        List<List<Figure>> rows = new ArrayList<>();
        rows.add(List.of(new Figure("probes", "the probe images", UnitPictures.probes(f.probeImages(), "the probe images (test set)"),
                "The probe images, from the test set.")));
        for (int l = 0; l < f.sourceProbe().layers().size(); l++) {
            List<Figure> row = new ArrayList<>();
            for (StrategyRun r : f.runs()) {
                Probe.Activity before = f.sourceProbe().layers().get(l), after = r.probe().layers().get(l);
                int[] same = after.identicalOld(before, before.units());
                row.add(new Figure("activations-" + r.id() + "-" + after.name(), "activations of " + after.name() + ", " + r.title(),
                        UnitPictures.activations(before, after, before.units(), labels, after.name() + ", " + r.title()),
                        String.format(Locale.ROOT, "%s, <code>%s</code>: %d of %d old-unit values bit-identical to the source network's.",
                                r.title(), after.name(), same[0], same[1])));
            }
            rows.add(row);
        }
        return new Section("activations", "6. Activations and source logits, bit for bit", intro, rows, logitTables(labels));
    }

    private String logitTables(int[] labels) {
        StringBuilder b = new StringBuilder("<div class=\"tables\">\n");
        int classes = f.sourceProbe().logits()[0].length;
        for (StrategyRun r : f.runs()) {
            int[] same = r.probe().identicalLogits(f.sourceProbe(), classes);
            b.append("<div><h3>").append(r.title()).append(String.format(Locale.ROOT,
                    ": source logits before / after, %d of %d bit-identical</h3>\n<table>\n<tr><th class=\"l\">image</th>", same[0], same[1]));
            for (int c = 0; c < classes; c++) b.append("<th>logit ").append(c).append("</th>");
            b.append("<th>answer after</th></tr>\n");
            for (int i = 0; i < labels.length; i++) {
                float[] was = f.sourceProbe().logits()[i], now = r.probe().logits()[i];
                b.append("<tr><th class=\"l\">class ").append(labels[i]).append("</th>");
                for (int c = 0; c < classes; c++) {
                    boolean eq = Float.floatToRawIntBits(was[c]) == Float.floatToRawIntBits(now[c]);
                    b.append("<td class=\"").append(eq ? "same" : "diff").append("\" title=\"bits 0x")
                            .append(Integer.toHexString(Float.floatToRawIntBits(was[c]))).append(" / 0x")
                            .append(Integer.toHexString(Float.floatToRawIntBits(now[c]))).append("\">")
                            .append(was[c]).append("<br>").append(now[c]).append(eq ? " =" : " &ne;").append("</td>");
                }
                b.append("<td>").append(argmax(now)).append("</td></tr>\n");
            }
            b.append("</table></div>\n");
        }
        return b.append("</div>\n").append(Html.p("Each cell: the logit before expansion, then after target training "
                + "(<code>Float.toString</code>, which prints the shortest decimal that reads back to the same bits; hover a cell for "
                + "the hexadecimal bits). \"Answer after\" is the class the expanded network picks among all ten.")).toString();
    }

    private static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
        return best;
    }

    Section accuracy() {
        String intro = Html.p("Rows are training phases, columns are tasks: test accuracy on classes 0-4 and on 5-9 after "
                + "the source phase and after the target phase (" + k.code(ACCURACY_MATRIX, "AccuracyMatrix") + "). After the "
                + "source phase the network has no outputs for 5-9, so it scores 0 there. The answer after the target phase "
                + "is the argmax over all ten outputs: even with the source logits bit-identical, frozen EXPANSE can lose "
                + "source images to the new outputs, which is what the small rehearsal is for. A network this small, trained "
                + "this briefly, says little about which strategy scores better: " + k.file(METHOD_RESULTS)
                + " measures that at the published sizes, over seeds.");
        List<Figure> row = new ArrayList<>();
        for (StrategyRun r : f.runs()) {
            AccuracyMatrix m = r.accuracy();
            row.add(new Figure("accuracy-" + r.id(), "accuracy matrix, " + r.title(), heatMap(r.title(), m),
                    String.format(Locale.ROOT, "%s: 0-4 went from %.1f%% to %.1f%% (backward transfer %+.1f points); 5-9 reached %.1f%%.",
                            r.title(), 100 * m.at(0, 0), 100 * m.at(1, 0), 100 * m.backwardTransfer(), 100 * m.at(1, 1))));
        }
        return new Section("accuracy", "7. The accuracy matrix", intro, List.of(row), "");
    }

    private static byte[] heatMap(String title, AccuracyMatrix m) {
        try {
            return Plots.heatMap(title + ": test accuracy (%)", List.of("after 0-4", "after 5-9"), m.experiences(), m.r());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot draw the accuracy matrix", e);
        }
    }
}
