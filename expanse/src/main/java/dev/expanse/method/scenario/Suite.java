package dev.expanse.method.scenario;

import dev.expanse.engine.train.Progress;
import dev.expanse.method.strategy.NetSpec;
import dev.expanse.method.strategy.Strategies;
import dev.expanse.method.strategy.Strategy;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
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

    /** The runs of both results of one cell, strategies in report order, then seeds; the sources of {@code a}. */
    public static CellResult merge(CellResult a, CellResult b) {
        List<String> order = Strategies.ids();
        List<RunResult> runs = new ArrayList<>(a.runs());
        runs.addAll(b.runs());
        runs.sort(Comparator.comparingInt((RunResult r) -> order.indexOf(r.strategy())).thenComparingLong(RunResult::seed));
        return new CellResult(a.config(), a.sources(), runs);
    }
}
