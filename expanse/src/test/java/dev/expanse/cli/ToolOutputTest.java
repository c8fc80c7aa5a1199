package dev.expanse.cli;

import static dev.expanse.cli.MethodCommandsTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** What the tool prints besides results: {@code --version} and the command list. */
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
        assertTrue(help.contains("train     Train an MLP or a LeNet-style CNN on MNIST or Fashion-MNIST."
                + System.lineSeparator()), help);
    }
}
