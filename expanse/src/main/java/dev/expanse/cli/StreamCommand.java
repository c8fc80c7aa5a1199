package dev.expanse.cli;

import dev.expanse.engine.train.Progress;
import dev.expanse.kernels.Backend;
import dev.expanse.method.report.StreamReport;
import dev.expanse.method.stream.Growth;
import dev.expanse.method.stream.Rehearsal;
import dev.expanse.method.stream.StreamConfig;
import dev.expanse.method.stream.StreamRunner;
import dev.expanse.method.stream.StreamSpec;
import dev.expanse.method.strategy.NetSpec;
import dev.expanse.method.strategy.Strategies;
import dev.expanse.method.strategy.Strategy;
import dev.expanse.method.strategy.Transfer;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code expanse stream}: a stream of experiences, any strategies, several seeds, one report. */
@Command(name = "stream", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Learn a stream of experiences over several seeds; write its report.",
                "Trains the first experience (two-step: basics, then basics + data), then each strategy adapts and trains "
                        + "before every later experience; writes report.md, results.csv and PNG plots (accuracy over the "
                        + "stream, accuracy matrices).",
                "Example: expanse stream --stream split-mnist --buffer 2000 --strategy frozen-expanse,scratch --seeds 1,2,3 --out results/split-mnist"})
final class StreamCommand implements Callable<Integer>, Checked {

    @Option(names = "--stream", description = "A preset (split-mnist, split-fashion, split-mnist-2, split-fashion-2, distant) or experiences DATASET:CLASSES separated by '/', e.g. mnist:0,1/mnist:2,3/fashion:0-4. Default: ${DEFAULT-VALUE}")
    String stream = "split-mnist";

    @Option(names = "--eval", description = "class (one growing head, no task id at test time) or task (a head per experience, task id given). Default: ${DEFAULT-VALUE}")
    String eval = "class";

    @Option(names = "--arch", description = "mlp (784-300-200) or cnn (conv 8-16 filters) for the first experience. Default: ${DEFAULT-VALUE}")
    String arch = "mlp";

    @Option(names = "--grow", description = "Growth of every trunk layer before each later experience, for the strategies that expand: per layer (200,100) or a fraction of the current width (50%%). Default: the architecture's published expansion (mlp 200,100; cnn 8,16).")
    String grow;

    @Option(names = "--strategy", description = "Comma-separated strategies, or all: scratch (joint), naive, fine-tune (replay alone), lwf, ewc, feature-extraction, progressive, published-expanse, frozen-expanse. Default: ${DEFAULT-VALUE}")
    String strategy = "frozen-expanse,scratch,fine-tune";

    @Option(names = "--rehearsal", description = "Fraction of each earlier experience's real training data that rehearsing strategies train on again: 0.1 or 10%%. Default: ${DEFAULT-VALUE} (unless --buffer)")
    String rehearsal = "0.1";

    @Option(names = "--buffer", description = "Instead of --rehearsal: a class-balanced buffer of this many real images over every earlier class.")
    Integer buffer;

    @Option(names = "--router", description = "Class-incremental: after each experience, rehearsing strategies train a small router that tells the experiences apart; its log-probability, weighted by a factor chosen on the validation images (0 among them), is added to the logits, which stay as they are.")
    boolean router;

    @Mixin
    MethodOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public void check() {
        options.checkOut();
        if (options.saveModels != null) OutputPaths.folder("--save-models", options.saveModels);
        options.seeds.get();
        StreamConfig c = config();
        strategies(c);
        options.basics(c.stream().datasets());
    }

    @Override
    public Integer call() throws Exception {
        check();
        StreamConfig c = config();
        List<Strategy> strategies = strategies(c);
        Progress progress = options.quiet.progress();
        try (Backend be = options.backend.open()) {
            StreamRunner runner = options.streamRunner(be, options.basics(c.stream().datasets()), progress);
            String command = "expanse " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
            // Rewritten after every strategy and seed: an interrupted run keeps what it finished.
            runner.run(c, strategies, options.seeds.get(), soFar -> StreamReport.write(options.out, command, List.of(soFar)));
            System.out.println("wrote " + options.out.resolve("report.md"));
        }
        return 0;
    }

    /** The strategies asked for, each able to run in the config's mode. */
    List<Strategy> strategies(StreamConfig c) {
        List<Strategy> list = Args.option("--strategy", () -> Strategies.parse(strategy, Strategies.forStreams()));
        for (Strategy s : list) {
            String why = s.unsupported(c.mode());
            if (why != null) throw new IllegalArgumentException("--strategy " + s.id() + ": " + why + " (--eval class)");
        }
        return list;
    }

    /** The run the options describe. */
    StreamConfig config() {
        StreamSpec st = Args.option("--stream", () -> StreamSpec.parse(stream));
        NetSpec net = Args.option("--arch", () -> NetSpec.parse(arch));
        Transfer.Mode mode = switch (eval) {
            case "class" -> Transfer.Mode.GROW_HEAD;
            case "task" -> Transfer.Mode.NEW_HEAD;
            default -> throw new IllegalArgumentException("--eval: unknown evaluation '" + eval + "' (class, task)");
        };
        Growth g = grow == null ? Growth.of(net) : Growth.parse(grow);
        Rehearsal r = buffer != null ? Args.option("--buffer", () -> Rehearsal.buffer(buffer))
                : Rehearsal.fraction(Args.fraction("--rehearsal", rehearsal));
        return Args.option(router ? "--router" : "--grow", () -> new StreamConfig(st, net, g, r, mode, options.hyper(), options.fixtures.on, router));
    }
}
