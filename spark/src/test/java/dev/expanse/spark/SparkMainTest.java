package dev.expanse.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.expanse.cli.Main;
import dev.expanse.cli.ResultsCsv;
import dev.expanse.cli.UnitJob;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The suite and a stream through Spark on {@code local[2]}, over the fixtures, against the same
 * commands run locally in this JVM at one compute thread (the module's tests run with
 * {@code -Dexpanse.threads=1}, as each task has {@code spark.task.cpus=1}).
 */
class SparkMainTest {
    private static final List<String> SHORT = List.of("--fixtures", "-q", "--epochs-basics", "1", "--epochs-source", "1", "--epochs-target", "1");
    private static final String STREAM = "mnist:0-4/mnist:5-9/fashion:0-4";

    @TempDir
    Path tmp;

    private static SparkConf conf(String master) {
        return new SparkConf().setMaster(master).setAppName("expanse-spark-test")
                .set("spark.ui.enabled", "false").set("spark.driver.bindAddress", "127.0.0.1").set("spark.driver.host", "127.0.0.1");
    }

    private static String[] args(List<String> head, Path out) {
        List<String> a = new ArrayList<>(head);
        a.addAll(SHORT);
        a.add("--out");
        a.add(out.toString());
        return a.toArray(String[]::new);
    }

    /** What a run printed, and its exit code. */
    private record Ran(int code, String out, String err) {
    }

