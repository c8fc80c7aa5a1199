package dev.expanse.engine.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files (the MNIST format) of unsigned bytes, raw or gzip-compressed.
 *
 * <p>Layout: a 4-byte magic {@code 00 00 08 D} (type code {@code 0x08} = unsigned byte, {@code D}
 * dimensions), then {@code D} big-endian 32-bit sizes, then the data, row-major. MNIST images
 * are {@code 0x00000803} with shape {@code [N, rows, cols]}; labels are {@code 0x00000801} with
 * shape {@code [N]}. Compression is told by the gzip magic bytes {@code 1f 8b}, not by the name.
 *
 * <p>Every fault is an {@link IdxFormatException} that names the file: bad magic, unsupported
 * type, wrong dimension count, a zero or negative size, sizes too large for one Java array,
 * truncated data (with bytes expected and found), or data past the end of the declared shape.
 * A forged header cannot make this allocate more than the file actually holds: raw files are
 * checked against their size on disk, and gzip data is read in chunks of at most 4 MiB as it
 * arrives, so a header that declares more than the stream holds costs at most the real data
 * plus one chunk (140 MB of real data under a forged count fails as truncated at
 * {@code -Xmx256m}); honest gzip data costs twice its size while the chunks are joined.
 */
public final class Idx {
    /** The most bytes one IDX payload may hold: the largest Java array. */
    public static final int MAX_BYTES = Integer.MAX_VALUE - 8;

    private static final int TYPE_UBYTE = 0x08;
    /** Gzip data is read in pieces of this size, so the memory it takes follows what arrives. */
    private static final int GZIP_CHUNK = 4 << 20;

    private Idx() {}

    /** Reads an images file: exactly 3 dimensions {@code [N, rows, cols]}. */
    public static IdxData readImages(Path file) throws IOException {
        return read(file, 3, "images");
    }

    /** Reads a labels file: exactly 1 dimension {@code [N]}. */
    public static IdxData readLabels(Path file) throws IOException {
        return read(file, 1, "labels");
    }

