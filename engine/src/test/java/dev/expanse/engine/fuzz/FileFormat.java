package dev.expanse.engine.fuzz;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A file reader under fuzzing: {@link FileFuzz} mutates its seeds and checks that every read
 * either succeeds or fails with the documented exception, whose message starts with the file
 * and is short. Plugging in a reader is one small class implementing this.
 */
public interface FileFormat {

    /** A valid file, with what the reader is asked to read it as (e.g. "images", "labels"). */
    record Seed(String kind, byte[] bytes, List<SizeField> sizes) {
    }

    /** Where a header keeps a size: {@code width} bytes (4 or 8) at {@code offset}, big- or little-endian. */
    record SizeField(int offset, int width, boolean bigEndian) {
    }

    /** A name for reports, e.g. "IDX reader". */
    String name();

    /** Valid files to mutate; small, so that 10^5 reads take seconds. */
    List<Seed> seeds();

    /** Reads {@code file} as {@code seed.kind()} would be read; returning is success. */
    void read(Path file, Seed seed) throws IOException;

    /** The one exception type a malformed file may cause. */
    Class<? extends IOException> fault();

    /** Whether the format may be gzip-compressed (then mutations gzip and corrupt the stream too). */
    default boolean gzip() {
        return false;
    }

    /** The longest message allowed: a message quotes at most a short excerpt of a file. */
    default int maxMessageLength() {
        return 1000;
    }
}
