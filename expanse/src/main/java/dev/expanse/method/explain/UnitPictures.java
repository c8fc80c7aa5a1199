package dev.expanse.method.explain;

import dev.expanse.engine.data.Dataset;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.Locale;

/**
 * Pictures of units rather than matrices: first-layer neurons (or filters) drawn as images of
 * their input weights, the probe images, and the activations of old and new units.
 */
final class UnitPictures {
    private static final int MARGIN = 8, GAP = 10, TILE = 84, PER_LINE = 8;

    private UnitPictures() {
    }

    /**
     * Each row of the first layer's weights {@code w} drawn as an {@code h x w} image (a neuron's
     * 784 input weights as 28x28, or a 5x5 filter), each on its own symmetric scale so the pattern
     * shows whatever its size; old units first, then new ones on their own lines.
     */
    static byte[] firstLayer(MatrixState w, int oldUnits, int h, int wd, String title) {
        int px = Math.max(1, TILE / Math.max(h, wd));
        int tw = wd * px, th = h * px;
        int oldLines = lines(oldUnits), newLines = lines(w.rows() - oldUnits);
        int groups = (oldUnits > 0 ? 1 : 0) + (w.rows() > oldUnits ? 1 : 0);
        int width = Math.max(PER_LINE * (tw + GAP), Pictures.textWidth(title)) + 2 * MARGIN;
        int height = MARGIN + Pictures.LINE * (1 + groups) + (oldLines + newLines) * (th + GAP) + MARGIN;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = Pictures.canvas(img);
        Pictures.text(g, title, MARGIN, MARGIN / 2, Pictures.INK);
        int y = MARGIN + Pictures.LINE;
        if (oldUnits > 0) y = group(g, w, 0, oldUnits, "old units 0-" + (oldUnits - 1), y, h, wd, px);
        if (w.rows() > oldUnits) group(g, w, oldUnits, w.rows(), "new units " + oldUnits + "-" + (w.rows() - 1), y, h, wd, px);
        g.dispose();
        return Pictures.png(img);
    }

    private static int lines(int units) {
        return (units + PER_LINE - 1) / PER_LINE;
    }

    /** Draws units [from, to) under a label; returns the y below them. */
    private static int group(Graphics2D g, MatrixState w, int from, int to, String label, int y, int h, int wd, int px) {
        Pictures.text(g, label, MARGIN, y, Pictures.MUTED);
        y += Pictures.LINE;
        for (int u = from; u < to; u++) {
            int k = u - from, x = MARGIN + (k % PER_LINE) * (wd * px + GAP), ty = y + (k / PER_LINE) * (h * px + GAP);
            float scale = 0;
            for (int i = 0; i < h * wd; i++) scale = Math.max(scale, Math.abs(w.at(u, i)));
            for (int i = 0; i < h * wd; i++) {
                g.setColor(Pictures.diverging(w.at(u, i), scale, 0f));
                g.fillRect(x + (i % wd) * px, ty + (i / wd) * px, px, px);
            }
            g.setColor(Pictures.SPARE_LINE);
            g.drawRect(x - 1, ty - 1, wd * px + 1, h * px + 1);
        }
        return y + lines(to - from) * (h * px + GAP);
    }

    /** The probe images side by side, each with its label. */
    static byte[] probes(Dataset d, String title) {
        int px = 3, tw = d.width() * px;
        int width = Math.max(d.size() * (tw + GAP), Pictures.textWidth(title)) + 2 * MARGIN;
        BufferedImage img = new BufferedImage(width, MARGIN + 2 * Pictures.LINE + d.height() * px + MARGIN, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = Pictures.canvas(img);
        Pictures.text(g, title, MARGIN, MARGIN / 2, Pictures.INK);
        for (int i = 0; i < d.size(); i++) {
            float[] x = d.image(i);
            int x0 = MARGIN + i * (tw + GAP), y0 = MARGIN + Pictures.LINE;
            for (int p = 0; p < d.height() * d.width(); p++) {
                g.setColor(Pictures.mix(Color.WHITE, Pictures.INK, x[p]));
                g.fillRect(x0 + (p % d.width()) * px, y0 + (p / d.width()) * px, px, px);
            }
            Pictures.text(g, "class " + d.label(i), x0, y0 + d.height() * px, Pictures.MUTED);
        }
        g.dispose();
        return Pictures.png(img);
    }

    /**
     * One layer's units for every probe image, before expansion (old units only; new ones hatched,
     * as they did not exist) and after target training, with how many old cells kept their bits.
     */
    static byte[] activations(Probe.Activity before, Probe.Activity after, int oldUnits, int[] labels, String title) {
        int cw = 18, ch = 13, label = 92, rows = 2 * labels.length;
        float max = 0;
        for (int i = 0; i < labels.length; i++) {
            for (int u = 0; u < after.units(); u++) max = Math.max(max, after.unit(i, u));
            for (int u = 0; u < oldUnits; u++) max = Math.max(max, before.unit(i, u));
        }
        int[] same = after.identicalOld(before, oldUnits);
        String foot = String.format(Locale.ROOT, "old units' cells bit-identical to before: %d of %d", same[0], same[1]);
        int gw = after.units() * cw;
        int width = Math.max(label + gw, Math.max(Pictures.textWidth(title), Pictures.textWidth(foot))) + 2 * MARGIN;
        BufferedImage img = new BufferedImage(width, MARGIN + 2 * Pictures.LINE + rows * ch + labels.length * 4 + MARGIN, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = Pictures.canvas(img);
        Pictures.text(g, title, MARGIN, MARGIN / 2, Pictures.INK);
        int y = MARGIN + Pictures.LINE;
        for (int i = 0; i < labels.length; i++) {
            for (int k = 0; k < 2; k++) {
                Probe.Activity a = k == 0 ? before : after;
                int x0 = MARGIN + label;
                g.setColor(Pictures.MUTED);
                g.drawString("class " + labels[i] + (k == 0 ? " before" : " after"), MARGIN, y + ch - 2);
                for (int u = 0; u < after.units(); u++) {
                    if (k == 0 && u >= oldUnits) Pictures.hatch(g, x0 + u * cw, y, cw, ch);
                    else {
                        g.setColor(Pictures.sequential(a.unit(i, u), max));
                        g.fillRect(x0 + u * cw, y, cw, ch);
                    }
                }
                y += ch;
            }
            y += 4;
        }
        g.setColor(Pictures.INK);
        g.fillRect(MARGIN + label + oldUnits * cw - 1, MARGIN + Pictures.LINE, 2, y - MARGIN - Pictures.LINE - 4);
        Pictures.text(g, foot, MARGIN, y, Pictures.MUTED);
        g.dispose();
        return Pictures.png(img);
    }
}
