package dev.expanse.method.explain;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.Locale;

/**
 * Heat maps of one weight matrix as it lies in its buffer: one cell per weight, rows = outputs,
 * columns = inputs, spare capacity hatched, the frozen block outlined solid, the old block (the
 * matrix before expansion) outlined dashed. The same layout draws weights, a difference between
 * two moments, and a gradient mask, so the three can be compared cell by cell.
 */
final class MatrixPictures {
    private static final int MARGIN = 8, MAX_WIDTH = 760, MAX_HEIGHT = 220, MAX_CELL = 18;

    private MatrixPictures() {
    }

    /** How one cell is coloured. */
    @FunctionalInterface
    private interface CellColour {
        Color at(int r, int c);
    }

    /** The weights of {@code m}, coloured on {@code scale} (blue negative, red positive, white exactly 0). */
    static byte[] weights(MatrixState m, float scale, String title) {
        return draw(m, title, footer(m), (r, c) -> Pictures.diverging(m.at(r, c), scale, 0.12f));
    }

    /**
     * The cells whose bits changed between {@code earlier} and {@code now}, coloured by the change;
     * unchanged cells white.
     */
    static byte[] difference(MatrixState now, MatrixState earlier, String title) {
        MatrixState.Count n = now.changedFrom(earlier);
        float[] delta = new float[now.cells()];
        for (int i = 0; i < delta.length; i++) delta[i] = now.values()[i] - earlier.values()[i];
        float scale = Pictures.scale(delta);
        String foot = String.format(Locale.ROOT, "changed: %d of %d cells; in the old block: %d of %d; %s",
                n.all(), now.cells(), n.inOld(), now.oldRows() * now.oldCols(), inFrozen(n.inFrozen(), now));
        return draw(now, title, foot, (r, c) -> Float.floatToRawIntBits(now.at(r, c)) == Float.floatToRawIntBits(earlier.at(r, c))
                ? Color.WHITE : Pictures.diverging(delta[r * now.cols() + c], scale, 0.3f));
    }

    /** Orange where the gradient {@code g} of one step is non-zero, white where it is exactly zero. */
    static byte[] gradientMask(MatrixState g, String title) {
        MatrixState.Count n = g.nonZero();
        String foot = String.format(Locale.ROOT, "non-zero gradient: %d of %d cells; %s", n.all(), g.cells(), inFrozen(n.inFrozen(), g));
        return draw(g, title, foot, (r, c) -> g.at(r, c) != 0f ? Pictures.GRADIENT : Color.WHITE);
    }

    private static String inFrozen(int count, MatrixState m) {
        return m.frozenCells() == 0 ? "nothing frozen" : String.format(Locale.ROOT, "in the frozen block: %d of %d", count, m.frozenCells());
    }

    private static String footer(MatrixState m) {
        int[] z = m.newToOldZeros();
        String s = String.format(Locale.ROOT, "%dx%d in a %dx%d buffer", m.rows(), m.cols(), m.capacityRows(), m.capacityCols());
        if (m.frozenCells() > 0) s += "; frozen " + m.frozen().rows() + "x" + m.frozen().cols();
        if (z[0] > 0) s += "; new-to-old cells exactly 0: " + z[1] + " of " + z[0];
        return s;
    }

    private static byte[] draw(MatrixState m, String title, String footer, CellColour colour) {
        int cw = clamp(MAX_WIDTH / Math.max(1, m.capacityCols()), 1, MAX_CELL);
        int ch = clamp(MAX_HEIGHT / Math.max(1, m.capacityRows()), Math.max(cw, 4), MAX_CELL);
        int gw = m.capacityCols() * cw, gh = m.capacityRows() * ch;
        int width = Math.max(gw, Math.max(Pictures.textWidth(title), Pictures.textWidth(footer))) + 2 * MARGIN;
        BufferedImage img = new BufferedImage(width, gh + 2 * Pictures.LINE + 2 * MARGIN, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = Pictures.canvas(img);
        Pictures.text(g, title, MARGIN, 2, Pictures.INK);
        int x0 = MARGIN, y0 = MARGIN + Pictures.LINE;
        Pictures.hatch(g, x0, y0, gw, gh);
        for (int r = 0; r < m.rows(); r++) {
            for (int c = 0; c < m.cols(); c++) {
                g.setColor(colour.at(r, c));
                g.fillRect(x0 + c * cw, y0 + r * ch, cw, ch);
            }
        }
        Pictures.dashed(g, x0, y0, m.oldCols() * cw, m.oldRows() * ch, Pictures.MUTED);
        Pictures.outline(g, x0, y0, m.frozen().cols() * cw, m.frozen().rows() * ch, Pictures.INK);
        Pictures.text(g, footer, MARGIN, y0 + gh + 3, Pictures.MUTED);
        g.dispose();
        return Pictures.png(img);
    }

    private static int clamp(int v, int lo, int hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
