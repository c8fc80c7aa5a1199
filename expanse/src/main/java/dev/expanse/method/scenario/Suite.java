package dev.expanse.method.scenario;

import dev.expanse.engine.train.Progress;
import dev.expanse.method.strategy.NetSpec;
import dev.expanse.method.strategy.Strategies;
import dev.expanse.method.strategy.Strategy;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole EXPANSE comparison: MNIST and Fashion-MNIST splits (0-4 -> 5-9) at rehearsal 0.1, at
 * the published fraction and at 0, distant MNIST -> Fashion-MNIST, and optionally a CNN cell; every
 * strategy in every cell. The priority cells (frozen EXPANSE, scratch and published EXPANSE at
 * rehearsal 0.1) come first, so that a run cut short still answers the main question.
 */
public final class Suite {
    private Suite() {
    }

    /** One step of the plan: a cell and the strategies to run in it. */
    public record Step(ScenarioConfig config, List<Strategy> strategies) {
    }

    /** What to do with the cells so far after each step, e.g. rewrite the report. */
    @FunctionalInterface
    public interface AfterStep {
        void accept(List<CellResult> cells) throws IOException;
    }

    /**
     * The steps of the suite, priority first. A cell may appear in several steps, each with
     * other strategies; over the whole plan every cell gets every strategy (without
     * {@code priorityOnly}).
     *
     * @param fixtures     use the committed fixtures instead of the full datasets
     * @param cnn          add the CNN cell last (MNIST split, rehearsal 0.1, priority strategies)
     * @param priorityOnly only the two priority steps (and the CNN cell if asked for)
     */
    public static List<Step> plan(Hyper h, boolean fixtures, boolean cnn, boolean priorityOnly) {
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

    /**
     * Runs every step of {@code plan} on {@code runner} over {@code seeds}; the runs of steps on
     * the same cell are {@linkplain #merge merged}. After each step {@code afterStep} receives
     * every cell so far, in the order they first ran.
     *
     * @return the cells, as {@code afterStep} last received them
     */
    public static List<CellResult> run(ScenarioRunner runner, List<Step> plan, List<Long> seeds, Progress progress,
                                       AfterStep afterStep) throws IOException {
        Map<String, CellResult> cells = new LinkedHashMap<>();
        for (int i = 0; i < plan.size(); i++) {
            Step s = plan.get(i);
            progress.line("suite step " + (i + 1) + "/" + plan.size() + ": " + s.config().title() + ": "
                    + s.strategies().stream().map(Strategy::id).toList());
            cells.merge(s.config().id(), runner.run(s.config(), s.strategies(), seeds), Suite::merge);
            afterStep.accept(new ArrayList<>(cells.values()));
        }
        return new ArrayList<>(cells.values());
    }

    /**
     * A unit of work for a cluster engine: one seed of every step whose cell trains the same
     * source network ({@link ScenarioConfig#sourceKey}), so that, as in {@link #run}, each source
     * network trains once per seed and a joint run is shared by the cells that share it.
     *
     * @param steps indices into the plan, in plan order
     * @param seed  the seed
     */
    public record Unit(List<Integer> steps, long seed) implements Serializable {
        public Unit {
            steps = List.copyOf(steps);
        }

        /** What the unit runs, e.g. "mnist 0-4 -> 5-9, mlp ...: 3 cells on one source network (rehearsal 10%, 66.7%, 0%), seed 2". */
        public String describe(List<Step> plan) {
            String data = plan.get(steps.get(0)).config().setup();
            List<String> r = steps.stream().map(i -> ScenarioConfig.percent(plan.get(i).config().rehearsal())).distinct().toList();
            return data + ": " + r.size() + (r.size() == 1 ? " cell" : " cells") + " on one source network (rehearsal "
                    + String.join(", ", r) + "), seed " + seed;
        }
    }

    /** The plan's units: its source networks in the order the plan first trains them, each over every seed in order. */
    public static List<Unit> units(List<Step> plan, List<Long> seeds) {
        Map<String, List<Integer>> bySource = new LinkedHashMap<>();
        for (int i = 0; i < plan.size(); i++) {
            bySource.computeIfAbsent(plan.get(i).config().sourceKey(), k -> new ArrayList<>()).add(i);
        }
        List<Unit> units = new ArrayList<>();
        for (List<Integer> steps : bySource.values()) {
            for (long seed : seeds) units.add(new Unit(steps, seed));
        }
        return units;
    }

    /** Runs one unit on a fresh {@code runner}: one result per step of the unit, in its order, each of the unit's seed. */
    public static List<CellResult> run(ScenarioRunner runner, List<Step> plan, Unit unit) throws IOException {
        List<CellResult> out = new ArrayList<>();
        for (int i : unit.steps()) {
            Step s = plan.get(i);
            out.add(runner.run(s.config(), s.strategies(), List.of(unit.seed())));
        }
        return out;
    }

    /**
     * The cells of the plan from the results of units of {@link #units} ({@code results.get(k)} from
     * {@code units.get(k)}, null for a unit that has not finished). With every result: the same
     * cells, runs and order as {@link #run} gives over the same seeds. With some: the cells they
     * reach, over the seeds they ran, e.g. the report of a job still running.
     */
    public static List<CellResult> gather(List<Step> plan, List<Unit> units, List<List<CellResult>> results) {
        if (units.size() != results.size()) throw new IllegalArgumentException(units.size() + " units but " + results.size() + " results");
        Map<Integer, List<CellResult>> bySeed = new HashMap<>();
        for (int k = 0; k < units.size(); k++) {
            if (results.get(k) == null) continue;
            List<Integer> steps = units.get(k).steps();
            for (int j = 0; j < steps.size(); j++) bySeed.computeIfAbsent(steps.get(j), i -> new ArrayList<>()).add(results.get(k).get(j));
        }
        Map<String, CellResult> cells = new LinkedHashMap<>();
        for (int i = 0; i < plan.size(); i++) {
            // As ScenarioRunner.run over several seeds: sources in seed order, runs seed by seed.
            List<CellResult> seeds = bySeed.get(i);
            if (seeds == null) continue;
            CellResult step = new CellResult(plan.get(i).config(),
                    seeds.stream().flatMap(c -> c.sources().stream()).toList(),
                    seeds.stream().flatMap(c -> c.runs().stream()).toList());
            cells.merge(step.config().id(), step, Suite::merge);
        }
        return new ArrayList<>(cells.values());
    }

    /** The runs of both results of one cell, strategies in report order, then seeds; the sources of {@code a}. */
    public static CellResult merge(CellResult a, CellResult b) {
        List<String> order = Strategies.ids();
        List<RunResult> runs = new ArrayList<>(a.runs());
        runs.addAll(b.runs());
        runs.sort(Comparator.comparingInt((RunResult r) -> order.indexOf(r.strategy())).thenComparingLong(RunResult::seed));
        return new CellResult(a.config(), a.sources(), runs);
    }
}
