package dev.expanse.method.explain;

import static dev.expanse.method.explain.CodeLinks.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The page's sections about whole weight matrices: before expansion, right after it, the
 * gradient of one step, and after target training with what changed.
 */
final class MatrixChapters {
    private final Findings f;
    private final CodeLinks k;

    MatrixChapters(Findings f, CodeLinks k) {
        this.f = f;
        this.k = k;
    }

    private static String slug(MatrixState m) {
        return m.name().replace('.', '-');
    }

    /** One colour scale per matrix, shared by every moment and both strategies, so colours compare. */
    private float scale(String name) {
        List<float[]> all = new ArrayList<>();
        for (MatrixState m : f.before()) if (m.name().equals(name)) all.add(m.values());
        for (StrategyRun r : f.runs()) {
            for (MatrixState m : r.expanded()) if (m.name().equals(name)) all.add(m.values());
            for (MatrixState m : r.trained()) if (m.name().equals(name)) all.add(m.values());
        }
        return Pictures.scale(all.toArray(new float[0][]));
    }

    Section before() {
        String intro = Html.p("The source network was trained on classes 0-4 only. Every weight matrix is a "
                + k.code(PARAMETER, "Parameter") + ": <code>[outputs, inputs]</code>, one row per neuron (or filter) and one "
                + "column per input, stored row by row in a buffer that may be larger than the matrix, like an "
                + "<code>ArrayList</code> in two directions. Its <em>leading dimension</em> (" + k.code(PARAMETER, "Parameter.ld")
                + ") is the buffer's row length, so every kernel reads the matrix in place, spare room and all.");
        List<List<Figure>> rows = new ArrayList<>();
        for (MatrixState m : f.before()) {
            String cap = String.format(Locale.ROOT, "<code>%s</code>: %dx%d weights in a %dx%d buffer. ", m.name(), m.rows(), m.cols(),
                    m.capacityRows(), m.capacityCols());
            cap += m.capacityRows() > m.rows() || m.capacityCols() > m.cols()
                    ? "The hatched cells are spare capacity, reserved by " + k.code(DENSE, "Dense.reserve") + " (called by "
                      + k.code(NET_SPEC, "NetSpec.trunk") + "): growing into it writes only the new cells."
                    : "No spare capacity: the first growth re-allocates the buffer, 1.5 times larger, and copies the old cells "
                      + "(" + k.code(PARAMETER, "Parameter.growRows") + ", " + k.code(PARAMETER, "growCols") + ").";
            rows.add(List.of(new Figure("before-" + slug(m), m.name() + " before expansion",
                    MatrixPictures.weights(m, scale(m.name()), m.name() + " before expansion"), cap)));
        }
        return new Section("before", "1. The source network, before expansion", intro, rows, "");
    }

    Section expanded() {
        String intro = Html.p(k.code(SEQUENTIAL, "Sequential.grow") + " first calls " + k.code(PARAMETER, "Parameter.markOld")
                + " on every parameter, so each one remembers its old rows and columns (the dashed block). Then, bottom up, "
                + k.code(DENSE, "Dense.growOutputs") + " (or " + k.code(CONV2D, "Conv2d.growOutputs") + ") appends new rows "
                + "with " + k.code(PARAMETER, "Parameter.growRows") + ", and the layer above absorbs the new units as new "
                + "columns: " + k.code(DENSE, "Dense.growInputs") + " calls " + k.code(PARAMETER, "Parameter.growCols")
                + ". The head gets new rows for classes 5-9. The same objects live on; only new cells are written.")
                + Html.p(k.code(FROZEN_EXPANSE, "FrozenExpanse.adapt") + " draws the new rows He-normal and the new-to-old "
                + "columns (old neurons reading new ones) as exact zeros, then " + k.code(MULTI_HEAD, "MultiHeadNet.freezeOld")
                + " calls " + k.code(PARAMETER, "Parameter.freezeOld") + ": the old rows are frozen over all their columns, "
                + "a " + k.code(FROZEN_BLOCK, "FrozenBlock") + " (solid outline). " + k.code(PUBLISHED_EXPANSE, "PublishedExpanse.adapt")
                + " draws every new weight from N(0, 0.05&sup2;), as the authors' notebooks did, and freezes nothing.");
        List<List<Figure>> rows = new ArrayList<>();
        for (int i = 0; i < f.before().size(); i++) {
            List<Figure> row = new ArrayList<>();
            for (StrategyRun r : f.runs()) {
                MatrixState m = r.expanded().get(i), was = f.before().get(i);
                int[] z = m.newToOldZeros();
                String cap = String.format(Locale.ROOT, "%s: <code>%s</code> grew from %dx%d to %dx%d (%d new rows, %d new columns). ",
                        r.title(), m.name(), was.rows(), was.cols(), m.rows(), m.cols(), m.rows() - was.rows(), m.cols() - was.cols());
                if (z[0] > 0) cap += String.format(Locale.ROOT, "New-to-old cells exactly zero: %d of %d. ", z[1], z[0]);
                cap += m.frozenCells() > 0 ? String.format(Locale.ROOT, "Frozen: the %d old rows over all %d columns. ", m.frozen().rows(), m.cols())
                        : "Nothing frozen. ";
                if (m.reallocations() > was.reallocations()) cap += "The buffer was re-allocated (it had no room).";
                row.add(new Figure("expanded-" + r.id() + "-" + slug(m), m.name() + " right after expansion, " + r.title(),
                        MatrixPictures.weights(m, scale(m.name()), m.name() + ", " + r.title() + ", right after expansion"), cap));
            }
            rows.add(row);
        }
        return new Section("expanded", "2. Right after expansion", intro, rows, "");
    }

