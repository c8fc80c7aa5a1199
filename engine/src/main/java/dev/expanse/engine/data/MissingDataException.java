package dev.expanse.engine.data;

import java.io.FileNotFoundException;
import java.nio.file.Path;

/** A data file that should be in the data cache or the fixtures folder but is not. */
public final class MissingDataException extends FileNotFoundException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;

    public MissingDataException(Path file, String remedy) {
        super("missing data file " + file + ": " + remedy);
        this.file = file;
    }

    /** The file that was looked for (the uncompressed name). */
    public Path file() {
        return file;
    }
}