    private static Ran spark(String[] args, SparkConf conf) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = SparkMain.run(args, conf, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Ran(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** results.csv without its seconds column, the one column a Spark run may change. */
    private static List<String> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private void assertSameAsLocal(Path local, Path spark) throws IOException {
        List<String> a = ResultsCsv.withoutSeconds(local);
        List<String> b = ResultsCsv.withoutSeconds(spark);
        assertTrue(a.size() > 1, "the local run wrote rows");
        assertEquals(a, b, "results.csv through Spark equals the local one but for seconds");
        assertEquals(files(local), files(spark), "the same report files");
        assertTrue(Files.readString(spark.resolve("report.md")).contains("spark-submit --master local"), "the report names the Spark run");
    }

    @Test
    void theSuiteOnLocal2EqualsTheLocalSuite() throws IOException {
        List<String> head = List.of("suite", "--seeds", "1,2");
        Path local = tmp.resolve("local");
        Path spark = tmp.resolve("spark");
        assertEquals(0, Main.run(args(head, local)));
        Ran r = spark(args(head, spark), conf("local[2]"));
        assertEquals(0, r.code(), r.err());
        assertSameAsLocal(local, spark);
        // Three source networks (the splits of MNIST and of Fashion-MNIST, distant MNIST) on two seeds.
        assertEquals(6, UnitJob.parse(args(head, spark)).units().size());
        assertTrue(r.err().contains("done (6/6)"), r.err());
    }

    @Test
    void aTaskThatFailsIsRetriedAndGivesTheSameResults() throws IOException {
        List<String> head = List.of("stream", "--stream", STREAM, "--strategy", "frozen-expanse,fine-tune,naive", "--seeds", "1,2");
        Path local = tmp.resolve("local");
        Path spark = tmp.resolve("spark");
        List<String> localModels = List.of("--save-models", tmp.resolve("local-models").toString());
        List<String> sparkModels = List.of("--save-models", tmp.resolve("spark-models").toString());
        assertEquals(0, Main.run(args(concat(head, localModels), local)));
        // local[2,2]: two threads, and a task may fail twice; unit 1 fails on its first attempt.
        Ran r = spark(args(concat(head, sparkModels), spark), conf("local[2,2]").set(SparkJob.FAIL_FIRST, "1"));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("unit 1, attempt 0, failed"), r.err());
        assertTrue(r.out().contains("1 failed attempt(s), retried by Spark"), r.out());
        assertTrue(r.out().contains("| 1 | "), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("| 1 |") && l.endsWith("| 2 |")), "unit 1 took two attempts: " + r.out());
        assertSameAsLocal(local, spark);
        // The executors saved every network after every experience, bit for bit as the local run did.
        List<String> saved = files(tmp.resolve("local-models"));
        assertEquals(2 * 3 * 3, saved.size(), "two seeds, three strategies, three experiences: " + saved);
        assertEquals(saved, files(tmp.resolve("spark-models")));
        for (String f : saved) {
            assertTrue(Arrays.equals(Files.readAllBytes(tmp.resolve("local-models").resolve(f)),
                    Files.readAllBytes(tmp.resolve("spark-models").resolve(f))), f);
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    @Test
    void withoutRetriesTheFailedTaskFailsTheJobNamingIt() throws IOException {
        Path out = tmp.resolve("out");
        String[] a = args(List.of("stream", "--stream", "mnist:0-4/mnist:5-9", "--strategy", "naive", "--seeds", "1,2"), out);
        Ran r = spark(a, conf("local[2]").set(SparkJob.FAIL_FIRST, "0"));
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("expanse-spark: the job failed: unit 0 (") && r.err().contains("the first attempt of unit 0 fails on purpose"), r.err());
        // Unit 1 (seed 2) may have finished first and been reported; unit 0 (seed 1) never is.
        if (Files.exists(out.resolve("results.csv"))) {
            assertTrue(Files.readAllLines(out.resolve("results.csv")).stream().skip(1).noneMatch(l -> l.contains(",naive,1,")),
                    "no row of the failed unit");
        }
    }

    @Test
    void theReportIsRewrittenAsEachUnitFinishes() throws IOException {
        Path out = tmp.resolve("out");
        String[] a = args(List.of("stream", "--stream", "mnist:0-4/mnist:5-9", "--strategy", "naive", "--seeds", "1,2,3"), out);
        UnitJob job = UnitJob.parse(a);
        DataCheck data = DataCheck.of(job.datasets(), true, null);
        List<Integer> finished = new ArrayList<>();
        List<Long> rowsSeen = new ArrayList<>();
        try (JavaSparkContext sc = new JavaSparkContext(conf("local[2]"))) {
            PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
            SparkJob.run(sc, a, job, data, quiet, soFar -> {
                finished.add((int) soFar.stream().filter(d -> d != null).count());
                job.write(soFar.stream().map(d -> d == null ? null : d.result()).toList(), "test");
                rowsSeen.add(Files.readAllLines(out.resolve("results.csv")).stream().skip(1).count());
            });
        }
        assertEquals(List.of(1, 2, 3), finished, "called once per unit, with one more each time");
        // Two experiences, one strategy: two rows per finished seed.
        assertEquals(List.of(2L, 4L, 6L), rowsSeen);
    }

    @Test
    void aCorruptOrMissingFileOnAnExecutorFailsItsTaskNamingFileAndHost() throws IOException {
        String[] a = args(List.of("stream", "--stream", "mnist:0-4/mnist:5-9", "--strategy", "naive", "--seeds", "1"), tmp.resolve("out"));
        UnitJob job = UnitJob.parse(a);
        DataCheck good = DataCheck.of(job.datasets(), true, null);
        assertEquals(4, good.sha256().size(), "images and labels of both parts of MNIST: " + good.sha256());
        String file = "mnist/t10k-labels-idx1-ubyte.gz";
        assertTrue(good.sha256().containsKey(file), good.sha256().toString());

        Map<String, String> corrupt = new HashMap<>(good.sha256());
        corrupt.put(file, "0".repeat(64));
        Map<String, String> missing = new HashMap<>(good.sha256());
        missing.put("mnist/train-images-idx3-ubyte.bak", good.sha256().get(file));
        String host = DataCheck.host();
        try (JavaSparkContext sc = new JavaSparkContext(conf("local[2]"))) {
            PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
            Exception e = assertThrows(SparkJob.Failed.class,
                    () -> SparkJob.run(sc, a, job, new DataCheck(good.folder(), true, corrupt), quiet, soFar -> { }));
            String m = e.getMessage();
            assertTrue(m.contains(Path.of(good.folder(), file).toString()) && m.contains("on host " + host)
                    && m.contains("but the driver's copy has " + "0".repeat(64)), m);
            e = assertThrows(SparkJob.Failed.class,
                    () -> SparkJob.run(sc, a, job, new DataCheck(good.folder(), true, missing), quiet, soFar -> { }));
            m = e.getMessage();
            assertTrue(m.contains(Path.of(good.folder(), "mnist/train-images-idx3-ubyte.bak").toString()) && m.contains("on host " + host)
                    && m.contains("missing"), m);
        }
    }

    @Test
    void badArgumentsAndMissingDataFailOnTheDriverBeforeSparkStarts() throws IOException {
        Path out = tmp.resolve("out");
        Ran r = spark(args(List.of("suite", "--seeds", "1,1"), out), conf("local[2]"));
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("expanse-spark: --seeds: a seed repeats"), r.err());

        r = spark(new String[] {"train", "--fixtures"}, conf("local[2]"));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("expected the command suite or stream"), r.err());

        r = spark(args(List.of("stream", "--backend", "opencl"), out), conf("local[2]"));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--backend opencl: on Spark every task runs on the CPU backend"), r.err());

        Path empty = Files.createDirectories(tmp.resolve("empty"));
        r = spark(args(List.of("stream", "--stream", "mnist:0-4/mnist:5-9"), out), conf("local[2]").set(DataCheck.FOLDER, empty.toString()));
        assertEquals(2, r.code());
        assertTrue(r.err().contains(empty.resolve("mnist").resolve("train-images-idx3-ubyte").toString()), r.err());
        assertFalse(r.err().contains("units on"), "Spark did not start: " + r.err());
    }
}
