package dev.expanse.cli;

import dev.expanse.engine.fuzz.FuzzRun;
import dev.expanse.engine.fuzz.Outcome;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import picocli.CommandLine;
import picocli.CommandLine.ExecutionException;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The tool's argument parsing under fuzzing. Each input is a command line: a subcommand (or
 * none, or an unknown one), then 0-8 tokens drawn from that command's own options with values
 * valid and malformed for their type (numbers that overflow, NaN, empty strings, paths that
 * cannot be written), unknown options, {@code --name=value} forms and stray words.
 *
 * <p>It runs the real tool ({@link Main#commandLine()}, its handlers and converters) up to each
 * command's {@link Checked#check()}, never training. As documented: exit 0 with nothing on
 * stderr, or exit 2 with one line {@code expanse: ...} that names what it refuses (an option, a
 * quoted value, a path or a command). Anything else, a stack trace included, is unexpected.
 */
final class ArgumentFuzz implements FuzzRun.Target<List<String>> {
    private static final String[] INTS = {"1", "2", "0", "-1", "64", "2147483647", "2147483648", "-2147483649", "abc", "",
        "1.5", "1e3", " 7", "0x10", "+5", "١", "1,2", "1,,2", ",", "99999999999999999999"};
    private static final String[] FLOATS = {"1e-3", "0.1", "0", "-1", "NaN", "Infinity", "-Infinity", "1e30", "1e40", "1e-50",
        "0.5f", "1,5", "abc", "", "0x1p-3", "1e309", "-0", " 0.2 "};
    private static final String[] WORDS = {"mnist", "fashion", "fashion-mnist", "cifar", "all", "frozen-expanse",
        "frozen-expanse,magic", "scratch,fine-tune", "split", "distant", "mlp", "cnn", "lenet", "relu", "gelu", "swish",
        "auto", "glyphs", "nearest-mean", "confident-linear", "0.1", "2/3", "10%", "1/0", "0/0", "%", "150%", "-0.1", "",
        " ", "cpu", "quantum", "opencl:zzz", "a'b", "--lr", "split-mnist", "mnist:0,1/mnist:2,3", "mnist:0,1/mnist:1",
        "mnist:/fashion", "class", "task", "200,100", "50%", "lwf", "ewc,naive"};
    private static final String[] STRAYS = {"--xyz", "-x", "--lr=", "--", "-", "-hV", "--help", "--version", "-h",
        "stray", "--no-fixtures", "--fixtures=maybe", "--seeds=", "@missing-args-file"};
    private static final String[] COMMANDS = {"train", "scenario", "suite", "two-step", "stream"};

    private final CommandLine cl = Main.commandLine();
    private final String[] paths;
    private StringWriter out, err;

    /** @param dir a folder to write in; paths offered are it, a new folder in it, a file and paths that cannot be written */
    ArgumentFuzz(Path dir, Path file) {
        paths = new String[] {dir.toString(), dir.resolve("new").resolve("sub").toString(), file.toString(),
            file.resolve("sub").toString(), "/proc/expanse-fuzz", "/proc/x/y", "/", "/dev/null", ""};
        cl.setExecutionStrategy(ArgumentFuzz::checkOnly);
    }

    /** Parses, then runs help or the command's {@link Checked#check()} only. */
    private static int checkOnly(CommandLine.ParseResult parsed) {
        Integer help = CommandLine.executeHelpRequest(parsed);
        if (help != null) return help;
        List<CommandLine> chain = parsed.asCommandLineList();
        CommandLine leaf = chain.get(chain.size() - 1);
        try {
            if (leaf.getCommand() instanceof Checked c) c.check();
            else if (leaf.getCommand() instanceof Runnable r) r.run(); // the help subcommand
        } catch (RuntimeException e) {
            throw new ExecutionException(leaf, "check", e);
        }
        return 0;
    }

    @Override
    public List<String> make(SplittableRandom rng) {
        List<String> args = new ArrayList<>();
        int pick = rng.nextInt(20);
        String cmd = pick < 16 ? COMMANDS[pick % COMMANDS.length] : pick == 16 ? "help" : pick == 17 ? "frobnicate" : null;
        if (pick == 19 && rng.nextBoolean()) args.add(STRAYS[rng.nextInt(STRAYS.length)]);
        if (cmd != null) args.add(cmd);
        List<OptionSpec> options = cmd == null || cmd.equals("frobnicate") ? List.of()
                : cl.getSubcommands().get(cmd).getCommandSpec().options();
        int tokens = rng.nextInt(9);
        for (int t = 0; t < tokens; t++) {
            if (options.isEmpty() || rng.nextInt(8) == 0) {
                args.add(rng.nextBoolean() ? STRAYS[rng.nextInt(STRAYS.length)] : WORDS[rng.nextInt(WORDS.length)]);
                continue;
            }
            OptionSpec o = options.get(rng.nextInt(options.size()));
            String name = o.longestName();
            if (o.arity().max() == 0) {
                args.add(rng.nextInt(10) == 0 ? name + "=" + WORDS[rng.nextInt(WORDS.length)] : name);
            } else if (rng.nextInt(6) == 0) {
                args.add(name + "=" + value(o, rng));
            } else {
                args.add(name);
                if (rng.nextInt(12) != 0) args.add(value(o, rng)); // sometimes the value is missing
            }
        }
        return args;
    }

    /** A value for {@code o}, usually of its type, sometimes of another. */
    private String value(OptionSpec o, SplittableRandom rng) {
        Class<?> type = o.type().isArray() ? o.type().getComponentType() : o.auxiliaryTypes()[0];
        String[] pool;
        if (rng.nextInt(10) == 0) pool = WORDS;
        else if (type == int.class || type == Integer.class || type == long.class || type == Long.class) pool = INTS;
        else if (type == float.class || type == Float.class || type == double.class || type == Double.class) pool = FLOATS;
        else if (type == Path.class) pool = paths;
        else pool = WORDS;
        return pool[rng.nextInt(pool.length)];
    }

    @Override
    public Outcome run(List<String> args) {
        out = new StringWriter();
        err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args.toArray(String[]::new));
        String e = err.toString().strip();
        if (code == 0 && e.isEmpty()) return Outcome.success();
        if (code != Main.USAGE) return Outcome.unexpected("exit code " + code + ": " + e);
        if (e.lines().count() != 1 || !e.startsWith("expanse: ")) return Outcome.unexpected("not one line: " + e);
        if (e.length() > 500) return Outcome.unexpected("a message of " + e.length() + " characters");
        if (!(e.contains("--") || e.contains("'") || e.contains("/") || e.contains("command"))) {
            return Outcome.unexpected("names no option, value, file or command: " + e);
        }
        return Outcome.documented(e.substring("expanse: ".length()).replaceAll(" \\(try 'expanse[^)]*\\)$", ""));
    }

    @Override
    public String describe(List<String> args) {
        StringBuilder sb = new StringBuilder("expanse");
        for (String a : args) sb.append(' ').append(a.isEmpty() || a.contains(" ") ? "'" + a + "'" : a);
        return sb.toString();
    }
}
