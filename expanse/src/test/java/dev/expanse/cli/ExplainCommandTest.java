package dev.expanse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code expanse explain}: argument errors before any work, and a CNN run on the fixtures. */
class ExplainCommandTest {

    @Test
    void badArgumentsAreNamedBeforeAnyWork(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "not a folder");
        for (String[] args : new String[][] {
            {"explain", "--fixtures", "--out", file.toString()},
            {"explain", "--fixtures", "--out", file.resolve("below").toString()},
            {"explain", "--fixtures", "--arch", "transformer", "--out", dir.toString()},
            {"explain", "--fixtures", "--epochs", "0", "--out", dir.toString()},
            {"explain", "--fixtures", "--dataset", "cifar", "--out", dir.toString()},
        }) {
            String[] r = MethodCommandsTest.run(args);
            String option = args[args.length - 2].equals("--out") && args.length == 4 ? "--out" : args[2];
            assertEquals("2", r[0], String.join(" ", args) + ": " + r[1]);
            assertTrue(r[1].contains(option), "the message names " + option + ": " + r[1]);
            assertFalse(r[1].contains("explain: "), "no work started: " + r[1]);
        }
        assertTrue(MethodCommandsTest.run("explain", "--fixtures")[1].contains("--out"), "--out is required");
    }

    @Test
    void aCnnOnTheFixturesDrawsItsFilters(@TempDir Path dir) throws Exception {
        String[] r = MethodCommandsTest.run("explain", "--fixtures", "--arch", "cnn", "--epochs", "1", "--backend", "cpu", "--out", dir.toString());
        assertEquals("0", r[0], r[1]);
        assertTrue(r[1].contains("explain: source (classes 0-4) epoch 1/1"), "progress on stderr: " + r[1]);
        assertTrue(r[2].contains("explain.html"), r[2]);
        String html = Files.readString(dir.resolve("explain.html"));
        assertTrue(html.contains("5x5 filter") && html.contains("conv2.weight"), "the CNN page");
        assertTrue(html.contains("written outside the checkout") && !html.contains("href=\"../"), "paths as text outside the checkout");
        for (String id : new String[] {"first-layer-frozen-expanse", "expanded-frozen-expanse-conv1-weight", "difference-published-expanse-head-weight"}) {
            assertTrue(Files.size(dir.resolve("figures").resolve(id + ".png")) > 100, id);
        }
    }
}