    Section gradient() {
        String intro = Html.p("The first step of target training, " + k.code(TRAINER, "Trainer.step") + ": forward to logits, "
                + "softmax cross-entropy, " + k.code(TAPE, "Tape.backward")
                + ", then the optimizer step. The picture is the gradient buffer between the backward pass and the step.")
                + Html.p("The backward of a dense layer, " + k.code(LINEAR, "Linear.forward") + " (its recorded step, "
                + "<code>weightGradient</code>), asks the " + k.code(FROZEN_BLOCK, "FrozenBlock") + " for the two trainable "
                + "rectangles, " + k.code(FROZEN_BLOCK, "FrozenBlock.below") + " (the new rows over every column) and "
                + k.code(FROZEN_BLOCK, "FrozenBlock.right") + " (new columns of old rows), and runs one GEMM "
                + "<code>dW += dy<sup>T</sup> x</code> over each: the frozen rows' gradient is never computed. With frozen "
                + "EXPANSE the block covers the old rows over all their columns, so <code>right</code> is empty and one GEMM runs. "
                + "A convolution hands the block to " + k.code(CONV, "Conv.forward") + "'s backward kernel the same way. "
                + k.code(ADAM, "Adam.update") + " then passes it whole to the kernel (" + k.code(CPU_OPTIMIZERS, "CpuOptimizers")
                + "), which never writes a frozen cell.")
                + Html.p("White cells inside the trainable part were computed and came out exactly zero: a whole column is "
                + "an input that is 0 in every image of the batch (a blank border pixel, or a unit below whose ReLU was off), "
                + "a whole row a neuron whose own ReLU was off for every image.");
        List<List<Figure>> rows = new ArrayList<>();
        for (int i = 0; i < f.before().size(); i++) {
            List<Figure> row = new ArrayList<>();
            for (StrategyRun r : f.runs()) {
                MatrixState g = r.gradients().get(i);
                MatrixState.Count n = g.nonZero();
                String cap = String.format(Locale.ROOT, "%s: <code>%s</code>: %d of %d cells got a non-zero gradient; %s",
                        r.title(), g.name(), n.all(), g.cells(), g.frozenCells() > 0
                                ? String.format(Locale.ROOT, "%d of the %d frozen cells.", n.inFrozen(), g.frozenCells())
                                : "nothing is frozen, so old rows learn too.");
                row.add(new Figure("gradient-" + r.id() + "-" + slug(g), "gradient mask of " + g.name() + ", " + r.title(),
                        MatrixPictures.gradientMask(g, g.name() + ", " + r.title() + ": gradient of the first target step"), cap));
            }
            rows.add(row);
        }
        return new Section("gradient", "3. One training step: which cells got a gradient", intro, rows, "");
    }

    Section trained() {
        String intro = Html.p("The same matrices after target training on classes 5-9 (with "
                + Math.round(100 * f.config().rehearsal()) + "% of the 0-4 images replayed), and under each the cells whose "
                + "bits changed since right after expansion. Frozen EXPANSE changes nothing inside the solid outline; "
                + "published EXPANSE lets the old block drift.");
        List<List<Figure>> rows = new ArrayList<>();
        for (int i = 0; i < f.before().size(); i++) {
            List<Figure> weights = new ArrayList<>(), diffs = new ArrayList<>();
            for (StrategyRun r : f.runs()) {
                MatrixState m = r.trained().get(i), was = r.expanded().get(i);
                MatrixState.Count n = m.changedFrom(was);
                weights.add(new Figure("trained-" + r.id() + "-" + slug(m), m.name() + " after target training, " + r.title(),
                        MatrixPictures.weights(m, scale(m.name()), m.name() + ", " + r.title() + ", after target training"),
                        r.title() + ": <code>" + m.name() + "</code> after target training."));
                String cap = String.format(Locale.ROOT, "%s: %d of %d cells changed; %d of the %d old-block cells; %s",
                        r.title(), n.all(), m.cells(), n.inOld(), m.oldRows() * m.oldCols(), m.frozenCells() > 0
                                ? String.format(Locale.ROOT, "<strong>%d</strong> of the %d frozen cells.", n.inFrozen(), m.frozenCells())
                                : "nothing was frozen.");
                diffs.add(new Figure("difference-" + r.id() + "-" + slug(m), "changed cells of " + m.name() + ", " + r.title(),
                        MatrixPictures.difference(m, was, m.name() + ", " + r.title() + ": changed by training"), cap));
            }
            rows.add(weights);
            rows.add(diffs);
        }
        return new Section("trained", "4. After target training, and what changed", intro, rows, "");
    }
}
