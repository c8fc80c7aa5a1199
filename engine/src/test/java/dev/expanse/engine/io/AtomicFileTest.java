package dev.expanse.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {
    @TempDir
    Path dir;

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void replacesTheWholeFileAndLeavesNoTemporaryFile() throws IOException {
        Path f = dir.resolve("sub").resolve("a.bin");
        AtomicFile.writeString(f, "first version, longer");
        AtomicFile.write(f, out -> {
            out.write(new byte[] {1, 2});
            out.write(3);
            out.close(); // allowed: only flushes
        });
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(f));
        try (Stream<Path> s = Files.list(f.getParent())) {
            assertEquals(List.of(f), s.toList());
        }
    }

    /** The umask decides, as for any new file: the same permissions as a file made by Files.createFile. */
    @Test
    void theFileGetsTheUmasksPermissionsNotPrivateOnes() throws IOException {
        Path probe = Files.createFile(dir.resolve("probe"));
        Path f = dir.resolve("a.bin");
        AtomicFile.write(f, new byte[] {1});
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(f);
        assertEquals(Files.getPosixFilePermissions(probe), perms);
        assertTrue(perms.contains(PosixFilePermission.OWNER_READ) && perms.size() > 2, perms.toString());
    }

    @Test
    void aFailingBodyLeavesTheTargetAndNoTemporaryFile() throws IOException {
        Path f = dir.resolve("a.bin");
        AtomicFile.writeString(f, "kept");
        IllegalStateException boom = new IllegalStateException("boom");
        assertSame(boom, assertThrows(IllegalStateException.class, () -> AtomicFile.write(f, out -> {
            out.write(new byte[100_000]);
            throw boom;
        })));
        IOException full = assertThrows(IOException.class, () -> AtomicFile.write(f, out -> {
            out.write(new byte[10]);
            throw new IOException("No space left on device");
        }));
        assertEquals(f + ": cannot write: disk full (no space left on device)", full.getMessage());
        assertEquals("kept", Files.readString(f));
        assertEquals(List.of("a.bin"), names());
    }

    @Test
    void errorsNameTheTargetAndTheReason() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("folder"));
        IOException e = assertThrows(IOException.class, () -> AtomicFile.writeString(folder, "x"));
        assertEquals(folder + ": cannot write: is a directory", e.getMessage());
        Path file = Files.writeString(dir.resolve("file"), "x");
        e = assertThrows(IOException.class, () -> AtomicFile.writeString(file.resolve("a.txt"), "x"));
        assertTrue(e.getMessage().startsWith(file.resolve("a.txt") + ": cannot write: "), e.getMessage());
        assertTrue(e.getMessage().contains("not a directory") || e.getMessage().contains("already exists"), e.getMessage());
        Path proc = Path.of("/proc/expanse-test.bin");
        e = assertThrows(IOException.class, () -> AtomicFile.writeString(proc, "x"));
        assertTrue(e.getMessage().startsWith(proc + ": cannot write: "), e.getMessage());
        assertFalse(e.getMessage().contains(".tmp"), e.getMessage());
    }

    /**
     * Stale temporary files of the target go at the next save: a dead writer's, this process's
     * own that no save is writing, and old-style names older than a minute. A live process's,
     * young old-style ones and another target's stay.
     */
    @Test
    void theNextSaveRemovesStaleTemporaryFilesOnly() throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-version")
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        p.waitFor();
        long dead = p.pid(), self = ProcessHandle.current().pid();
        Path f = dir.resolve("a.bin");
        for (String n : List.of(".a.bin." + dead + ".7.tmp", ".a.bin." + self + ".3.tmp", "a.bin123.tmp", ".a.bin456.tmp")) {
            Files.writeString(dir.resolve(n), "partial");
        }
        for (String n : List.of("a.bin123.tmp", ".a.bin456.tmp")) {
            Files.setLastModifiedTime(dir.resolve(n), FileTime.from(Instant.now().minusSeconds(120)));
        }
        List<String> kept = List.of(".a.bin.1.9.tmp", ".b.bin." + dead + ".1.tmp", "a.bin789.tmp", "a.bin.tmp");
        for (String n : kept) Files.writeString(dir.resolve(n), "other");
        AtomicFile.writeString(f, "new");
        assertEquals(Stream.concat(kept.stream(), Stream.of("a.bin")).sorted().toList(), names());
        assertTrue(AtomicFile.isTemporaryOf(dir.resolve(".a.bin.1.9.tmp"), f));
        assertFalse(AtomicFile.isTemporaryOf(dir.resolve("a.bin.tmp"), f));
    }

    @Test
    void readableReasons() {
        assertEquals("permission denied", IoErrors.reason(new java.nio.file.AccessDeniedException("/x")));
        assertEquals("/x: no such file or directory", IoErrors.describe(new java.nio.file.NoSuchFileException("/x")));
        assertEquals("/x: not a directory", IoErrors.describe(new java.nio.file.FileSystemException("/x", null, "Not a directory")));
        assertEquals("read-only file system",
                IoErrors.reason(new java.nio.file.AccessDeniedException("/x", null, "Read-only file system")));
        assertEquals("disk quota exceeded", IoErrors.reason(new IOException("Disk quota exceeded")));
        assertEquals("IOException", IoErrors.reason(new IOException()));
    }
}
