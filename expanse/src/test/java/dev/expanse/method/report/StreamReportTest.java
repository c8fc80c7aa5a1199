package dev.expanse.method.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.expanse.method.metrics.AccuracyMatrix;
import dev.expanse.method.metrics.Summary;
import dev.expanse.method.scenario.Hyper;
import dev.expanse.method.scenario.LogitCheck;
import dev.expanse.method.strategy.NetSpec;
import dev.expanse.method.strategy.Transfer;
import dev.expanse.method.stream.Growth;
import dev.expanse.method.stream.Rehearsal;
import dev.expanse.method.stream.StreamConfig;
import dev.expanse.method.stream.StreamResult;
import dev.expanse.method.stream.StreamRun;
import dev.expanse.method.stream.StreamSpec;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stream results folder: markdown tables and definitions, CSV rows, PNGs that decode. */
class StreamReportTest {
    static final int T = 3;

    static StreamConfig config() {
        return new StreamConfig(StreamSpec.parse("mnist:0,1/mnist:2,3/mnist:4,5"), NetSpec.publishedMlp(),
                Growth.parse("200,100"), Rehearsal.buffer(100), Transfer.Mode.GROW_HEAD, Hyper.defaults(), true);
    }

    /** A sequential run: a lower-triangular matrix of random accuracies, every check the given one. */
    static StreamRun sequential(String strategy, long seed, Random rnd, LogitCheck check) {
        double[][] r = new double[T][T];
        for (int i = 0; i < T; i++) for (int j = 0; j <= i; j++) r[i][j] = 0.5 + 0.5 * rnd.nextDouble();
        double[] before = {0, 0.3 + 0.1 * rnd.nextDouble(), 0.3}, random = {0, 0.2, 0.2};
        AccuracyMatrix m = new AccuracyMatrix(config().stream().experiences().stream().map(e -> e.name()).toList(), r, before, random);
        LogitCheck[][] checks = new LogitCheck[T][T];
        for (int i = 1; i < T; i++) for (int j = 0; j < i; j++) checks[i][j] = check;
        double[] acc = new double[T], conf = new double[T];
        for (int i = 0; i < T; i++) {
            acc[i] = rnd.nextDouble();
            conf[i] = 0.1 * rnd.nextDouble();
        }
        return new StreamRun(strategy, seed, m, acc, conf, new long[] {1000, 900, 800}, new long[] {1000, 1900, 2700},
                new double[] {1.5, 2.0, 2.5}, checks);
    }

    /** Joint training: only the last row, the others NaN; no checks. */
    static StreamRun joint(long seed, Random rnd) {
        double nan = Double.NaN;
        double[][] r = new double[T][T];
        for (int i = 0; i < T - 1; i++) Arrays.fill(r[i], nan);
        for (int j = 0; j < T; j++) r[T - 1][j] = 0.8 + 0.2 * rnd.nextDouble();
        AccuracyMatrix m = new AccuracyMatrix(config().stream().experiences().stream().map(e -> e.name()).toList(), r,
                new double[] {nan, nan, nan}, new double[] {nan, nan, nan});
        return new StreamRun("scratch", seed, m, new double[] {nan, nan, 0.9}, new double[] {nan, nan, 0.05},
                new long[] {0, 0, 5000}, new long[] {0, 0, 5000}, new double[] {nan, nan, 4.0}, new LogitCheck[T][T]);
    }

    static StreamResult result(LogitCheck frozenCheck) {
        Random rnd = new Random(42);
        List<StreamRun> runs = new ArrayList<>();
        for (long seed = 1; seed <= 2; seed++) {
            runs.add(joint(seed, rnd));
            runs.add(sequential("frozen-expanse", seed, rnd, frozenCheck));
        }
        return new StreamResult(config(), runs);
    }