    /**
     * Reads an IDX file of unsigned bytes with exactly {@code dims} dimensions.
     *
     * @param what a word for messages, e.g. "images"
     * @throws IdxFormatException if the file is malformed or has another dimension count
     * @throws IOException if it cannot be read at all
     */
    public static IdxData read(Path file, int dims, String what) throws IOException {
        if (dims < 1 || dims > 255) {
            throw new IllegalArgumentException("dims must be in [1, 255], got " + dims);
        }
        long fileSize = Files.size(file);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            in.mark(2);
            boolean gzip = in.read() == 0x1f && in.read() == 0x8b;
            in.reset();
            if (gzip) {
                try (InputStream unzipped = new GZIPInputStream(in, 1 << 16)) {
                    return parse(file, unzipped, -1, dims, what);
                } catch (ZipException | EOFException e) {
                    throw new IdxFormatException(
                            file, "corrupt or truncated gzip stream (" + e.getMessage() + ")", e);
                }
            }
            return parse(file, in, fileSize, dims, what);
        }
    }

    /** {@code rawSize} is the file size for an uncompressed file, or -1 for a gzip stream. */
    private static IdxData parse(Path file, InputStream in, long rawSize, int dims, String what)
            throws IOException {
        checkMagic(file, readHeader(file, in, 4, "magic number"), dims, what);
        int[] shape = readShape(file, in, dims);
        long total = 1;
        for (int s : shape) total *= s;
        if (rawSize < 0) {
            byte[] data = readChunked(file, in, (int) total, shape);
            if (in.read() != -1) {
                throw new IdxFormatException(file, "gzip data goes on past the " + total
                        + " bytes that shape " + Arrays.toString(shape) + " declares");
            }
            return new IdxData(file, shape, data);
        }
        long found = rawSize - (4 + 4L * dims);
        if (found < total) {
            throw new IdxFormatException(file, "truncated: shape " + Arrays.toString(shape)
                    + " needs " + total + " bytes of data, found " + found);
        }
        if (found > total) {
            throw new IdxFormatException(file, (found - total) + " bytes past the end of the "
                    + total + " bytes of data that shape " + Arrays.toString(shape) + " declares");
        }
        byte[] data = new byte[(int) total];
        int got = in.readNBytes(data, 0, data.length);
        if (got != data.length) { // the file shrank while we read it
            throw new IdxFormatException(file, "truncated: shape " + Arrays.toString(shape)
                    + " needs " + total + " bytes of data, found " + got);
        }
        return new IdxData(file, shape, data);
    }

    /** The magic number must say unsigned bytes in {@code dims} dimensions. */
    private static void checkMagic(Path file, byte[] magic, int dims, String what) throws IdxFormatException {
        if (magic[0] != 0 || magic[1] != 0) {
            throw new IdxFormatException(file, String.format(
                    "bad magic 0x%02x%02x%02x%02x: not an IDX file (expected 0x0000080%d for %s)",
                    magic[0], magic[1], magic[2], magic[3], dims, what));
        }
        int type = magic[2] & 0xFF;
        if (type != TYPE_UBYTE) {
            throw new IdxFormatException(file, String.format(
                    "unsupported IDX type code 0x%02x (%s); only 0x08 (unsigned byte) is supported",
                    type, typeName(type)));
        }
        int fileDims = magic[3] & 0xFF;
        if (fileDims != dims) {
            throw new IdxFormatException(file, String.format(
                    "has %d dimension%s (magic 0x000008%02x) but %s need %d (magic 0x000008%02x)",
                    fileDims, fileDims == 1 ? "" : "s", fileDims, what, dims, dims));
        }
    }

    /** The dimension sizes; each at least 1, and at most {@link #MAX_BYTES} elements in all. */
    private static int[] readShape(Path file, InputStream in, int dims) throws IOException {
        byte[] sizeBytes = readHeader(file, in, 4 * dims, "dimension sizes");
        int[] shape = new int[dims];
        long total = 1;
        for (int d = 0; d < dims; d++) {
            int s = ((sizeBytes[4 * d] & 0xFF) << 24) | ((sizeBytes[4 * d + 1] & 0xFF) << 16)
                    | ((sizeBytes[4 * d + 2] & 0xFF) << 8) | (sizeBytes[4 * d + 3] & 0xFF);
            if (s <= 0) {
                throw new IdxFormatException(file, "dimension " + d + " has size " + s
                        + " (from the header), sizes must be at least 1");
            }
            shape[d] = s;
            // Each factor is below 2^31 and total stays at most MAX_BYTES, so this cannot overflow.
            total *= s;
            if (total > MAX_BYTES) {
                throw new IdxFormatException(file, "shape " + shapeString(sizeBytes, dims)
                        + " declares more than " + MAX_BYTES + " bytes, too many for one array");
            }
        }
        return shape;
    }

    /**
     * Reads exactly {@code n} bytes in chunks (64 KiB, then growing with the data read, up to
     * {@link #GZIP_CHUNK}), then joins them into one array. A header that declares more than the
     * stream holds thus costs the real data plus one chunk, never the declared size: the stream
     * ends, and this throws, first. Honest data costs twice its size at the join.
     */
    private static byte[] readChunked(Path file, InputStream in, int n, int[] shape)
            throws IOException {
        List<byte[]> chunks = new ArrayList<>();
        int filled = 0;
        while (filled < n) {
            // 64 KiB first, then as much as has arrived, up to GZIP_CHUNK: small files stay cheap.
            byte[] chunk = new byte[Math.min(n - filled, Math.min(GZIP_CHUNK, Math.max(1 << 16, filled)))];
            int got = in.readNBytes(chunk, 0, chunk.length);
            filled += got;
            if (got < chunk.length) {
                throw new IdxFormatException(file, "truncated: shape " + Arrays.toString(shape)
                        + " needs " + n + " bytes of data, found " + filled + " (after gunzip)");
            }
            chunks.add(chunk);
        }
        if (chunks.size() == 1) return chunks.get(0);
        byte[] data = new byte[n];
        int off = 0;
        for (int i = 0; i < chunks.size(); i++) {
            byte[] c = chunks.set(i, null); // each chunk can go as soon as it is copied
            System.arraycopy(c, 0, data, off, c.length);
            off += c.length;
        }
        return data;
    }

    private static byte[] readHeader(Path file, InputStream in, int n, String part)
            throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length != n) {
            throw new IdxFormatException(file, "truncated header: expected " + n + " bytes of " + part
                    + ", found " + b.length);
        }
        return b;
    }

    private static String shapeString(byte[] sizeBytes, int dims) {
        StringBuilder sb = new StringBuilder("[");
        for (int d = 0; d < dims; d++) {
            long s = ((sizeBytes[4 * d] & 0xFFL) << 24) | ((sizeBytes[4 * d + 1] & 0xFF) << 16)
                    | ((sizeBytes[4 * d + 2] & 0xFF) << 8) | (sizeBytes[4 * d + 3] & 0xFF);
            sb.append(d == 0 ? "" : ", ").append(s);
        }
        return sb.append(']').toString();
    }

    private static String typeName(int type) {
        switch (type) {
            case 0x09: return "signed byte";
            case 0x0B: return "short";
            case 0x0C: return "int";
            case 0x0D: return "float";
            case 0x0E: return "double";
            default: return "unknown";
        }
    }
}
