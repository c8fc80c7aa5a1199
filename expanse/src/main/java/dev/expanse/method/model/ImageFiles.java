package dev.expanse.method.model;

import dev.expanse.engine.data.Idx;
import dev.expanse.engine.data.IdxData;
import dev.expanse.method.basics.MnistFrame;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Images to classify, read from files: a PNG or JPEG of any size becomes a 28x28 image framed as
 * MNIST frames its digits ({@link MnistFrame}: ink fitted to a 20x20 box, centre of mass at the
 * centre; a light background is inverted to MNIST's white ink on black), and an IDX image file
 * gives all its images as they are.
 */
public final class ImageFiles {
    private ImageFiles() {
    }

    /** One image, named for output: the file, and its index within an IDX file. */
    public record Image(String name, float[] pixels) {
    }

    /**
     * The images of {@code file}.
     *
     * @throws IOException naming the file if it is missing, unreadable, not an image or IDX, or blank
     */
    public static List<Image> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new IOException(file + ": no such file");
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (name.contains("idx") || name.endsWith(".gz") || name.endsWith("-ubyte")) return idx(file);
        BufferedImage img = ImageIO.read(file.toFile());
        if (img == null) throw new IOException(file + ": not a PNG, JPEG or IDX image file");
        try {
            return List.of(new Image(file.toString(), frame(img)));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    private static List<Image> idx(Path file) throws IOException {
        IdxData d = Idx.readImages(file);
        List<Image> out = new ArrayList<>();
        for (int i = 0; i < d.count(); i++) {
            float[] px = new float[d.itemSize()];
            for (int j = 0; j < px.length; j++) px[j] = d.unsigned(i * px.length + j) / 255f;
            out.add(new Image(file + "[" + i + "]", px));
        }
        return out;
    }

    /** Grey levels as ink in [0, 1], inverted when the border is light, then framed as MNIST. */
    static float[] frame(BufferedImage img) {
        int w = img.getWidth(), h = img.getHeight();
        float[] ink = new float[w * h];
        double border = 0;
        int borderCount = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = img.getRGB(x, y);
                double alpha = ((rgb >>> 24) & 0xff) / 255.0;
                double grey = ((rgb >> 16 & 0xff) * 0.299 + (rgb >> 8 & 0xff) * 0.587 + (rgb & 0xff) * 0.114) / 255.0;
                // a transparent pixel counts as background: white
                ink[y * w + x] = (float) (alpha * grey + (1 - alpha));
                if (x == 0 || y == 0 || x == w - 1 || y == h - 1) {
                    border += ink[y * w + x];
                    borderCount++;
                }
            }
        }
        boolean lightBackground = border / borderCount > 0.5;
        for (int i = 0; i < ink.length; i++) {
            float v = lightBackground ? 1 - ink[i] : ink[i];
            ink[i] = v < 0.05f ? 0 : v; // speckle of the background is not ink
        }
        return MnistFrame.normalize(ink, w, h, 0, 0);
    }
}