    @Test
    void writesMarkdownCsvAndDecodablePngs(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("new-folder");
        StreamResult res = result(new LogitCheck(10, 0, 0));
        List<StreamResult> streams = List.of(res);
        StreamReport.write(out, "expanse stream --seeds 1,2 --fixtures", streams);

        List<String> files = StreamReport.files(streams);
        String id = res.config().id();
        assertTrue(files.containsAll(List.of("report.md", "results.csv", id + "-stream.png", id + "-matrix-scratch.png",
                id + "-matrix-frozen-expanse.png")), files.toString());
        for (String f : files) assertTrue(Files.isRegularFile(out.resolve(f)), f);
        for (String f : files) {
            if (!f.endsWith(".png")) continue;
            BufferedImage img = ImageIO.read(out.resolve(f).toFile());
            assertNotNull(img, f + " does not decode");
            assertTrue(img.getWidth() >= 400 && img.getHeight() >= 300, f + " is " + img.getWidth() + "x" + img.getHeight());
        }
        try (Stream<Path> s = Files.list(out)) {
            assertEquals(files.size(), s.count(), "no temporary files left behind");
        }

        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.startsWith("# EXPANSE stream: " + res.config().title() + "\n"), md);
        assertTrue(md.contains("(fixtures)"), md);
        assertTrue(md.contains("a smoke run, not a result"), md);
        assertTrue(md.contains("```\nexpanse stream --seeds 1,2 --fixtures\n```"), md);

        // The expected summary, derived from the inputs: ACC = mean of the last row, per seed.
        List<StreamRun> frozen = res.runsOf("frozen-expanse");
        double[] finals = frozen.stream().mapToDouble(r -> (r.matrix().at(2, 0) + r.matrix().at(2, 1) + r.matrix().at(2, 2)) / 3).toArray();
        String acc = Summary.of(finals).format(100, 2);
        assertTrue(acc.contains(" ± "), acc);
        double[] streamAcc = frozen.stream().mapToDouble(r -> r.streamAccuracy()[2]).toArray();
        assertTrue(md.contains("| frozen-expanse | " + acc + " | " + Summary.of(streamAcc).format(100, 2) + " | "), md);
        assertTrue(md.contains("| 800 / 2,700 | 6.0 ± 0.0 | identical (2/2) |"), md);
        // Joint training: no forgetting, BWT, FWT or old logits; its time counts only the timed experience.
        assertTrue(md.contains("| - | - | - | "), md);
        assertTrue(md.contains("| 5,000 / 5,000 | 4.0 ± 0.0 | - |"), md);
        String e0 = res.experiences().get(0);
        assertTrue(md.contains("| frozen-expanse | " + e0 + " | identical in 2/2 runs | 0.00 |"), md);
        assertFalse(md.contains("| scratch | " + e0 + " | identical"), md);

        // Average accuracy after the first experience: r[0][0] alone; joint has "-" there.
        String first = Summary.of(frozen.stream().mapToDouble(r -> r.matrix().at(0, 0)).toArray()).format(100, 2);
        assertTrue(md.contains("| frozen-expanse | " + first + " | "), md);
        assertTrue(md.contains("| scratch | - | - | "), md);
        // The mean matrix, row after the first experience.
        double m00 = (frozen.get(0).matrix().at(0, 0) + frozen.get(1).matrix().at(0, 0)) / 2;
        assertTrue(md.contains(String.format(java.util.Locale.ROOT, "| after %s | %.2f | 0.00 | 0.00 |", e0, 100 * m00)), md);

