package dev.expanse.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The results.csv of a report folder, as tests compare two runs of the same work (here and in the spark module). */
public final class ResultsCsv {
    private ResultsCsv() {
    }

    /** The lines of {@code dir/results.csv} without the seconds column, the one column two runs of the same work may differ in. */
    public static List<String> withoutSeconds(Path dir) throws IOException {
        List<String> lines = Files.readAllLines(dir.resolve("results.csv"));
        int col = List.of(lines.get(0).split(",", -1)).indexOf("seconds");
        assertTrue(col >= 0, "results.csv has a seconds column: " + lines.get(0));
        return lines.stream().map(l -> {
            List<String> cells = new ArrayList<>(List.of(l.split(",", -1)));
            cells.remove(col);
            return String.join(",", cells);
        }).toList();
    }
}
