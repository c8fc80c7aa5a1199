package dev.expanse.engine.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;

/**
 * Readable reasons for I/O failures, for one-line messages. The JDK names the fault by the
 * exception's type (an {@link AccessDeniedException}'s message is only the path) or by the
 * operating system's text ("No space left on device"); this turns both into a few plain words.
 */
public final class IoErrors {
    private IoErrors() {
    }

    /**
     * Why {@code e} happened, in a few lower-case words: "permission denied", "no such file or
     * directory", "not a directory", "is a directory", "disk full (no space left on device)",
     * "read-only file system", ...; otherwise the exception's own message (or its type when it
     * has none). Never names a file.
     */
    public static String reason(IOException e) {
        if (e instanceof AccessDeniedException) return plain(e, "permission denied");
        if (e instanceof NoSuchFileException) return "no such file or directory";
        if (e instanceof NotDirectoryException) return "not a directory";
        if (e instanceof FileAlreadyExistsException) return "already exists";
        if (e instanceof DirectoryNotEmptyException) return "is a directory that is not empty";
        if (e instanceof FileSystemLoopException) return "too many levels of symbolic links";
        String text = e instanceof FileSystemException f ? f.getReason() : e.getMessage();
        if (text == null || text.isBlank()) return e.getClass().getSimpleName();
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.contains("no space left")) return "disk full (no space left on device)";
        if (lower.contains("quota exceeded")) return "disk quota exceeded";
        return e instanceof FileSystemException ? lower : text; // the OS's reasons start with a capital
    }

    /**
     * {@code "<file>: <reason>"} when the exception names a file ({@link FileSystemException}),
     * else the {@link #reason} alone; a second file (the target of a move) is named too.
     */
    public static String describe(IOException e) {
        if (e instanceof FileSystemException f && f.getFile() != null) {
            String other = f.getOtherFile() == null ? "" : " -> " + f.getOtherFile();
            return f.getFile() + other + ": " + reason(e);
        }
        return reason(e);
    }

    /** An access-denied exception from the OS carries its own reason (e.g. "Read-only file system"). */
    private static String plain(IOException e, String fallback) {
        String r = ((FileSystemException) e).getReason();
        return r == null || r.isBlank() ? fallback : r.toLowerCase(Locale.ROOT);
    }
}
