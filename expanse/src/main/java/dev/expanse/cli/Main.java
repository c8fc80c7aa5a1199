package dev.expanse.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code expanse} command-line tool. */
@Command(name = "expanse", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "A deep-learning engine whose layers grow in place, and the EXPANSE continual-learning method.",
        subcommands = {TrainCommand.class, ExpandCommand.class, EvalCommand.class, PredictCommand.class, SummaryCommand.class,
                ScenarioCommand.class, SuiteCommand.class, TwoStepCommand.class, ExplainCommand.class,
                CommandLine.HelpCommand.class})
public final class Main {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The tool with its error handling: a user error (bad file, bad argument) is one line and exit code 2. */
    static CommandLine commandLine() {
        return new CommandLine(new Main())
                .setExecutionExceptionHandler((ex, cmd, parsed) -> {
                    if (ex instanceof IllegalArgumentException || ex instanceof java.io.IOException
                            || ex instanceof IllegalStateException) {
                        cmd.getErr().println("expanse: " + ex.getMessage());
                        return 2;
                    }
                    throw ex;
                });
    }
}
