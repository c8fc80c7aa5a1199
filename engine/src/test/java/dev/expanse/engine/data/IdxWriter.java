package dev.expanse.engine.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.GZIPOutputStream;

/** Writes IDX files of unsigned bytes, for tests and the fixture generator. */
public final class IdxWriter {
    private IdxWriter() {}

    /** The bytes of an IDX file: magic {@code 00 00 08 D}, D big-endian sizes, then data. */
    public static byte[] encode(int[] shape, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4 + 4 * shape.length + data.length);
        out.write(0);
        out.write(0);
        out.write(0x08);
        out.write(shape.length);
        for (int s : shape) {
            out.write(s >>> 24);
            out.write(s >>> 16);
            out.write(s >>> 8);
            out.write(s);
        }
        out.write(data, 0, data.length);
        return out.toByteArray();
    }

    /** {@code bytes} gzip-compressed (Java writes mtime 0, so the output is reproducible). */
    public static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }

    /** Writes an IDX file, gzip-compressed if asked, through a temporary file and a rename. */
    public static void write(Path file, int[] shape, byte[] data, boolean compress) throws IOException {
        byte[] bytes = encode(shape, data);
        if (compress) {
            bytes = gzip(bytes);
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
