package dev.expanse.spark;

import dev.expanse.engine.data.Datasets;
import dev.expanse.method.scenario.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The data files of a job and their SHA-256, as the driver read them: every task checks its own
 * copies against them before it loads anything, so that a host with a missing or different file
 * fails its task with the file and the host named, instead of training on other data.
 *
 * @param folder   the folder that holds the datasets' folders ({@code mnist/}, {@code fashion-mnist/}),
 *                 the same path on every host
 * @param fixtures true for the committed fixtures, false for the data cache
 * @param sha256   hex SHA-256 by path relative to {@code folder}, e.g. {@code mnist/t10k-labels-idx1-ubyte}
 */
public record DataCheck(String folder, boolean fixtures, Map<String, String> sha256) implements Serializable {

    /** The Spark setting that names the data folder; without it, the driver's own folder. */
    public static final String FOLDER = "spark.expanse.data";

    public DataCheck {
        sha256 = Map.copyOf(sha256);
    }

    /**
     * Hashes, on the driver, every file that {@code datasets} are read from, in {@code folder}
     * (or, when null, the folder this JVM reads: {@link Datasets#fixturesDir()} or
     * {@link Datasets#cacheDir()}).
     *
     * @throws IOException naming the file, if one is missing or unreadable on the driver
     */
    public static DataCheck of(List<DataSource> datasets, boolean fixtures, String folder) throws IOException {
        Path dir = (folder != null ? Path.of(folder) : fixtures ? Datasets.fixturesDir() : Datasets.cacheDir()).toAbsolutePath();
        DataCheck where = new DataCheck(dir.toString(), fixtures, Map.of());
        String before = System.getProperty(where.property());
        where.use();
        try {
            Map<String, String> sha = new LinkedHashMap<>();
            for (DataSource ds : datasets) {
                for (Datasets.Part part : Datasets.Part.values()) {
                    for (Path f : ds.files(part, fixtures)) sha.put(dir.relativize(f.toAbsolutePath()).toString(), sha256(f));
                }
            }
            return new DataCheck(dir.toString(), fixtures, sha);
        } finally {
            // The driver's own loader is left as it was: only the tasks read from the folder.
            if (before == null) System.clearProperty(where.property());
            else System.setProperty(where.property(), before);
        }
    }

    /**
     * On a task's host: points this JVM's loader at {@link #folder}, then checks every file.
     *
     * @throws IOException naming the file and the host, if a file is missing or its SHA-256 differs
     */
    public void verify() throws IOException {
        use();
        Path dir = Path.of(folder);
        for (Map.Entry<String, String> e : sha256.entrySet()) {
            Path f = dir.resolve(e.getKey());
            if (!Files.isRegularFile(f)) {
                throw new IOException(f + " on host " + host() + ": missing; every executor must see the data folder " + folder
                        + " (set " + FOLDER + " to a folder they all share)");
            }
            String got = sha256(f);
            if (!got.equals(e.getValue())) {
                throw new IOException(f + " on host " + host() + ": SHA-256 " + got + ", but the driver's copy has "
                        + e.getValue() + "; replace it (scripts/fetch-data.sh verifies the real datasets)");
            }
        }
    }

    /** The loader's folder property: the same value in every task of a job, so setting it from several tasks is safe. */
    private void use() {
        System.setProperty(property(), folder);
    }

    private String property() {
        return fixtures ? "expanse.fixtures" : "expanse.data";
    }

    static String sha256(Path f) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(f)) {
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return System.getenv().getOrDefault("HOSTNAME", "unknown host");
        }
    }
}
