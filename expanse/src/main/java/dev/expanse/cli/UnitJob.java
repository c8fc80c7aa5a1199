package dev.expanse.cli;

import dev.expanse.engine.train.Progress;
import dev.expanse.kernels.Backend;
import dev.expanse.method.report.Report;
import dev.expanse.method.report.StreamReport;
import dev.expanse.method.scenario.CellResult;
import dev.expanse.method.scenario.DataSource;
import dev.expanse.method.scenario.ScenarioRunner;
import dev.expanse.method.scenario.Suite;
import dev.expanse.method.stream.StreamConfig;
import dev.expanse.method.stream.StreamResult;
import dev.expanse.method.stream.StreamSuite;
import dev.expanse.method.strategy.Strategy;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * A command of the tool, {@code suite}, {@code suite --streams} or {@code stream}, cut into
 * independent units of work for a cluster engine: the Spark driver's view of the tool.
 *
 * <p>A scenario suite's unit is a {@link Suite.Unit} (one seed of every cell that trains the same
 * source network); a stream's is one seed of one stream. A unit is a pure function of the
 * arguments, its index and its backend's thread count: on any host with the same code, JDK and
 * vector width it gives the same result, and {@link #write} then writes the same report.md,
 * results.csv and plots as the local command, equal in every column but {@code seconds}.
 *
 * <p>Every host parses the same arguments: {@link #parse} checks them as the tool does, before
 * anything runs, so a driver fails on a bad argument before it starts a job.
 */
public abstract class UnitJob {
    final MethodOptions options;

    private UnitJob(MethodOptions options) {
        this.options = options;
    }

    /**
     * The job of {@code args}, the tool's own arguments ({@code suite ...} or {@code stream ...}).
     *
     * @throws IllegalArgumentException naming the option at fault, with the tool's own message
     */
    public static UnitJob parse(String... args) {
        if (args.length == 0 || !(args[0].equals("suite") || args[0].equals("stream"))) {
            throw new IllegalArgumentException("expected the command suite or stream, then its options; got "
                    + (args.length == 0 ? "nothing" : "'" + args[0] + "'"));
        }
        CommandLine cl = Main.commandLine();
        CommandLine.ParseResult parsed;
        try {
            parsed = cl.parseArgs(args);
        } catch (ParameterException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        Object command = parsed.subcommand().commandSpec().userObject();
        ((Checked) command).check();
        if (command instanceof SuiteCommand s) return s.streams ? new Streams(s.options, s.streamPlan(), s.streamStrategies()) : new Scenarios(s);
        StreamCommand s = (StreamCommand) command;
        StreamConfig c = s.config();
        return new Streams(s.options, List.of(c), s.strategies(c));
    }

    /** What each unit runs, in words; a unit's index is its place in this list. */
    public abstract List<String> units();

    /** The datasets the units read. */
    public abstract List<DataSource> datasets();

    /** True when the units read the committed fixtures, not the full datasets. */
    public boolean fixtures() {
        return options.fixtures.on;
    }

    /** The {@code --backend} given, or null. */
    public String backend() {
        return options.backend.name;
    }

    /** The output folder of the report. */
    public Path out() {
        return options.out;
    }

    /** Where the units' progress goes: standard error, or nowhere with {@code --quiet}. */
    public Progress progress() {
        return options.quiet.progress();
    }

    /**
     * Runs unit {@code unit} of {@link #units} on {@code backend}.
     *
     * @return a {@code List<CellResult>} or a {@link StreamResult}, for {@link #write}
     */
    public abstract Serializable run(int unit, Backend backend, Progress progress) throws IOException;

    /**
     * Writes the report of the units' results ({@code results.get(k)} from unit k; null for a unit
     * not finished) into {@link #out}, as the local command does, file by file atomically. With
     * every unit it is the local command's report; with some, the report of those so far.
     *
     * @param command the command line shown in the report
     * @throws IllegalArgumentException if there is not one entry per unit, or no result at all
     */
    public final void write(List<? extends Serializable> results, String command) throws IOException {
        if (results.size() != units().size()) throw new IllegalArgumentException(results.size() + " results for " + units().size() + " units");
        if (results.stream().allMatch(r -> r == null)) throw new IllegalArgumentException("no unit has finished");
        report(results, command);
    }

    abstract void report(List<? extends Serializable> results, String command) throws IOException;

    final int check(int unit) {
        if (unit < 0 || unit >= units().size()) throw new IllegalArgumentException("no unit " + unit + " of " + units().size());
        return unit;
    }

    /** {@code expanse suite}: the scenario cells. */
    private static final class Scenarios extends UnitJob {
        private final List<Suite.Step> plan;
        private final List<Suite.Unit> units;

        Scenarios(SuiteCommand s) {
            super(s.options);
            plan = s.plan();
            units = Suite.units(plan, options.seeds.get());
        }

        @Override
        public List<String> units() {
            return units.stream().map(u -> u.describe(plan)).toList();
        }

        @Override
        public List<DataSource> datasets() {
            return List.of(DataSource.values());
        }

        @Override
        public Serializable run(int unit, Backend backend, Progress progress) throws IOException {
            ScenarioRunner runner = options.runner(backend, options.basics(datasets()), progress);
            return new ArrayList<>(Suite.run(runner, plan, units.get(check(unit))));
        }

        @Override
        @SuppressWarnings("unchecked")
        void report(List<? extends Serializable> results, String command) throws IOException {
            List<List<CellResult>> cells = results.stream().map(r -> (List<CellResult>) r).toList();
            Report.write(options.out, "EXPANSE suite", command, Suite.gather(plan, units, cells));
        }
    }

    /** {@code expanse stream} and {@code expanse suite --streams}: streams, one unit per stream and seed. */
    private static final class Streams extends UnitJob {
        private final List<StreamConfig> plan;
        private final List<Strategy> strategies;

        Streams(MethodOptions options, List<StreamConfig> plan, List<Strategy> strategies) {
            super(options);
            this.plan = plan;
            this.strategies = strategies;
        }

        private List<Long> seeds() {
            return options.seeds.get();
        }

        @Override
        public List<String> units() {
            List<String> out = new ArrayList<>();
            for (StreamConfig c : plan) for (long seed : seeds()) out.add(c.title() + ", seed " + seed);
            return out;
        }

        @Override
        public List<DataSource> datasets() {
            return plan.stream().flatMap(c -> c.stream().datasets().stream()).distinct().toList();
        }

        @Override
        public Serializable run(int unit, Backend backend, Progress progress) throws IOException {
            int n = seeds().size();
            StreamConfig c = plan.get(check(unit) / n);
            return options.streamRunner(backend, options.basics(c.stream().datasets()), progress).run(c, strategies, List.of(seeds().get(unit % n)));
        }

        @Override
        void report(List<? extends Serializable> results, String command) throws IOException {
            int n = seeds().size();
            List<StreamResult> streams = new ArrayList<>();
            for (int i = 0; i < plan.size(); i++) {
                List<StreamResult> seeds = results.subList(i * n, (i + 1) * n).stream().filter(r -> r != null).map(r -> (StreamResult) r).toList();
                if (!seeds.isEmpty()) streams.add(StreamSuite.merge(seeds));
            }
            StreamReport.write(options.out, command, streams);
        }
    }
}
