package dev.expanse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.expanse.engine.fuzz.FuzzRun;
import dev.expanse.engine.fuzz.Outcome;
import dev.expanse.engine.fuzz.Tally;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random command lines ({@link ArgumentFuzz}): each is accepted, or refused in one line that
 * names the option, exit code 2. 3000 inputs in the ordinary build; the fuzz profile
 * ({@code scripts/fuzz.sh}) runs 10^5 under {@code -Xmx512m}.
 */
class ArgumentFuzzTest {

    @Test
    void everyCommandLineIsAcceptedOrRefusedInOneLine(@TempDir Path dir) throws Exception {
        int n = FuzzRun.inputs(3000);
        Path file = Files.writeString(dir.resolve("file"), "x");
        Tally t = FuzzRun.run("command-line arguments", () -> new ArgumentFuzz(dir, file), n, 1);
        FuzzRun.report(t);
        assertEquals(n, t.total());
        assertEquals(0, t.count(Outcome.Kind.UNEXPECTED), t.markdown());
        assertTrue(t.count(Outcome.Kind.DOCUMENTED) > n / 2 && t.count(Outcome.Kind.SUCCESS) > 0, t.markdown());
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count(), "the checks created nothing");
        }
    }
}
