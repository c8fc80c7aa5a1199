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
 * A quiet look for the OpenCL loader before JOCL tries to open it: JOCL 2.0.5 opens exactly
 * {@code libOpenCL.so} on Linux and, when that fails, prints a line of its own to stderr before
 * throwing. Automatic backend selection calls {@link #missingReason()} first so that a machine
 * without OpenCL gets one clear message instead.
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
