package dev.expanse.method.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.expanse.method.metrics.AccuracyMatrix;
import dev.expanse.method.scenario.Calibration;
import dev.expanse.method.scenario.CellResult;
import dev.expanse.method.scenario.DataSource;
import dev.expanse.method.scenario.Hyper;
import dev.expanse.method.scenario.LogitCheck;
import dev.expanse.method.scenario.RunResult;
import dev.expanse.method.scenario.ScenarioConfig;
import dev.expanse.method.strategy.NetSpec;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The results folder: markdown tables, CSV and PNGs that decode. */
class ReportTest {

    static RunResult run(String strategy, long seed, double src, double tgt, boolean identical) {
        AccuracyMatrix m = new AccuracyMatrix(List.of("mnist 0-4", "mnist 5-9"),
                new double[][] {{0.99, 0}, {src, tgt}}, new double[] {0.99, 0.2}, new double[] {0.2, 0.1});
        return new RunResult(strategy, seed, m, (src + tgt) / 2, 0.99, 1000, 2000, 1.5,
                new double[] {0.5, 0.8, 0.9}, new double[] {1, 0.5, 0.2},
                new LogitCheck(50, identical ? 0 : 7, identical ? 0 : 0.25), Calibration.NONE, 0.01, 0.02);
    }

    static CellResult cell() {
        ScenarioConfig c = ScenarioConfig.split(DataSource.MNIST, NetSpec.publishedMlp(), 0.1, Hyper.defaults(), false);
        List<RunResult> runs = new ArrayList<>();
        for (long seed = 1; seed <= 2; seed++) {
            runs.add(run("frozen-expanse", seed, 0.96 + seed * 0.012, 0.97, true));
            runs.add(run("published-expanse", seed, 0.90, 0.98, false));
        }
        List<CellResult.SourceInfo> src = List.of(new CellResult.SourceInfo(1, 0.99, 10, new double[] {0.9}),
                new CellResult.SourceInfo(2, 0.99, 11, new double[] {0.9}));
        return new CellResult(c, src, runs);
    }

    @Test
    void writesMarkdownCsvAndDecodablePngs(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("new-folder");
        List<CellResult> cells = List.of(cell());
        Report.write(out, "test report", "expanse scenario --seeds 1,2", cells);
        for (String f : Report.files(cells)) assertTrue(Files.isRegularFile(out.resolve(f)), f);
        for (String f : Report.files(cells)) {
            if (!f.endsWith(".png")) continue;
            BufferedImage img = ImageIO.read(out.resolve(f).toFile());
            assertNotNull(img, f + " does not decode");
            assertTrue(img.getWidth() >= 300 && img.getHeight() >= 200, f + " is " + img.getWidth() + "x" + img.getHeight());
        }
        try (Stream<Path> s = Files.list(out)) {
            assertEquals(Report.files(cells).size(), s.count(), "no temporary files left behind");
        }

        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.contains("expanse scenario --seeds 1,2"));
        // frozen-expanse: source (0.972, 0.984) -> 97.80 ± 0.85; all = (src + tgt) / 2 = (0.971, 0.977) -> 97.40 ± 0.42
        assertTrue(md.contains("| frozen-expanse | 97.40 ± 0.42 | 97.80 ± 0.85 | 97.00 ± 0.00 |"), md);
        assertTrue(md.contains("identical (2/2)"), md);
        assertTrue(md.contains("differ (0/2 identical, max diff 0.250)"), md);
        // forgetting = 0.99 - src: frozen (0.018, 0.006) -> 1.20 ± 0.85 points; BWT the opposite
        assertTrue(md.contains("| 99.00 ± 0.00 | 1.00 ± 0.00 | 2.00 ± 0.00 | 1.20 ± 0.85 | -1.20 ± 0.85 |"), md);

        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertEquals(5, csv.size());
        assertTrue(csv.get(1).startsWith("split-mnist-mlp-r10,frozen-expanse,1,0.971000,0.972000,0.970000,"), csv.get(1));
    }

    @Test
    void aFixtureRunSaysSoInItsTitles() {
        CellResult full = cell();
        ScenarioConfig onFixtures = ScenarioConfig.split(DataSource.MNIST, NetSpec.publishedMlp(), 0.1, Hyper.defaults(), true);
        String md = Report.markdown("EXPANSE suite", "expanse suite --fixtures",
                List.of(new CellResult(onFixtures, full.sources(), full.runs())));
        assertTrue(md.startsWith("# EXPANSE suite (fixtures)\n\nRan on the small committed fixtures"), md);
        assertTrue(md.contains("\n## " + onFixtures.title() + " (fixtures)\n"), md);
        assertTrue(md.contains("| " + onFixtures.title() + " (fixtures) | frozen-expanse |"), md);
        String fullMd = Report.markdown("EXPANSE suite", "expanse suite", List.of(full));
        assertTrue(!fullMd.contains("fixtures"), fullMd);
    }
}
