package dev.expanse.kernels.opencl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Looks taken before JOCL opens OpenCL: whether the loader is there at all ({@link #missingReason()}:
 * JOCL 2.0.5 opens exactly {@code libOpenCL.so} on Linux and, when that fails, prints a line of its
 * own to stderr before throwing), and whether opening a driver would put the JVM at risk
 * ({@link #signalHazard()}).
 */
public final class OpenClLibrary {
    private OpenClLibrary() {
    }

    /**
     * Why the OpenCL loader surely cannot be opened, or null when it may be there (always null
     * outside Linux). Searches where the dynamic linker would: LD_LIBRARY_PATH, the directories of
     * /etc/ld.so.conf.d, java.library.path and the usual system directories.
     */
    public static String missingReason() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return null;
        }
        for (Path dir : searchPath()) {
            if (Files.exists(dir.resolve("libOpenCL.so"))) {
                return null;
            }
        }
        return "libOpenCL.so not found (JOCL needs the unversioned name: on Debian/Ubuntu install "
                + "ocl-icd-opencl-dev, plus an OpenCL driver such as pocl-opencl-icd)";
    }

    /**
     * Why starting an OpenCL driver in this JVM could crash it later, or null when it cannot as
     * far as we know (always null outside Linux).
     *
     * <p>Drivers built on LLVM (PoCL, Mesa's) install LLVM's handlers for SIGSEGV, SIGBUS and
     * SIGILL when they start, in place of the JVM's. The JVM raises SIGSEGV on purpose, at every
     * safepoint poll and implicit null check; LLVM's handler is one-shot and puts the JVM's back,
     * but a second thread that faults in between meets the default action and the process dies
     * with "Segmentation fault" and no hs_err file (seen as a random test crash after the first
     * {@code auto} probe on a machine with PoCL). LLVM's handler also deletes the files the
     * driver's compiler is writing, so a kernel build can fail too. The JVM's own {@code libjsig}, preloaded, keeps
     * the JVM's handlers in front and chains the driver's behind them.
     */
    public static String signalHazard() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return null;
        }
        try (Stream<String> maps = Files.lines(Path.of("/proc/self/maps"), StandardCharsets.UTF_8)) {
            if (maps.anyMatch(line -> line.endsWith("/libjsig.so"))) {
                return null;
            }
        } catch (IOException | RuntimeException e) {
            // Unreadable: treated as not preloaded, the cautious answer.
        }
        return "the JVM runs without libjsig, so an LLVM-based OpenCL driver (PoCL, Mesa) would replace its "
                + "SIGSEGV handler and the JVM could later die at random or fail to build kernels; start Java with LD_PRELOAD="
                + Path.of(System.getProperty("java.home"), "lib", "libjsig.so") + " (scripts/expanse does)";
    }

    private static List<Path> searchPath() {
        List<String> dirs = new ArrayList<>();
        addPathList(dirs, System.getenv("LD_LIBRARY_PATH"));
        addPathList(dirs, System.getProperty("java.library.path"));
        try (Stream<Path> confs = Files.list(Path.of("/etc/ld.so.conf.d"))) {
            for (Path conf : (Iterable<Path>) confs::iterator) {
                for (String line : Files.readAllLines(conf, StandardCharsets.UTF_8)) {
                    String t = line.strip();
                    if (t.startsWith("/")) {
                        dirs.add(t);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // No configuration directory: the fixed list below still applies.
        }
        String arch = System.getProperty("os.arch", "");
        String triplet = arch.equals("amd64") || arch.equals("x86_64") ? "x86_64-linux-gnu"
                : arch.equals("aarch64") ? "aarch64-linux-gnu" : arch + "-linux-gnu";
        for (String d : new String[] {"/lib/" + triplet, "/usr/lib/" + triplet, "/lib64", "/usr/lib64",
                "/lib", "/usr/lib", "/usr/local/lib", "/usr/local/lib64"}) {
            dirs.add(d);
        }
        List<Path> paths = new ArrayList<>();
        for (String d : dirs) {
            try {
                paths.add(Path.of(d));
            } catch (RuntimeException e) {
                // An unparsable entry cannot hold the library either.
            }
        }
        return paths;
    }

    private static void addPathList(List<String> dirs, String list) {
        if (list != null) {
            for (String d : list.split(":")) {
                if (!d.isBlank()) {
                    dirs.add(d);
                }
            }
        }
    }
}
