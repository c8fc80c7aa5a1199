package dev.expanse.engine.io;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes a file whole or not at all, even across a kill -9 or a power cut: every save of the
 * project (checkpoints, reports, plots) goes through here.
 *
 * <p>A save writes a temporary file {@code .<name>.<pid>.<n>.tmp} beside the target, fsyncs it,
 * renames it over the target in one atomic step, then fsyncs the folder so the rename itself is
 * durable. A reader therefore sees the old file or the new one, never a mix, and after a crash
 * the target is absent (never saved) or complete.
 *
 * <ul>
 *   <li>On any failure (an I/O error, or the body throwing anything) the temporary file is
 *       deleted and the target is left as it was.</li>
 *   <li>Each save first deletes the stale temporary files of the same target: those of a
 *       process that is no longer running (killed mid-save), and those of the old naming
 *       ({@code <name><digits>.tmp}, {@code .<name><digits>.tmp}) older than a minute. A save in
 *       progress, in this process or another, is never touched.</li>
 *   <li>The file gets the permissions of any new file ({@code 0666} less the umask, typically
 *       {@code rw-r--r--}), not the private {@code rw-------} of {@link Files#createTempFile}.</li>
 *   <li>Missing parent folders are created.</li>
 * </ul>
 *
 * <p>Failures are {@link IOException}s whose message names the target (not the temporary file)
 * and the reason in plain words ({@link IoErrors#reason}), e.g. {@code "out/model.safetensors:
 * cannot write: permission denied"}; the cause is the original exception.
 */
public final class AtomicFile {
    /** A step that writes to a stream and may fail with an {@link IOException}. */
    @FunctionalInterface
    public interface IoConsumer<T> {
        void accept(T value) throws IOException;
    }

    private static final String SUFFIX = ".tmp";
    private static final Duration LEGACY_AGE = Duration.ofMinutes(1);
    private static final long PID = ProcessHandle.current().pid();
    private static final AtomicLong SEQUENCE = new AtomicLong(System.nanoTime() & 0xFFFFFF);
    /** Temporary files this process is writing now: never stale. */
    private static final Set<Path> OPEN = ConcurrentHashMap.newKeySet();

    private AtomicFile() {
    }

    /** Saves {@code bytes} as {@code target}; see the class comment. */
    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, out -> out.write(bytes));
    }

    /** Saves {@code text} as UTF-8. */
    public static void writeString(Path target, String text) throws IOException {
        write(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Saves what {@code body} writes as {@code target}. The stream is buffered; {@code body} must
     * not keep it after returning (closing it is allowed and only flushes). If {@code body}
     * throws, nothing is saved and the target stays as it was: an unchecked exception or an
     * error propagates unchanged, an {@link IOException} (e.g. a full disk) as below.
     *
     * @throws IOException naming {@code target} and the reason, if the save fails; the original
     *     exception is its cause
     */
    public static void write(Path target, IoConsumer<? super OutputStream> body) throws IOException {
        Path file = target.toAbsolutePath().normalize();
        Path dir = file.getParent();
        String name = file.getFileName().toString();
        Path tmp = null;
        try {
            if (Files.isDirectory(file)) throw new FileSystemException(file.toString(), null, "is a directory");
            Files.createDirectories(dir);
            deleteStale(dir, name);
            tmp = writeTemp(dir, name, body);
            move(tmp, file);
            forceFolder(dir);
        } catch (IOException e) {
            throw failure(target, file, e);
        } finally {
            if (tmp != null) {
                OPEN.remove(tmp);
                deleteQuietly(tmp); // already gone after a successful rename
            }
        }
    }

    /** True if {@code file} is a temporary file of a save of {@code target}, by its name. */
    public static boolean isTemporaryOf(Path file, Path target) {
        String n = file.getFileName().toString(), t = target.getFileName().toString();
        return ownPid(n, t) >= 0 || legacy(n, t);
    }

    /** Creates, fills and fsyncs a new temporary file; it is in {@link #OPEN} until the caller is done. */
    private static Path writeTemp(Path dir, String name, IoConsumer<? super OutputStream> body)
            throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path tmp = dir.resolve("." + name + "." + PID + "." + SEQUENCE.incrementAndGet() + SUFFIX);
            OPEN.add(tmp); // before it exists, so that a save of the same target in another thread keeps it
            FileChannel ch;
            try {
                // No file attributes: the file gets the umask's permissions, as any new file does.
                ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (IOException e) {
                OPEN.remove(tmp);
                if (e instanceof FileAlreadyExistsException && attempt < 100) continue;
                throw e;
            }
            try (ch) {
                BufferedOutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
                body.accept(new Unclosable(out));
                out.flush();
                ch.force(true);
            } catch (Throwable t) {
                OPEN.remove(tmp);
                deleteQuietly(tmp);
                throw t;
            }
            return tmp;
        }
    }

    private static void move(Path tmp, Path file) throws IOException {
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            // Only on file systems without an atomic rename within a folder; the best they offer.
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Makes the rename durable. Folders cannot be opened on some platforms (Windows): skipped there. */
    private static void forceFolder(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // not supported here; the rename is atomic all the same
        }
    }

    /** Deletes the stale temporary files of {@code name} in {@code dir}; best effort, never fails. */
    private static void deleteStale(Path dir, String name) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path f : files) {
                if (stale(f, name)) Files.deleteIfExists(f);
            }
        } catch (IOException | RuntimeException e) {
            // a folder we cannot list or a file we cannot delete: the save itself may still work
        }
    }

    private static boolean stale(Path f, String name) throws IOException {
        String n = f.getFileName().toString();
        long pid = ownPid(n, name);
        if (pid >= 0) {
            if (pid == PID) return !OPEN.contains(f);
            return ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
        }
        return legacy(n, name) && Files.getLastModifiedTime(f).toInstant()
                .isBefore(Instant.now().minus(LEGACY_AGE));
    }

    /** The writer's process id in {@code .<name>.<pid>.<n>.tmp}, or -1 if {@code file} is not such a name. */
    private static long ownPid(String file, String name) {
        String head = "." + name + ".";
        if (!file.startsWith(head) || !file.endsWith(SUFFIX)) return -1;
        String[] parts = file.substring(head.length(), file.length() - SUFFIX.length()).split("\\.", -1);
        if (parts.length != 2 || !digits(parts[0]) || !digits(parts[1]) || parts[0].length() > 18) return -1;
        return Long.parseLong(parts[0]);
    }

    /** The names {@link Files#createTempFile} gave earlier versions: {@code [.]<name><digits>.tmp}. */
    private static boolean legacy(String file, String name) {
        String rest = file.startsWith("." + name) ? file.substring(name.length() + 1)
                : file.startsWith(name) ? file.substring(name.length()) : null;
        return rest != null && rest.endsWith(SUFFIX) && digits(rest.substring(0, rest.length() - SUFFIX.length()));
    }

    private static boolean digits(String s) {
        return !s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /**
     * The failure, naming the target; a file the exception names is added when it is another one
     * (a parent that is not a folder), never the temporary file, whose name would mean nothing.
     */
    private static IOException failure(Path target, Path file, IOException e) {
        String other = "";
        if (e instanceof FileSystemException f && f.getFile() != null) {
            Path p = Path.of(f.getFile()).toAbsolutePath().normalize();
            boolean ours = p.equals(file) || (file.getParent().equals(p.getParent()) && isTemporaryOf(p, file));
            if (!ours) other = " (" + p + ")";
        }
        return new IOException(target + ": cannot write: " + IoErrors.reason(e) + other, e);
    }

    private static void deleteQuietly(Path f) {
        try {
            Files.deleteIfExists(f);
        } catch (IOException e) {
            // the original failure matters more; a leftover is removed by the next save
        }
    }

    /** The body's view of the stream: closing it only flushes, the save closes the file. */
    private static final class Unclosable extends FilterOutputStream {
        Unclosable(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
