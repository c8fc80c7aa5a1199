package dev.expanse.method.explain;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import javax.imageio.ImageIO;

/** The drawing vocabulary shared by every picture of the page: colours, hatching, text, PNG encoding. */
final class Pictures {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    static final Color NEGATIVE = new Color(33, 102, 172), POSITIVE = new Color(178, 24, 43);
    static final Color GRADIENT = new Color(230, 85, 13), INK = new Color(25, 25, 25), MUTED = new Color(90, 90, 90);
    static final Color SPARE = new Color(232, 232, 232), SPARE_LINE = new Color(196, 196, 196);
    static final Font TEXT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    /** Height of a line of text, title or footer. */
    static final int LINE = 17;

    private Pictures() {
    }

    /** A white canvas with antialiased text. */
    static Graphics2D canvas(BufferedImage img) {
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(TEXT);
        return g;
    }

    /** Width of {@code text} in the page's picture font. */
    static int textWidth(String text) {
        BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scratch.createGraphics();
        FontMetrics fm = g.getFontMetrics(TEXT);
        int w = fm.stringWidth(text);
        g.dispose();
        return w;
    }

    /** Draws {@code text} with its baseline a little above {@code y + LINE}. */
    static void text(Graphics2D g, String text, int x, int y, Color c) {
        g.setColor(c);
        g.drawString(text, x, y + LINE - 5);
    }

    /**
     * Blue for negative, red for positive, white for exactly zero. A non-zero value is never drawn
     * pure white (at least {@code floor} of the full colour), so a learner can tell an exact zero,
     * such as a zero new-to-old weight, from a small weight.
     */
    static Color diverging(float v, float scale, float floor) {
        if (v == 0f) return Color.WHITE;
        float t = scale > 0 ? Math.min(1f, Math.abs(v) / scale) : 1f;
        return mix(Color.WHITE, v < 0 ? NEGATIVE : POSITIVE, floor + (1 - floor) * t);
    }

    /** White at 0 to dark blue at {@code max}: for activations, which ReLU keeps >= 0. */
    static Color sequential(float v, float max) {
        float t = max > 0 ? Math.max(0f, Math.min(1f, v / max)) : 0f;
        return mix(Color.WHITE, new Color(8, 48, 107), t);
    }

    static Color mix(Color a, Color b, float t) {
        return new Color(Math.round(a.getRed() + (b.getRed() - a.getRed()) * t),
                Math.round(a.getGreen() + (b.getGreen() - a.getGreen()) * t),
                Math.round(a.getBlue() + (b.getBlue() - a.getBlue()) * t));
    }

    /** Light grey with diagonal lines: cells that exist in the buffer but not in the matrix (spare capacity), or units that did not exist yet. */
    static void hatch(Graphics2D g, int x, int y, int w, int h) {
        if (w <= 0 || h <= 0) return;
        g.setColor(SPARE);
        g.fillRect(x, y, w, h);
        Shape clip = g.getClip();
        g.clipRect(x, y, w, h);
        g.setColor(SPARE_LINE);
        g.setStroke(new BasicStroke(1f));
        for (int d = -h; d < w; d += 6) g.drawLine(x + d, y + h, x + d + h, y);
        g.setClip(clip);
    }

    /** A solid outline just outside the rectangle (the frozen block). */
    static void outline(Graphics2D g, int x, int y, int w, int h, Color c) {
        if (w <= 0 || h <= 0) return;
        g.setColor(c);
        g.setStroke(new BasicStroke(2f));
        g.drawRect(x - 1, y - 1, w + 1, h + 1);
    }

    /** A dashed outline on the rectangle's edge (the old block). */
    static void dashed(Graphics2D g, int x, int y, int w, int h, Color c) {
        if (w <= 0 || h <= 0) return;
        g.setColor(c);
        g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {4f, 3f}, 0f));
        g.drawRect(x, y, w - 1, h - 1);
    }

    /**
     * A colour scale for values: the 99th percentile of their absolute values, ignoring exact
     * zeros, so that a few large weights do not wash out the rest; 1 when all are zero.
     */
    static float scale(float[]... arrays) {
        int n = 0;
        for (float[] a : arrays) for (float v : a) if (v != 0f) n++;
        if (n == 0) return 1f;
        float[] abs = new float[n];
        int k = 0;
        for (float[] a : arrays) for (float v : a) if (v != 0f) abs[k++] = Math.abs(v);
        Arrays.sort(abs);
        return abs[Math.min(n - 1, (int) (0.99 * n))];
    }

    /** PNG bytes of {@code img}. */
    static byte[] png(BufferedImage img) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(img, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a PNG in memory", e);
        }
    }
}
