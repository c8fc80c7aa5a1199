package dev.expanse.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code expanse} command-line tool. */
@Command(name = "expanse", mixinStandardHelpOptions = true, version = "expanse 0.1.0",
        description = "A deep-learning engine whose layers grow in place, and the EXPANSE continual-learning method.",
        subcommands = {TrainCommand.class, CommandLine.HelpCommand.class})
public final class Main {

    public static void main(String[] args) {
        int code = new CommandLine(new Main())
                .setExecutionExceptionHandler((ex, cmd, parsed) -> {
                    // A user error (bad file, bad argument) is one clear line, not a stack trace.
                    if (ex instanceof IllegalArgumentException || ex instanceof java.io.IOException
                            || ex instanceof IllegalStateException) {
                        cmd.getErr().println("expanse: " + ex.getMessage());
                        return 2;
                    }
                    throw ex;
                })
                .execute(args);
        System.exit(code);
    }
}
