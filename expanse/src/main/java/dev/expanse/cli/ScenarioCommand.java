package dev.expanse.cli;

import dev.expanse.engine.train.Progress;
import dev.expanse.kernels.Backend;
import dev.expanse.method.report.Report;
import dev.expanse.method.scenario.Basics;
import dev.expanse.method.scenario.CellResult;
import dev.expanse.method.scenario.DataSource;
import dev.expanse.method.scenario.Hyper;
import dev.expanse.method.scenario.ScenarioConfig;
import dev.expanse.method.scenario.ScenarioRunner;
import dev.expanse.method.strategy.NetSpec;
import dev.expanse.method.strategy.Strategies;
import dev.expanse.method.strategy.Strategy;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code expanse scenario}: one scenario cell, any strategies, several seeds, one report. */
@Command(name = "scenario", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Run one expansion scenario over several seeds and write its report.",
                "Trains the source network (two-step: basics, then basics + data), then each strategy on the target "
                        + "phase; writes report.md, results.csv and PNG plots.",
                "Example: expanse scenario --dataset mnist --strategy frozen-expanse --rehearsal 0.1 --seeds 1,2,3 --out results/mnist"})
final class ScenarioCommand implements Callable<Integer>, Checked {

    @Option(names = "--scenario", description = "split (classes 0-4 then 5-9 of --dataset) or distant (--dataset, then --target on a second head). Default: ${DEFAULT-VALUE}")
    String scenario = "split";

    @Mixin
    DatasetOption dataset;

    @Option(names = "--target", description = "Target dataset of a distant transfer. Default: the other dataset than --dataset.")
    String target;

    @Option(names = "--arch", description = "mlp (784-300-200 -> 784-500-300) or cnn (conv 8-16 -> 16-32 filters). Default: ${DEFAULT-VALUE}")
    String arch = "mlp";

    @Option(names = "--strategy", description = "Comma-separated strategies, or all: scratch, fine-tune, feature-extraction, progressive, published-expanse, frozen-expanse. Default: ${DEFAULT-VALUE}")
    String strategy = "all";

    @Option(names = "--rehearsal", description = "Fraction of the real source training data kept in the target phase: 0.1, 2/3 or 10%%. Default: ${DEFAULT-VALUE}")
    String rehearsal = "0.1";

    @Mixin
    MethodOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public void check() {
        options.checkOut();
        options.seeds.get();
        ScenarioConfig c = config();
        Args.option("--strategy", () -> Strategies.parse(strategy));
        options.basics(List.of(c.source(), c.target()));
    }

    @Override
    public Integer call() throws Exception {
        check();
        List<Long> seeds = options.seeds.get();
        ScenarioConfig c = config();
        List<Strategy> strategies = Strategies.parse(strategy);
        Function<DataSource, Basics> basics = options.basics(List.of(c.source(), c.target()));
        Progress progress = options.quiet.progress();
        try (Backend be = options.backend.open()) {
            ScenarioRunner runner = options.runner(be, basics, progress);
            CellResult result = runner.run(c, strategies, seeds);
            String command = "expanse " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
            Report.write(options.out, "EXPANSE scenario: " + c.title(), command, List.of(result));
            System.out.println("wrote " + options.out.resolve("report.md"));
        }
        return 0;
    }

    /** The cell the options describe. */
    ScenarioConfig config() {
        NetSpec net = Args.option("--arch", () -> NetSpec.parse(arch));
        DataSource src = dataset.get();
        double r = Args.fraction("--rehearsal", rehearsal);
        Hyper h = options.hyper();
        boolean fixtures = options.fixtures.on;
        return switch (scenario) {
            case "split" -> {
                if (target != null) throw new IllegalArgumentException("--target: only a distant scenario has a target dataset");
                yield ScenarioConfig.split(src, net, r, h, fixtures);
            }
            case "distant" -> {
                DataSource tgt = target == null ? src.other() : Args.option("--target", () -> DataSource.parse(target));
                yield Args.option("--target", () -> ScenarioConfig.distant(src, tgt, net, r, h, fixtures));
            }
            default -> throw new IllegalArgumentException("--scenario: unknown scenario '" + scenario + "' (split, distant)");
        };
    }
}
