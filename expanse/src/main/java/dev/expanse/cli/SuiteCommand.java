package dev.expanse.cli;

import dev.expanse.engine.train.Progress;
import dev.expanse.kernels.Backend;
import dev.expanse.method.report.Report;
import dev.expanse.method.scenario.Basics;
import dev.expanse.method.scenario.DataSource;
import dev.expanse.method.scenario.ScenarioRunner;
import dev.expanse.method.scenario.Suite;
import dev.expanse.method.report.StreamReport;
import dev.expanse.method.stream.StreamConfig;
import dev.expanse.method.stream.StreamResult;
import dev.expanse.method.stream.StreamRunner;
import dev.expanse.method.stream.StreamSuite;
import dev.expanse.method.strategy.Strategies;
import dev.expanse.method.strategy.Strategy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code expanse suite}: every scenario cell of {@link Suite#plan}, with the report rewritten after
 * each step so that an interrupted run still leaves its results.
 */
@Command(name = "suite", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Run the whole EXPANSE comparison and write its report.",
                "MNIST and Fashion-MNIST splits (0-4 -> 5-9) at rehearsal 0.1, the published fraction (2/3 MNIST, "
                        + "0.7 Fashion) and 0, every strategy; distant MNIST -> Fashion-MNIST; optionally the CNN variant. "
                        + "Priority cells run first (frozen EXPANSE, scratch, published EXPANSE at 0.1).",
                "The report in --out is rewritten after every step (with --streams, after every strategy and seed)."})
final class SuiteCommand implements Callable<Integer>, Checked {

    @Option(names = "--cnn", description = "Also run the CNN variant last (MNIST split, rehearsal 0.1, priority strategies, at most 3 target and 3 source epochs: slow on a CPU).")
    boolean cnn;

    @Option(names = "--priority-only", description = "Run only the priority cells.")
    boolean priorityOnly;

    @Option(names = "--streams", description = "Run the stream presets instead: Split MNIST and Split Fashion-MNIST in 5 experiences, class-incremental, buffer of 2000 images; the stream report is rewritten after every strategy and seed.")
    boolean streams;

    @Option(names = "--strategy", description = "With --streams: comma-separated strategies, or all. Default: ${DEFAULT-VALUE}")
    String strategy = "frozen-expanse,scratch,fine-tune,lwf,ewc,naive";

    @Mixin
    MethodOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public void check() {
        options.checkOut();
        options.seeds.get();
        if (streams) {
            if (cnn || priorityOnly) throw new IllegalArgumentException("--streams: --cnn and --priority-only are scenario options");
            Args.option("--strategy", this::streamStrategies);
        } else {
            if (spec.commandLine().getParseResult().hasMatchedOption("--strategy")) {
                throw new IllegalArgumentException("--strategy: only with --streams (the scenario suite runs every strategy)");
            }
            plan();
        }
        options.basics(List.of(DataSource.values()));
    }

    @Override
    public Integer call() throws Exception {
        check();
        List<Long> seeds = options.seeds.get();
        String command = "expanse " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
        Function<DataSource, Basics> basics = options.basics(List.of(DataSource.values()));
        Progress progress = options.quiet.progress();
        if (streams) return runStreams(command, basics, progress);
        try (Backend be = options.backend.open()) {
            ScenarioRunner runner = options.runner(be, basics, progress);
            Suite.run(runner, plan(), seeds, progress, cells -> Report.write(options.out, "EXPANSE suite", command, cells));
        }
        System.out.println("wrote " + options.out.resolve("report.md"));
        return 0;
    }

    /** The scenario cells the options ask for. */
    List<Suite.Step> plan() {
        return Suite.plan(options.hyper(), options.fixtures.on, cnn, priorityOnly);
    }

    /** With {@code --streams}: the streams of the suite. */
    List<StreamConfig> streamPlan() {
        return StreamSuite.plan(options.hyper(), options.fixtures.on);
    }

    /** With {@code --streams}: the strategies of {@code --strategy}. */
    List<Strategy> streamStrategies() {
        return Strategies.parse(strategy, Strategies.forStreams());
    }

    private int runStreams(String command, Function<DataSource, Basics> basics, Progress progress) throws Exception {
        List<Strategy> list = streamStrategies();
        List<StreamConfig> plan = streamPlan();
        List<StreamResult> done = new ArrayList<>();
        try (Backend be = options.backend.open()) {
            StreamRunner runner = options.streamRunner(be, basics, progress);
            for (int i = 0; i < plan.size(); i++) {
                progress.line("suite stream " + (i + 1) + "/" + plan.size() + ": " + plan.get(i).title());
                List<StreamResult> before = List.copyOf(done);
                done.add(runner.run(plan.get(i), list, options.seeds.get(), soFar -> {
                    List<StreamResult> all = new ArrayList<>(before);
                    all.add(soFar);
                    StreamReport.write(options.out, command, all);
                }));
            }
        }
        System.out.println("wrote " + options.out.resolve("report.md"));
        return 0;
    }
}