        // Definitions on the page.
        for (String d : List.of("ACC_i = mean_{j<=i} r[i][j]", "Lopez-Paz & Ranzato 2017", "Chaudhry et al. 2018",
                "max_{l<T-1} r[l][j] - r[T-1][j]", "BWT = mean_{j<T-1} (r[T-1][j] - r[j][j])",
                "FWT = mean_{j>=1} (before[j] - random[j])", "Stream accuracy", "Cross-task confusion",
                "trains once on the whole stream")) {
            assertTrue(md.contains(d), d);
        }
        assertTrue(md.contains("](" + id + "-stream.png)") && md.contains("](" + id + "-matrix-frozen-expanse.png)"), md);

        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertEquals(2 * 2 * T + 1, csv.size(), csv.toString());
        List<String> header = List.of(csv.get(0).split(","));
        assertEquals(List.of("stream", "strategy", "seed", "after_experience", "average_accuracy", "stream_accuracy", "confusion",
                "trainable", "total", "seconds", "old_logits_identical", "r_0", "r_1", "r_2"), header);
        // Rows by strategy (scratch first, as it first appears), then seed, then experience.
        String[] row = csv.get(1 + 2 * T + 1).split(",", -1); // frozen-expanse, seed 1, after experience 2
        assertEquals(List.of(id, "frozen-expanse", "1", "2"), List.of(row).subList(0, 4));
        assertEquals(frozen.get(0).matrix().at(1, 0), Double.parseDouble(row[header.indexOf("r_0")]), 1e-6);
        assertEquals(frozen.get(0).averageAccuracy(1), Double.parseDouble(row[header.indexOf("average_accuracy")]), 1e-6);
        assertEquals("true", row[header.indexOf("old_logits_identical")]);
        String[] joint = csv.get(1).split(",", -1); // scratch, seed 1, after experience 1: undefined
        assertEquals("", joint[header.indexOf("r_0")]);
        assertEquals("", joint[header.indexOf("old_logits_identical")]);
        assertEquals(header.size(), joint.length);
    }

    @Test
    void aDifferingCheckSaysDiffer() {
        StreamResult res = result(new LogitCheck(10, 3, 0.125));
        String md = StreamReport.markdown("expanse stream", List.of(res));
        assertTrue(md.contains("| differ (0/2 identical, max diff 0.125) |"), md);
        assertTrue(md.contains("| frozen-expanse | " + res.experiences().get(0) + " | identical in 0/2 runs | 0.125 |"), md);
        assertFalse(md.contains("identical (2/2)"), md);
        String csv = StreamReport.csv(List.of(result(new LogitCheck(10, 3, 0.125))));
        assertTrue(csv.lines().anyMatch(l -> l.startsWith(config().id() + ",frozen-expanse,1,2,") && l.contains(",false,")), csv);
    }

    @Test
    void severalStreamsGetOneSectionEachAndPaddedColumns() {
        StreamResult three = result(new LogitCheck(10, 0, 0));
        StreamConfig twoCfg = new StreamConfig(StreamSpec.parse("split-mnist-2"), NetSpec.publishedMlp(), Growth.parse("50%"),
                Rehearsal.fraction(0.1), Transfer.Mode.NEW_HEAD, Hyper.defaults(), false);
        AccuracyMatrix m = new AccuracyMatrix(List.of("mnist 0-4", "mnist 5-9"), new double[][] {{0.9, 0}, {0.8, 0.95}},
                new double[] {0, 0.4}, new double[] {0, 0.3});
        LogitCheck same = new LogitCheck(5, 0, 0);
        StreamRun run = new StreamRun("naive", 7, m, new double[] {0.9, 0.87}, new double[] {Double.NaN, Double.NaN},
                new long[] {10, 10}, new long[] {10, 10}, new double[] {1, 1}, new LogitCheck[][] {{null, null}, {same, null}});
        StreamResult two = new StreamResult(twoCfg, List.of(run));
        String md = StreamReport.markdown("expanse stream", List.of(three, two));
        assertTrue(md.startsWith("# EXPANSE streams (fixtures)\n"), md);
        assertTrue(md.contains("\n## " + three.config().title() + "\n") && md.contains("\n## " + twoCfg.title() + "\n"), md);
        // Task-incremental: no cross-task confusion.
        assertTrue(md.contains("| naive | 87.50 | 87.00 | 10.00 | -10.00 | 10.00 | - | 10 / 10 | 2.0 | identical (1/1) |"), md);
        List<String> csv = StreamReport.csv(List.of(three, two)).lines().toList();
        assertEquals(2 * 2 * T + 2 + 1, csv.size());
        String last = csv.get(csv.size() - 1);
        assertTrue(last.startsWith(twoCfg.id() + ",naive,7,2,0.875000,0.870000,,10,10,1.000000,true,0.800000,0.950000,"), last);
        assertEquals(csv.get(0).split(",").length, last.split(",", -1).length);
    }

    @Test
    void everyStrategyHasOneStableColour() {
        List<String> known = List.of("scratch", "naive", "fine-tune", "lwf", "ewc", "feature-extraction", "progressive",
                "published-expanse", "frozen-expanse");
        assertEquals(known.size(), known.stream().map(Plots::color).distinct().count());
        assertEquals(Plots.color("my-new-strategy"), Plots.color("my-new-strategy"));
        assertNotEquals(Plots.color("my-new-strategy"), Plots.color("another"));
    }
}
