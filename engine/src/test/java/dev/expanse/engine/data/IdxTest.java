package dev.expanse.engine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.expanse.engine.Rng;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdxTest {
    @TempDir
    Path dir;

    private static byte[] randomBytes(int n, long seed) {
        Rng rng = new Rng(seed);
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) rng.nextInt(256);
        }
        b[0] = 0; // make sure both ends of the unsigned range are present
        b[n - 1] = (byte) 255;
        return b;
    }

    private Path file(String name, byte[] bytes) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, bytes);
        return f;
    }

    /** Asserts the fault is an IdxFormatException naming the file and containing each phrase. */
    private static void assertFault(Path f, IOExceptionCall call, String... phrases) {
        IdxFormatException e = assertThrows(IdxFormatException.class, call::run);
        assertEquals(f, e.file());
        assertTrue(e.getMessage().startsWith(f.toString() + ": "), e.getMessage());
        for (String p : phrases) {
            assertTrue(e.getMessage().contains(p), "'" + p + "' not in: " + e.getMessage());
        }
    }

    @FunctionalInterface
    interface IOExceptionCall {
        void run() throws IOException;
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void imagesAndLabelsRoundTrip(boolean gzip) throws IOException {
        int[] shape = {7, 3, 5};
        byte[] pixels = randomBytes(7 * 3 * 5, 1);
        byte[] labels = randomBytes(7, 2);
        Path fi = dir.resolve("images");
        Path fl = dir.resolve("labels");
        IdxWriter.write(fi, shape, pixels, gzip);
        IdxWriter.write(fl, new int[] {7}, labels, gzip);

        IdxData images = Idx.readImages(fi);
        assertArrayEquals(shape, images.shape());
        assertArrayEquals(pixels, images.data());
        assertEquals(7, images.count());
        assertEquals(15, images.itemSize());
        assertEquals(255, images.unsigned(pixels.length - 1));
        IdxData l = Idx.readLabels(fl);
        assertArrayEquals(new int[] {7}, l.shape());
        assertArrayEquals(labels, l.data());
        assertEquals(1, l.itemSize());
    }

    @Test
    void compressionIsToldByContentNotName() throws IOException {
        byte[] labels = randomBytes(300, 3);
        byte[] raw = IdxWriter.encode(new int[] {300}, labels);
        Path gzNamedRaw = file("labels.gz", raw);
        Path rawNamedPlain = file("labels.idx", IdxWriter.gzip(raw));
        assertArrayEquals(labels, Idx.readLabels(gzNamedRaw).data());
        assertArrayEquals(labels, Idx.readLabels(rawNamedPlain).data());
    }

    @Test
    void largeGzipPayloadGrowsItsBufferToTheRightSize() throws IOException {
        // 3 MiB of data: more than the first 1 MiB chunk, so the buffer has to grow twice.
        int n = 3 << 20;
        byte[] pixels = randomBytes(n, 4);
        Path f = dir.resolve("big.gz");
        IdxWriter.write(f, new int[] {3 << 10, 32, 32}, pixels, true);
        IdxData d = Idx.readImages(f);
        assertEquals(n, d.data().length);
        assertArrayEquals(pixels, d.data());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void truncatedImagesSayHowManyBytesWereExpectedAndFound(boolean gzip) throws IOException {
        byte[] whole = IdxWriter.encode(new int[] {3, 4, 5}, randomBytes(60, 5));
        byte[] cut = Arrays.copyOf(whole, whole.length - 7);
        Path f = file("images", gzip ? IdxWriter.gzip(cut) : cut);
        assertFault(f, () -> Idx.readImages(f), "truncated", "60 bytes", "found 53");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void truncatedLabels(boolean gzip) throws IOException {
        byte[] whole = IdxWriter.encode(new int[] {10}, randomBytes(10, 6));
        byte[] cut = Arrays.copyOf(whole, whole.length - 1);
        Path f = file("labels", gzip ? IdxWriter.gzip(cut) : cut);
        assertFault(f, () -> Idx.readLabels(f), "truncated", "10 bytes", "found 9");
    }

    @Test
    void truncatedGzipStream() throws IOException {
        byte[] gz = IdxWriter.gzip(IdxWriter.encode(new int[] {50, 8, 8}, randomBytes(3200, 7)));
        Path f = file("images.gz", Arrays.copyOf(gz, gz.length / 2));
        assertFault(f, () -> Idx.readImages(f), "gzip");
    }

    @Test
    void truncatedHeader() throws IOException {
        Path empty = file("empty", new byte[0]);
        assertFault(empty, () -> Idx.readLabels(empty), "truncated header", "found 0");
        Path half = file("half", new byte[] {0, 0, 8, 3, 0, 0, 0, 2, 0, 0});
        assertFault(half, () -> Idx.readImages(half), "truncated header", "12 bytes", "found 6");
    }

    @Test
    void wrongMagic() throws IOException {
        byte[] bytes = IdxWriter.encode(new int[] {4}, randomBytes(4, 8));
        bytes[0] = 0x12;
        bytes[1] = 0x34;
        Path f = file("labels", bytes);
        assertFault(f, () -> Idx.readLabels(f), "bad magic 0x12340801", "not an IDX file");
    }

    @Test
    void unsupportedTypeCode() throws IOException {
        byte[] bytes = IdxWriter.encode(new int[] {4}, randomBytes(16, 9));
        bytes[2] = 0x0D; // float
        Path f = file("labels", bytes);
        assertFault(f, () -> Idx.readLabels(f), "unsupported IDX type code 0x0d", "float");
    }

    @Test
    void wrongDimensionCount() throws IOException {
        Path images = dir.resolve("images");
        IdxWriter.write(images, new int[] {2, 2, 2}, randomBytes(8, 10), false);
        assertFault(images, () -> Idx.readLabels(images), "has 3 dimensions", "labels need 1");
        Path labels = dir.resolve("labels");
        IdxWriter.write(labels, new int[] {8}, randomBytes(8, 11), false);
        assertFault(labels, () -> Idx.readImages(labels), "has 1 dimension ", "images need 3");
    }

    @Test
    void zeroAndNegativeSizes() throws IOException {
        Path zero = file("zero", IdxWriter.encode(new int[] {0, 28, 28}, new byte[0]));
        assertFault(zero, () -> Idx.readImages(zero), "dimension 0 has size 0");
        Path negative = file("negative", IdxWriter.encode(new int[] {5, -1, 28}, new byte[0]));
        assertFault(negative, () -> Idx.readImages(negative), "dimension 1 has size -1");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void forgedHugeHeaderFailsBeforeAllocating(boolean gzip) throws IOException {
        int big = 1 << 30;
        byte[] bytes = Arrays.copyOf(IdxWriter.encode(new int[] {big, big, big}, new byte[0]), 100);
        Path f = file("forged", gzip ? IdxWriter.gzip(bytes) : bytes);
        assertFault(f, () -> Idx.readImages(f), "[1073741824, 1073741824, 1073741824]",
                "more than " + Idx.MAX_BYTES + " bytes");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void forgedPlausibleHeaderIsCaughtAsTruncation(boolean gzip) throws IOException {
        // A full MNIST header over 84 bytes of data: 47 MB promised, far less present.
        byte[] bytes = Arrays.copyOf(IdxWriter.encode(new int[] {60000, 28, 28}, new byte[0]), 100);
        Path f = file("forged", gzip ? IdxWriter.gzip(bytes) : bytes);
        assertFault(f, () -> Idx.readImages(f), "truncated", "47040000 bytes", "found 84");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void dataPastTheDeclaredShapeIsAnError(boolean gzip) throws IOException {
        byte[] whole = IdxWriter.encode(new int[] {4}, randomBytes(4, 12));
        byte[] longer = Arrays.copyOf(whole, whole.length + 3);
        Path f = file("labels", gzip ? IdxWriter.gzip(longer) : longer);
        assertFault(f, () -> Idx.readLabels(f), "past");
    }
}
