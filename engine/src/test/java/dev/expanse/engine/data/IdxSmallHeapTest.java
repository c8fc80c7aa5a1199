package dev.expanse.engine.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gzip file whose header declares far more images than it holds, over a large real payload
 * (140 MB, just past 2^27 bytes), read in a JVM of {@code -Xmx256m}: it fails as truncated and
 * does not run out of memory. The reader used to double its buffer towards the declared size,
 * which here needs 128 MiB + 256 MiB at once, and failed with OutOfMemoryError; now it costs
 * the real data plus one 4 MiB chunk. The same data with an honest count loads at
 * {@code -Xmx512m} (the chunks and the joined array: twice the data).
 */
class IdxSmallHeapTest {
    private static final int IMAGES = 178_600; // 178600 x 28 x 28 = 140 MB > 2^27

    @TempDir
    Path dir;

    @Test
    void aForgedCountOverALargePayloadFailsAsTruncatedInASmallHeap() throws Exception {
        Path f = gzipped("forged.gz", 2_000_000_000 / 784, IMAGES);
        String out = readInChild(f, "-Xmx256m");
        assertTrue(out.startsWith("IdxFormatException " + f + ": truncated"), out);
        assertTrue(out.contains("found " + (long) IMAGES * 784), out);
    }

    @Test
    void theSameDataWithAnHonestCountLoadsAtXmx512m() throws Exception {
        assertEquals("ok " + IMAGES, readInChild(gzipped("honest.gz", IMAGES, IMAGES), "-Xmx512m"));
    }

    /** A gzip IDX file declaring {@code declared} images of 28 x 28 and holding {@code real}. */
    private Path gzipped(String name, int declared, int real) throws IOException {
        Path f = dir.resolve(name);
        byte[] image = new byte[784];
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(f), 1 << 16)) {
            out.write(IdxWriter.encode(new int[] {declared, 28, 28}, new byte[0]));
            for (int i = 0; i < real; i++) {
                image[i % 784] = (byte) i; // not all zeros, still cheap to compress
                out.write(image);
            }
        }
        return f;
    }

    /** Reads {@code f} in a child JVM with the heap {@code xmx}; returns its one line of output. */
    private static String readInChild(Path f, String xmx) throws Exception {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), xmx,
                "-cp", System.getProperty("java.class.path"), ReadIdx.class.getName(), f.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    /** The child: reads an images file and prints {@code ok N} or the fault's type and message. */
    public static final class ReadIdx {
        public static void main(String[] args) {
            try {
                System.out.println("ok " + Idx.readImages(Path.of(args[0])).count());
            } catch (IOException e) {
                System.out.println(e.getClass().getSimpleName() + " " + e.getMessage());
            }
        }
    }
}
