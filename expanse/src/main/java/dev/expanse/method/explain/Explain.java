package dev.expanse.method.explain;

import static dev.expanse.method.explain.CodeLinks.*;

import dev.expanse.engine.io.AtomicFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns the {@link Findings} of an {@link ExpansionRun} into the page a learner reads:
 * {@code explain.html}, one self-contained file, and every picture of it again as
 * {@code figures/<id>.png}.
 */
public final class Explain {
    /** The page's file name inside the output folder. */
    public static final String PAGE = "explain.html";
    /** The folder of the PNG copies inside the output folder. */
    public static final String FIGURES = "figures";

    private Explain() {
    }

    /**
     * Checks, before any work, that {@code out} is (or can be made) a folder this process can write
     * into, by creating it and a file in it.
     *
     * @throws IllegalArgumentException saying why not
     */
    public static void checkWritable(Path out) {
        try {
            if (Files.exists(out) && !Files.isDirectory(out)) throw new IllegalArgumentException(out + " exists and is not a folder");
            Files.createDirectories(out);
            Files.delete(Files.createTempFile(out, ".explain-check", ".tmp"));
        } catch (IOException | SecurityException e) {
            throw new IllegalArgumentException("cannot write into " + out + " (" + e.getMessage() + ")", e);
        }
    }

    /** The checkout the tool runs in (found from the working directory), or null: where the page's source links point. */
    public static Path checkoutRoot() {
        return CodeLinks.findRoot();
    }

    /**
     * Writes every figure as a PNG, then the page, each atomically (a reader never sees half a
     * file); the page goes last, so a page on disk always has its figures beside it.
     *
     * @param root the checkout, for relative links to the sources; null to show paths as text
     * @return the sections written, in page order
     */
    public static List<Section> write(Findings f, Path out, Path root) throws IOException {
        CodeLinks k = CodeLinks.forPage(out, root);
        List<Section> sections = sections(f, k);
        for (Section s : sections) {
            for (Figure fig : s.figures()) AtomicFile.write(out.resolve(FIGURES).resolve(fig.id() + ".png"), fig.png());
        }
        AtomicFile.writeString(out.resolve(PAGE), ExplainPage.render("How growth works: a real expansion, cell by cell", lead(f), sections));
        return sections;
    }

    /** The page's sections, in order. */
    static List<Section> sections(Findings f, CodeLinks k) {
        MatrixChapters m = new MatrixChapters(f, k);
        UnitChapters u = new UnitChapters(f, k);
        List<Section> s = new ArrayList<>(List.of(overview(f, k), m.before(), m.expanded(), m.gradient(), m.trained(),
                u.firstLayer(), u.activations(), u.accuracy()));
        s.add(code(k));
        return s;
    }

    private static String lead(Findings f) {
        return "<p class=\"lead\">" + Html.escape(f.config().describe()) + String.format(Locale.ROOT,
                ". Everything below was measured in this run (%.0f s), by the engine's own classes; click a picture to see it at full size.</p>\n",
                f.seconds());
    }

    private static Section overview(Findings f, CodeLinks k) {
        String intro = Html.p("A network is trained on the source task (classes 0-4), then every layer is widened and the "
                + "wider network learns the target task (classes 5-9). The page follows the same expansion twice: <strong>frozen "
                + "EXPANSE</strong>, which freezes the old weights and starts the new-to-old ones at zero, and <strong>published "
                + "EXPANSE</strong>, which freezes nothing, as in the method's paper. Each section puts them side by side.")
                + Html.p("The weight matrices (biases grow the same way, as matrices of one column), as "
                + k.code(PARAMETER, "Parameter") + " reports them:") + matrixTable(f);
        return new Section("run", "0. What ran", intro, List.of(), "");
    }

    private static String matrixTable(Findings f) {
        StrategyRun frozen = f.runs().get(0), published = f.runs().get(1);
        StringBuilder b = new StringBuilder("<table>\n<tr><th class=\"l\">matrix</th><th>before</th><th>buffer before</th>"
                + "<th>after</th><th>buffer after</th><th>frozen (frozen EXPANSE)</th><th>trainable cells: frozen / published</th></tr>\n");
        for (int i = 0; i < f.before().size(); i++) {
            MatrixState was = f.before().get(i), now = frozen.expanded().get(i), pub = published.expanded().get(i);
            b.append(String.format(Locale.ROOT, "<tr><td class=\"l\"><code>%s</code></td><td>%dx%d</td><td>%dx%d</td><td>%dx%d</td>"
                    + "<td>%dx%d%s</td><td>%s</td><td>%d / %d</td></tr>%n", now.name(), was.rows(), was.cols(), was.capacityRows(),
                    was.capacityCols(), now.rows(), now.cols(), now.capacityRows(), now.capacityCols(),
                    now.reallocations() > was.reallocations() ? " (re-allocated)" : "",
                    now.frozenCells() > 0 ? now.frozen().rows() + " old rows x all " + now.cols() + " columns" : "-",
                    now.cells() - now.frozenCells(), pub.cells() - pub.frozenCells()));
        }
        return b.append("</table>\n").toString();
    }

    private static Section code(CodeLinks k) {
        String[][] files = {
            {PARAMETER, "the growable matrix: size, capacity, leading dimension; growRows, growCols, markOld, freezeOld"},
            {FROZEN_BLOCK, "the frozen rectangle, and the two trainable rectangles below and right of it"},
            {SEQUENTIAL, "grow: checks the plan, marks old, grows each layer and the layer above absorbs it"},
            {DENSE, "growOutputs (new rows) and growInputs (new columns); reserve"},
            {CONV2D, "the same for filters: one row per filter, kh*kw columns per input channel"},
            {LINEAR, "forward and backward of a dense layer; the weight gradient skips the frozen block"},
            {CONV, "forward and backward of a convolution; the frozen block goes to the kernel"},
            {TAPE, "reverse-mode autograd: backward runs the recorded steps in reverse"},
            {TRAINER, "step: forward, loss, backward, optimizer step"},
            {OPTIMIZER, "step: updates every parameter that has a trainable cell, then zeroes the gradients"},
            {ADAM, "update: hands the frozen block to the kernel"},
            {CPU_OPTIMIZERS, "the Adam kernel, which skips the frozen block row by row"},
            {MULTI_HEAD, "growTrunk and freezeOld for a trunk with heads"},
            {FROZEN_EXPANSE, "adapt: zero new-to-old weights, then freeze the old rows"},
            {PUBLISHED_EXPANSE, "adapt: random new and new-to-old weights, nothing frozen"},
            {GEMM_INVARIANCE, "the test that old outputs keep their bits when a product grows"},
            {EXPANSION_RUN, "the run this page draws"},
        };
        StringBuilder b = new StringBuilder(Html.p(k.linked()
                ? "The links lead to the sources in this checkout."
                : "This page was written outside the checkout, so the files are named by their path in it."));
        b.append("<ul>\n");
        for (String[] e : files) b.append("<li>").append(k.file(e[0])).append(": ").append(Html.escape(e[1])).append("</li>\n");
        b.append("</ul>\n");
        return new Section("code", "8. Where to read the code", b.toString(), List.of(), "");
    }
}
