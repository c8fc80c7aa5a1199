package dev.expanse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.expanse.engine.train.Progress;
import dev.expanse.kernels.Backend;
import dev.expanse.kernels.cpu.CpuBackend;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The units of a command, run one by one in any order and gathered, give the local command's
 * results.csv (but for seconds): what the Spark driver relies on. Also that {@code expanse suite}
 * runs at all, which a check of {@code --strategy} once broke.
 */
class UnitJobTest {
    private static final List<String> SHORT = List.of("--fixtures", "-q", "--epochs-basics", "1", "--epochs-source", "1", "--epochs-target", "1");

    private static String[] args(Path out, String... head) {
        List<String> a = new ArrayList<>(List.of(head));
        a.addAll(SHORT);
        a.addAll(List.of("--out", out.toString()));
        return a.toArray(String[]::new);
    }

    /** Runs every unit, last first (the order must not matter), on the backend the tool would open. */
    private static List<Serializable> runUnits(String[] args) throws Exception {
        UnitJob job = UnitJob.parse(args);
        int n = job.units().size();
        List<Serializable> results = new ArrayList<>(Collections.nCopies(n, null));
        for (int u = n - 1; u >= 0; u--) {
            try (Backend be = CpuBackend.fromProperties()) {
                results.set(u, job.run(u, be, Progress.silent()));
            }
        }
        job.write(results, "units of " + String.join(" ", args));
        return results;
    }

    @Test
    void theScenarioSuiteRunsAndItsUnitsGiveTheSameResults(@TempDir Path dir) throws Exception {
        String[] local = args(dir.resolve("local"), "suite", "--priority-only", "--seeds", "1,2");
        String[] r = MethodCommandsTest.run(local);
        assertEquals("0", r[0], r[1]);
        List<String> rows = ResultsCsv.withoutSeconds(dir.resolve("local"));
        // Two cells (MNIST and Fashion-MNIST splits), three priority strategies, two seeds.
        assertEquals(1 + 2 * 3 * 2, rows.size(), String.join("\n", rows));

        String[] units = args(dir.resolve("units"), "suite", "--priority-only", "--seeds", "1,2");
        assertEquals(List.of("mnist 0-4 -> 5-9, mlp [300, 200] -> [500, 300]: 1 cell on one source network (rehearsal 10%), seed 1",
                "mnist 0-4 -> 5-9, mlp [300, 200] -> [500, 300]: 1 cell on one source network (rehearsal 10%), seed 2",
                "fashion-mnist 0-4 -> 5-9, mlp [300, 200] -> [500, 300]: 1 cell on one source network (rehearsal 10%), seed 1",
                "fashion-mnist 0-4 -> 5-9, mlp [300, 200] -> [500, 300]: 1 cell on one source network (rehearsal 10%), seed 2"),
                UnitJob.parse(units).units());
        List<Serializable> results = runUnits(units);
        assertEquals(rows, ResultsCsv.withoutSeconds(dir.resolve("units")));

        // A report of the units so far (units 1 and 3, seed 2, still running): the local rows of seed 1.
        UnitJob partial = UnitJob.parse(args(dir.resolve("partial"), "suite", "--priority-only", "--seeds", "1,2"));
        partial.write(Arrays.asList(results.get(0), null, results.get(2), null), "so far");
        assertEquals(rows.stream().filter(l -> l.startsWith("cell,") || l.split(",")[2].equals("1")).toList(),
                ResultsCsv.withoutSeconds(dir.resolve("partial")));
        assertThrows(IllegalArgumentException.class, () -> partial.write(Arrays.asList(null, null, null, null), "none"));
        assertThrows(IllegalArgumentException.class, () -> partial.write(results.subList(0, 3), "too few"));
    }

    @Test
    void theStreamSuiteUnitsGiveTheSameResults(@TempDir Path dir) throws Exception {
        String[] local = args(dir.resolve("local"), "suite", "--streams", "--strategy", "naive,frozen-expanse", "--seeds", "1,2");
        String[] r = MethodCommandsTest.run(local);
        assertEquals("0", r[0], r[1]);
        String[] units = args(dir.resolve("units"), "suite", "--streams", "--strategy", "naive,frozen-expanse", "--seeds", "1,2");
        assertEquals(4, UnitJob.parse(units).units().size(), "two streams, two seeds");
        runUnits(units);
        List<String> rows = ResultsCsv.withoutSeconds(dir.resolve("local"));
        // Two streams of five experiences, two strategies, two seeds.
        assertEquals(1 + 2 * 5 * 2 * 2, rows.size());
        assertEquals(rows, ResultsCsv.withoutSeconds(dir.resolve("units")));
    }

    @Test
    void onlyTheSuiteAndTheStreamCutIntoUnitsAndArgumentsAreCheckedFirst(@TempDir Path dir) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> UnitJob.parse("scenario", "--out", dir.toString()));
        assertTrue(e.getMessage().contains("expected the command suite or stream"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> UnitJob.parse("stream", "--stream", "mnist:0-4/mnist:11", "--out", dir.toString()));
        assertTrue(e.getMessage().startsWith("--stream"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> UnitJob.parse("suite", "--bogus", "--out", dir.toString()));
        assertTrue(e.getMessage().contains("--bogus"), e.getMessage());
        UnitJob job = UnitJob.parse(args(dir, "stream", "--seeds", "4"));
        e = assertThrows(IllegalArgumentException.class, () -> job.run(1, null, Progress.silent()));
        assertEquals("no unit 1 of 1", e.getMessage());
    }
}
