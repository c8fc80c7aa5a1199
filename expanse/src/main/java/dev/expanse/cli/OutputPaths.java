package dev.expanse.cli;

import dev.expanse.engine.io.IoErrors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks output paths ({@code --out}, {@code --save}) before any work, so that a run does not
 * train for an hour and then fail to write. Nothing is created: the check finds the nearest
 * folder that exists on the way to the path and creates and deletes a probe file there, which is
 * what the save will need (an unwritable folder, a read-only file system, {@code /proc}).
 */
final class OutputPaths {
    private OutputPaths() {
    }

    /**
     * {@code dir} is a folder, or can be made one, in which files can be created.
     *
     * @throws IllegalArgumentException naming {@code option}, the path and the reason
     */
    static void folder(String option, Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException(option + ": " + dir + " exists and is not a folder");
        }
        probe(option, dir);
    }

    /**
     * {@code file} can be created or replaced: it is not a folder, and its folder exists or can
     * be made, and takes new files.
     *
     * @throws IllegalArgumentException naming {@code option}, the path and the reason
     */
    static void file(String option, Path file) {
        if (Files.isDirectory(file)) throw new IllegalArgumentException(option + ": " + file + " is a folder");
        Path parent = file.toAbsolutePath().getParent();
        if (Files.exists(parent) && !Files.isDirectory(parent)) {
            throw new IllegalArgumentException(option + ": cannot write " + file + ": " + parent + " is not a folder");
        }
        probe(option, parent);
    }

    private static void probe(String option, Path path) {
        Path existing = path.toAbsolutePath();
        while (!Files.exists(existing)) existing = existing.getParent(); // the root exists
        if (!Files.isDirectory(existing)) {
            throw new IllegalArgumentException(option + ": cannot write " + path + ": " + existing + " is not a folder");
        }
        try {
            Files.delete(Files.createTempFile(existing, ".expanse-probe", ".tmp"));
        } catch (IOException e) {
            throw new IllegalArgumentException(option + ": cannot write in " + existing + ": " + IoErrors.reason(e), e);
        }
    }
}
