package dev.expanse.engine.data;

import java.io.IOException;
import java.nio.file.Path;

/** A file that is not a well-formed IDX file of the kind asked for; the message names the file. */
public final class IdxFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;

    public IdxFormatException(Path file, String fault) {
        super(file + ": " + fault);
        this.file = file;
    }

    public IdxFormatException(Path file, String fault, Throwable cause) {
        super(file + ": " + fault, cause);
        this.file = file;
    }

    /** The offending file. */
    public Path file() {
        return file;
    }
}
