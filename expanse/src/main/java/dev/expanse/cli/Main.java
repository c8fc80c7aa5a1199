package dev.expanse.cli;

import dev.expanse.engine.io.IoErrors;
import dev.expanse.engine.train.NonFiniteException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileSystemException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;

/**
 * The {@code expanse} command-line tool.
 *
 * <p>Every error is one line on stderr, {@code expanse: <what>: <why>}, naming the option or the
 * file, never a stack trace; the usage appears only with {@code --help}. Exit codes: 0 success;
 * 2 a usage error (an unknown option, a malformed or out-of-range value, a missing, malformed or
 * unwritable file); 1 a run that failed on its own, training that met a NaN or an infinity
 * ({@link NonFiniteException}: the message names the step and the parameter).
 */
@Command(name = "expanse", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "A deep-learning engine whose layers grow in place, and the EXPANSE continual-learning method.",
        subcommands = {TrainCommand.class, ExpandCommand.class, EvalCommand.class, PredictCommand.class, SummaryCommand.class,
                ScenarioCommand.class, StreamCommand.class, SuiteCommand.class, TwoStepCommand.class, ExplainCommand.class,
                CommandLine.HelpCommand.class})
public final class Main {
    /** Exit code of a usage error. */
    static final int USAGE = 2;
    /** Exit code of a run that failed while training. */
    static final int FAILED = 1;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** The tool in this JVM, as {@code expanse args...} runs it, without exiting: the exit code. */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** The tool with its error handling (see the class comment) and its value checks ({@link Args#finite}). */
    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main())
                .setParameterExceptionHandler(Main::parseError)
                .setExecutionExceptionHandler((ex, cmd, parsed) -> runError(ex, cmd.getErr()));
        Args.registerConverters(cl);
        return cl;
    }

    /** A parse error: the message and where to find help, on one line; no usage. */
    private static int parseError(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        cmd.getErr().println("expanse: " + oneLine(ex.getMessage()) + " (try '"
                + cmd.getCommandSpec().qualifiedName() + " --help')");
        return USAGE;
    }

    /** An exception from a command: a user error or a numerical fault is one line; anything else is a bug. */
    private static int runError(Exception ex, PrintWriter err) throws Exception {
        if (ex instanceof NonFiniteException) {
            err.println("expanse: " + oneLine(ex.getMessage()));
            return FAILED;
        }
        if (ex instanceof IllegalArgumentException || ex instanceof IllegalStateException || ex instanceof IOException) {
            err.println("expanse: " + oneLine(message(ex)));
            return USAGE;
        }
        throw ex;
    }

    /** The JDK's file exceptions name only the path ({@code AccessDeniedException: /x}): add the reason. */
    static String message(Exception ex) {
        if (ex instanceof FileSystemException f) return IoErrors.describe(f);
        if (ex instanceof IOException io && (ex.getMessage() == null || ex.getMessage().isBlank())) return IoErrors.reason(io);
        return ex.getMessage();
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.strip().replaceAll("\\s*\\R\\s*", "; ");
    }
}
