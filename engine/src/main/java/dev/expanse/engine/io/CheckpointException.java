package dev.expanse.engine.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A checkpoint file that is not what it claims to be: malformed safetensors, a header that does
 * not match the format, or tensors that do not match the model the metadata describes. The
 * message names the file and the fault (quoting at most a short excerpt of the file).
 */
public final class CheckpointException extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient Path file;
    private final String reason;

    public CheckpointException(Path file, String reason) {
        super(file + ": " + reason);
        this.file = file;
        this.reason = reason;
    }

    /** The file at fault. */
    public Path file() {
        return file;
    }

    /** What is wrong with it, without the file name. */
    public String reason() {
        return reason;
    }
}
