package dev.expanse.cli;

import static dev.expanse.cli.MethodCommandsTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** What the tool prints besides results: {@code --version}, the command list, and nothing with {@code --quiet}. */
class ToolOutputTest {

    /** Every command but {@code help}, by name, including those added later. */
    private static Map<String, CommandLine> commands() {
        Map<String, CommandLine> m = new java.util.LinkedHashMap<>(Main.commandLine().getSubcommands());
        m.remove("help");
        return m;
    }

    @Test
    void everyCommandPrintsThePomVersion() {
        String version = VersionProvider.version();
        assertTrue(version.matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"), "filtered from the pom: " + version);
        for (String cmd : commands().keySet()) {
            for (String flag : new String[] {"--version", "-V"}) {
                String[] r = run(cmd, flag);
                assertEquals("0", r[0], cmd + " " + flag + ": " + r[1]);
                assertTrue(r[2].startsWith("expanse " + version + System.lineSeparator() + "Java "), cmd + " " + flag + ": '" + r[2] + "'");
            }
        }
        assertTrue(run("--version")[2].startsWith("expanse " + version));
    }

    /** The top-level list shows each command's first description line: a whole sentence on one line. */
    @Test
    void theCommandListReadsAsSentences() {
        for (Map.Entry<String, CommandLine> e : commands().entrySet()) {
            String[] description = e.getValue().getCommandSpec().usageMessage().description();
            String first = description[0];
            assertTrue(first.endsWith(".") && !first.substring(0, first.length() - 1).contains(". ")
                    && first.length() <= 68, e.getKey() + ": '" + first + "'");
        }
        String help = run("--help")[2];
        assertTrue(help.contains("train     Train an MLP or a LeNet-style CNN, new or from a checkpoint."
                + System.lineSeparator()), help);
    }

    @Test
    void quietPrintsOnlyTheResultsAndStillTheErrors() {
        for (String cmd : commands().keySet()) {
            assertNotNull(commands().get(cmd).getCommandSpec().findOption("--quiet"), cmd + " has --quiet");
        }
        String[] loud = run("train", "--fixtures", "--epochs", "1", "--backend", "cpu");
        assertEquals("0", loud[0], loud[1]);
        assertTrue(loud[1].contains("epoch 1/1  loss"), "the epoch line goes to stderr: " + loud[1]);

        String[] quiet = run("train", "--fixtures", "--epochs", "1", "--backend", "cpu", "--quiet");
        assertEquals("0", quiet[0], quiet[1]);
        assertEquals("", quiet[1], "nothing on stderr");
        assertTrue(quiet[2].contains("test accuracy"), "the result on stdout: " + quiet[2]);

        String[] error = run("train", "--fixtures", "--epochs", "0", "--quiet");
        assertEquals("2", error[0]);
        assertTrue(error[1].contains("--epochs"), "errors still on stderr: " + error[1]);
    }
}
