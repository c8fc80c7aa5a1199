package dev.expanse.method.basics;

import dev.expanse.engine.Rng;
import dev.expanse.engine.data.Dataset;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.GraphicsEnvironment;
import java.awt.RenderingHints;
import java.awt.font.GlyphVector;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Basics data for digits: the digits 0-9 typed in every usable installed font, in plain, bold and
 * italic, normalised like MNIST (see {@link MnistFrame}), and multiplied by small seeded
 * distortions. This automates what the EXPANSE authors did by hand with 18 fonts.
 *
 * <p>Rendering is headless: the class sets {@code java.awt.headless=true} unless the property is
 * already set, and needs no display either way. Output is deterministic for a seed, a JDK and
 * the same installed fonts.
 *
 * <p>Which faces are usable is decided once per JVM ({@link #faces()}): a family must not be one
 * of Java's logical fonts (Dialog, SansSerif, ...: aliases of installed ones), must claim to
 * display "0123456789", and each of its styles must draw ten non-blank, pairwise different
 * digits (tofu boxes fail this) with strokes at least {@value #MIN_STROKE} px wide on average
 * in the 28x28 frame (hairline weights fail this), that look like digits: the nearest-class-mean
 * rule over the consensus of all candidate faces must recognise at least {@value
 * #MIN_RECOGNISED} of the ten (dingbat fonts fail this). A style that renders exactly like an
 * earlier face (a metric clone, or a style the family lacks and Java does not synthesise) is
 * dropped as a duplicate.
 */
public final class GlyphBasics {
    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    /** The styles every family is drawn in. */
    public static final List<Integer> STYLES = List.of(Font.PLAIN, Font.BOLD, Font.ITALIC);

    /** Digits a face must get right under nearest-class-mean to count as a digit font. */
    static final int MIN_RECOGNISED = 7;

    /**
     * Thinnest mean stroke, in pixels of the 28x28 frame, of a usable face. MNIST's strokes are
     * 1.7 to 3.9 px wide (5th to 95th percentile on the fixture, by {@code Ink.strokeWidth});
     * hairline weights come out near 0.9 px and, antialiased, grey rather than white.
     */
    static final double MIN_STROKE = 1.0;

    private static final Set<String> LOGICAL_FAMILIES =
            Set.of("Dialog", "DialogInput", "Monospaced", "SansSerif", "Serif");
    private static final int[] ALL_DIGITS = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    /** Glyphs are drawn this large (pixels per em) and then scaled down, as MNIST's were. */
    private static final int EM = 112;
    private static final int CANVAS = 2 * EM;
    private static final Map<Face, float[][]> CLEAN = new ConcurrentHashMap<>();

    private GlyphBasics() {
    }

    /** A font family in one style ({@link Font#PLAIN}, {@link Font#BOLD} or {@link Font#ITALIC}). */
    public record Face(String family, int style) {
        public Face {
            if (!STYLES.contains(style)) {
                throw new IllegalArgumentException("style must be Font.PLAIN, BOLD or ITALIC, got "
                        + style);
            }
        }

        /** The AWT font at {@code size} pixels per em. */
        public Font font(float size) {
            return new Font(family, style, 1).deriveFont(size);
        }

        @Override
        public String toString() {
            return family + (style == Font.BOLD ? " Bold" : style == Font.ITALIC ? " Italic" : "");
        }
    }

    /**
     * The ranges of the random distortions: integer shifts up to {@code maxShift} output pixels
     * in each direction, rotations up to {@code maxRotationDegrees} either way, and stroke widths
     * changed by up to the fraction {@code maxThickness} either way (0.4: from 0.6x to 1.4x).
     */
    public record Jitter(int maxShift, double maxRotationDegrees, double maxThickness) {
        /** No distortion. */
        public static final Jitter NONE = new Jitter(0, 0, 0);
        /** Shift +-2 px, rotation +-10 degrees, stroke width x0.6 to x1.4. */
        public static final Jitter DEFAULT = new Jitter(2, 10, 0.4);

        public Jitter {
            if (maxShift < 0 || maxShift > (MnistFrame.SIZE - MnistFrame.BOX) / 2
                    || !(maxRotationDegrees >= 0 && maxRotationDegrees <= 90)
                    || !(maxThickness >= 0 && maxThickness < 1)) {
                throw new IllegalArgumentException("jitter needs 0 <= maxShift <= 4, 0 <= "
                        + "maxRotationDegrees <= 90 and 0 <= maxThickness < 1, got " + maxShift
                        + ", " + maxRotationDegrees + ", " + maxThickness);
            }
        }

        /** One distortion drawn uniformly from these ranges. */
        public Distortion draw(Rng rng) {
            int dx = rng.nextInt(2 * maxShift + 1) - maxShift;
            int dy = rng.nextInt(2 * maxShift + 1) - maxShift;
            double rot = (2 * rng.nextDouble() - 1) * maxRotationDegrees;
            double thick = (2 * rng.nextDouble() - 1) * maxThickness;
            return new Distortion(dx, dy, rot, thick);
        }
    }

    /**
     * One distortion: a shift of the centre of mass by {@code (dx, dy)} output pixels, a rotation
     * in degrees (positive turns clockwise on screen) and a relative change of stroke width
     * ({@code thickness} 0.2 makes strokes 1.2x as wide, -0.2 makes them 0.8x).
     */
    public record Distortion(int dx, int dy, double rotationDegrees, double thickness) {
        /** The clean glyph. */
        public static final Distortion NONE = new Distortion(0, 0, 0, 0);
    }

    /** The families of {@link #faces()}, in order, each once. */
    public static List<String> fontFamilies() {
        Set<String> families = new LinkedHashSet<>();
        for (Face f : faces()) {
            families.add(f.family());
        }
        return List.copyOf(families);
    }

    /**
     * The usable faces of the installed fonts (see the class comment), families in
     * alphabetical order, each family's styles in the order of {@link #STYLES}. Computed once per
     * JVM; empty if no font qualifies.
     */
    public static List<Face> faces() {
        return FaceList.FACES;
    }

    /**
     * Every digit in every usable face, {@code copiesPerGlyph} times: copy 0 is the clean glyph,
     * the others carry {@link Jitter#DEFAULT} distortions drawn from {@code rng}.
     *
     * @return 1 x 28 x 28 images, labels 0-9 of 10 classes, ordered by face, digit, copy
     */
    public static Dataset render(int copiesPerGlyph, Rng rng) {
        return render(faces(), ALL_DIGITS, copiesPerGlyph, Jitter.DEFAULT, rng);
    }

    /**
     * Renders {@code digits} in {@code faces}, {@code copiesPerGlyph} copies of each: copy 0 is
     * the clean glyph, every other copy a distortion drawn from {@code jitter}. Each glyph's
     * draws come from its own fork of {@code rng}, named by face, digit and copy, so a glyph looks
     * the same whichever other faces or digits are rendered with it.
     *
     * @param digits the digits to draw, each in [0, 9]; labels are the digits, of 10 classes
     * @return 1 x 28 x 28 images, ordered by face, digit, copy
     * @throws IllegalArgumentException if {@code copiesPerGlyph < 1}, a digit is out of range, or
     *     there is nothing to render
     */
    public static Dataset render(List<Face> faces, int[] digits, int copiesPerGlyph,
            Jitter jitter, Rng rng) {
        if (copiesPerGlyph < 1) {
            throw new IllegalArgumentException("copiesPerGlyph must be >= 1, got "
                    + copiesPerGlyph);
        }
        for (int d : digits) {
            if (d < 0 || d > 9) {
                throw new IllegalArgumentException("digit " + d + " is not in [0, 9]");
            }
        }
        int n = faces.size() * digits.length * copiesPerGlyph;
        if (n == 0) {
            throw new IllegalArgumentException("nothing to render: " + faces.size() + " faces, "
                    + digits.length + " digits; install fonts (see docs/basics.md)");
        }
        int px = MnistFrame.SIZE * MnistFrame.SIZE;
        float[] images = new float[n * px]; // [n, 784]
        int[] labels = new int[n];
        int i = 0;
        for (Face face : faces) {
            for (int d : digits) {
                for (int c = 0; c < copiesPerGlyph; c++) {
                    float[] img = c == 0 ? clean(face, d)
                            : renderGlyph(face, d, jitter.draw(rng.fork(face + "/" + d + "/" + c)));
                    System.arraycopy(img, 0, images, i * px, px);
                    labels[i++] = d;
                }
            }
        }
        return Dataset.of(images, labels, 1, MnistFrame.SIZE, MnistFrame.SIZE, 10);
    }

    /**
     * One digit in one face: drawn white on black at 112 pixels per em with antialiasing,
     * rotated, thickened or thinned by grey-level dilation or erosion with a disc, then
     * normalised by {@link MnistFrame#normalize} with the distortion's shift.
     *
     * @return {@code [28 * 28]} row-major values in [0, 1]
     * @throws IllegalArgumentException if the glyph draws no ink
     */
    public static float[] renderGlyph(Face face, int digit, Distortion d) {
        float[] big = drawLarge(face, digit, d.rotationDegrees());
        if (d.thickness() != 0) {
            double stroke = Ink.strokeWidth(big, CANVAS, CANVAS);
            big = Ink.morph(big, CANVAS, CANVAS, d.thickness() * stroke / 2);
        }
        return MnistFrame.normalize(big, CANVAS, CANVAS, d.dx(), d.dy());
    }

    /** The clean glyph, drawn once per JVM and face (the face check draws them all anyway). */
    private static float[] clean(Face face, int digit) {
        float[][] digits = CLEAN.computeIfAbsent(face, f -> new float[10][]);
        synchronized (digits) {
            if (digits[digit] == null) {
                digits[digit] = renderGlyph(face, digit, Distortion.NONE);
            }
            return digits[digit]; // shared: callers only read it
        }
    }

    /** The glyph drawn centred on a CANVAS x CANVAS black image, {@code [CANVAS, CANVAS]}. */
    private static float[] drawLarge(Face face, int digit, double rotationDegrees) {
        BufferedImage img = new BufferedImage(CANVAS, CANVAS, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = img.createGraphics();
        try {
            g.setColor(Color.BLACK);
            g.fillRect(0, 0, CANVAS, CANVAS);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING,
                    RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS,
                    RenderingHints.VALUE_FRACTIONALMETRICS_ON);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL,
                    RenderingHints.VALUE_STROKE_PURE);
            g.setColor(Color.WHITE);
            Font font = face.font(EM);
            g.setFont(font);
            GlyphVector gv = font.createGlyphVector(g.getFontRenderContext(),
                    String.valueOf(digit));
            Rectangle2D b = gv.getVisualBounds();
            g.translate(CANVAS / 2.0, CANVAS / 2.0);
            g.rotate(Math.toRadians(rotationDegrees));
            g.drawGlyphVector(gv, (float) -b.getCenterX(), (float) -b.getCenterY());
        } finally {
            g.dispose();
        }
        byte[] px = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        float[] out = new float[px.length];
        for (int i = 0; i < px.length; i++) {
            out[i] = (px[i] & 0xFF) / 255f;
        }
        return out;
    }

    /** The face list, built on first use (enumerating fonts takes a second or two). */
    private static final class FaceList {
        static final List<Face> FACES = find();

        private static List<Face> find() {
            String[] names = GraphicsEnvironment.getLocalGraphicsEnvironment()
                    .getAvailableFontFamilyNames(Locale.ROOT);
            Arrays.sort(names);
            List<Face> candidates = new ArrayList<>();
            List<float[][]> glyphs = new ArrayList<>(); // per candidate: [10][784]
            Set<String> seen = new HashSet<>();
            for (String family : names) {
                if (LOGICAL_FAMILIES.contains(family)
                        || new Font(family, Font.PLAIN, 1).canDisplayUpTo("0123456789") != -1) {
                    continue;
                }
                for (int style : STYLES) {
                    Face face = new Face(family, style);
                    float[][] digits = cleanDigits(face);
                    if (digits != null && allDifferent(digits) && meanStroke(digits) >= MIN_STROKE
                            && seen.add(key(digits))) {
                        candidates.add(face);
                        glyphs.add(digits);
                    }
                }
            }
            return recognisable(candidates, glyphs);
        }

        /** The ten clean digits of a face, or null if one draws no ink. */
        private static float[][] cleanDigits(Face face) {
            float[][] out = new float[10][];
            for (int d = 0; d < 10; d++) {
                try {
                    out[d] = clean(face, d);
                } catch (IllegalArgumentException blank) {
                    return null;
                }
            }
            return out;
        }

        /** Pixel sums of absolute differences above one full pixel between every pair. */
        private static boolean allDifferent(float[][] digits) {
            for (int a = 0; a < digits.length; a++) {
                for (int b = a + 1; b < digits.length; b++) {
                    double diff = 0;
                    for (int i = 0; i < digits[a].length; i++) {
                        diff += Math.abs(digits[a][i] - digits[b][i]);
                    }
                    if (diff <= 1.0) {
                        return false;
                    }
                }
            }
            return true;
        }

        private static double meanStroke(float[][] digits) {
            double s = 0;
            for (float[] d : digits) {
                s += Ink.strokeWidth(d, MnistFrame.SIZE, MnistFrame.SIZE) / digits.length;
            }
            return s;
        }

        private static String key(float[][] digits) {
            StringBuilder sb = new StringBuilder();
            for (float[] d : digits) {
                sb.append(Arrays.hashCode(d)).append(',');
            }
            return sb.toString();
        }

        /** The candidates whose digits nearest-class-mean over all candidates mostly recognises. */
        private static List<Face> recognisable(List<Face> candidates, List<float[][]> glyphs) {
            int px = MnistFrame.SIZE * MnistFrame.SIZE;
            double[][] mean = new double[10][px];
            for (float[][] g : glyphs) {
                for (int d = 0; d < 10; d++) {
                    for (int i = 0; i < px; i++) {
                        mean[d][i] += g[d][i] / (double) glyphs.size();
                    }
                }
            }
            List<Face> kept = new ArrayList<>();
            for (int f = 0; f < candidates.size(); f++) {
                int ok = 0;
                for (int d = 0; d < 10; d++) {
                    ok += nearest(mean, glyphs.get(f)[d]) == d ? 1 : 0;
                }
                if (ok >= MIN_RECOGNISED) {
                    kept.add(candidates.get(f));
                }
            }
            return List.copyOf(kept);
        }

        private static int nearest(double[][] means, float[] x) {
            int best = -1;
            double bestDist = Double.POSITIVE_INFINITY;
            for (int c = 0; c < means.length; c++) {
                double s = 0;
                for (int i = 0; i < x.length; i++) {
                    double e = x[i] - means[c][i];
                    s += e * e;
                }
                if (s < bestDist) {
                    bestDist = s;
                    best = c;
                }
            }
            return best;
        }
    }
}
