package dev.expanse.cli;

import dev.expanse.engine.train.Progress;
import dev.expanse.kernels.Backend;
import dev.expanse.method.report.Report;
import dev.expanse.method.scenario.CellResult;
import dev.expanse.method.scenario.DataSource;
import dev.expanse.method.scenario.Hyper;
import dev.expanse.method.scenario.ScenarioConfig;
import dev.expanse.method.scenario.ScenarioRunner;
import dev.expanse.method.scenario.RunResult;
import dev.expanse.method.strategy.NetSpec;
import dev.expanse.method.strategy.Strategies;
import dev.expanse.method.strategy.Strategy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code expanse suite}: every scenario cell, priority cells first, with the report rewritten after
 * each step so that an interrupted run still leaves its results.
 */
@Command(name = "suite", mixinStandardHelpOptions = true,
        description = {"Run the whole EXPANSE comparison: MNIST and Fashion-MNIST splits (0-4 -> 5-9) at rehearsal 0.1,",
                "the published fraction (2/3 MNIST, 0.7 Fashion) and 0, every strategy; distant MNIST -> Fashion-MNIST;",
                "optionally the CNN variant. Priority cells run first (frozen EXPANSE, scratch, published EXPANSE at 0.1).",
                "The report in --out is rewritten after every step."})
final class SuiteCommand implements Callable<Integer> {

    @Option(names = "--cnn", description = "Also run the CNN variant last (MNIST split, rehearsal 0.1, priority strategies, at most 3 target and 3 source epochs: slow on a CPU).")
    boolean cnn;

    @Option(names = "--priority-only", description = "Run only the priority cells.")
    boolean priorityOnly;

    @Mixin
    MethodOptions options;

    @Spec
    CommandSpec spec;

    /** One step of the plan: a cell and the strategies to run in it. */
    record Step(ScenarioConfig config, List<Strategy> strategies) {
    }

    @Override
    public Integer call() throws Exception {
        options.check();
        List<Step> plan = plan(options.hyper(), options.fixtures, cnn, priorityOnly);
        String command = "expanse " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
        Map<String, CellResult> cells = new LinkedHashMap<>();
        Progress progress = new Progress(System.err);
        try (Backend be = BackendChoice.open(options.backend)) {
            ScenarioRunner runner = new ScenarioRunner(be, options.basics(), progress);
            for (int i = 0; i < plan.size(); i++) {
                Step s = plan.get(i);
                progress.line("suite step " + (i + 1) + "/" + plan.size() + ": " + s.config().title() + ": "
                        + s.strategies().stream().map(Strategy::id).toList());
                CellResult r = runner.run(s.config(), s.strategies(), options.seeds);
                cells.merge(s.config().id(), r, SuiteCommand::merge);
                Report.write(options.out, "EXPANSE suite", command, new ArrayList<>(cells.values()));
            }
        }
        System.out.println("wrote " + options.out.resolve("report.md"));
        return 0;
    }

    /** The steps of the suite, priority first. */
    static List<Step> plan(Hyper h, boolean fixtures, boolean cnn, boolean priorityOnly) {
        NetSpec mlp = NetSpec.publishedMlp();
        List<Strategy> priority = List.of(Strategies.byId("frozen-expanse"), Strategies.byId("scratch"),
                Strategies.byId("published-expanse"));
        List<String> priorityIds = priority.stream().map(Strategy::id).toList();
        List<Strategy> rest = Strategies.all().stream().filter(s -> !priorityIds.contains(s.id())).toList();
        List<Step> plan = new ArrayList<>();
        Map<DataSource, Double> published = Map.of(DataSource.MNIST, 2.0 / 3, DataSource.FASHION, 0.7);
        for (DataSource d : List.of(DataSource.MNIST, DataSource.FASHION)) {
            plan.add(new Step(ScenarioConfig.split(d, mlp, 0.1, h, fixtures), priority));
        }
        if (!priorityOnly) {
            plan.add(new Step(ScenarioConfig.distant(DataSource.MNIST, DataSource.FASHION, mlp, 0, h, fixtures), Strategies.all()));
            for (DataSource d : List.of(DataSource.MNIST, DataSource.FASHION)) {
                plan.add(new Step(ScenarioConfig.split(d, mlp, 0.1, h, fixtures), rest));
            }
            for (DataSource d : List.of(DataSource.MNIST, DataSource.FASHION)) {
                plan.add(new Step(ScenarioConfig.split(d, mlp, published.get(d), h, fixtures), Strategies.all()));
                plan.add(new Step(ScenarioConfig.split(d, mlp, 0, h, fixtures), Strategies.all()));
            }
        }
        if (cnn) {
            // A conv epoch costs about ten MLP epochs on a CPU: fewer epochs keep the cell affordable.
            Hyper short_ = h.withTargetEpochs(Math.min(h.targetEpochs(), 3))
                    .withSourceEpochs(Math.min(h.basicsEpochs(), 5), Math.min(h.sourceEpochs(), 3));
            plan.add(new Step(ScenarioConfig.split(DataSource.MNIST, NetSpec.defaultCnn(), 0.1, short_, fixtures), priority));
        }
        return plan;
    }

    /** The runs of both, strategies in report order. */
    static CellResult merge(CellResult a, CellResult b) {
        List<String> order = Strategies.ids();
        List<RunResult> runs = new ArrayList<>(a.runs());
        runs.addAll(b.runs());
        runs.sort(Comparator.comparingInt((RunResult r) -> order.indexOf(r.strategy())).thenComparingLong(RunResult::seed));
        return new CellResult(a.config(), a.sources(), runs);
    }
}
