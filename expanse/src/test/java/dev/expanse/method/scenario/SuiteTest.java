package dev.expanse.method.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.expanse.method.strategy.NetSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The suite's plan: priority cells first, every strategy in every cell in the end. */
class SuiteTest {

    @Test
    void suitePlanPutsThePriorityCellsFirst() {
        List<Suite.Step> plan = Suite.plan(Hyper.defaults(), true, false, false);
        assertEquals("split-mnist-mlp-r10", plan.get(0).config().id());
        assertEquals("split-fashion-mnist-mlp-r10", plan.get(1).config().id());
        assertEquals(List.of("frozen-expanse", "scratch", "published-expanse"),
                plan.get(0).strategies().stream().map(s -> s.id()).toList());
        // Every cell of the suite gets all six strategies in the end.
        Map<String, Integer> perCell = new HashMap<>();
        for (Suite.Step s : plan) perCell.merge(s.config().id(), s.strategies().size(), Integer::sum);
        assertEquals(7, perCell.size(), perCell.toString());
        perCell.values().forEach(n -> assertEquals(6, n));
        assertEquals(2, Suite.plan(Hyper.defaults(), true, false, true).size());
    }

    @Test
    void theCnnCellComesLastWithFewerEpochs() {
        List<Suite.Step> plan = Suite.plan(Hyper.defaults(), true, true, true);
        assertEquals(3, plan.size());
        ScenarioConfig cnn = plan.get(2).config();
        assertEquals(NetSpec.Kind.CNN, cnn.spec().kind());
        assertEquals(List.of(3, 5, 3), List.of(cnn.hyper().targetEpochs(), cnn.hyper().basicsEpochs(), cnn.hyper().sourceEpochs()));
        assertEquals(plan.get(0).strategies(), plan.get(2).strategies());
    }

    @Test
    void mergeOrdersRunsByStrategyThenSeed() {
        ScenarioConfig c = ScenarioConfig.split(DataSource.MNIST, NetSpec.publishedMlp(), 0.1, Hyper.defaults(), true);
        CellResult a = new CellResult(c, List.of(), List.of(run("frozen-expanse", 2), run("scratch", 1)));
        CellResult b = new CellResult(c, List.of(), List.of(run("fine-tune", 1), run("scratch", 2)));
        List<String> order = Suite.merge(a, b).runs().stream().map(r -> r.strategy() + "/" + r.seed()).toList();
        assertEquals(List.of("scratch/1", "scratch/2", "fine-tune/1", "frozen-expanse/2"), order);
    }

    @Test
    void unitsShareASourceNetworkAndGatherBackIntoTheLocalOrder() {
        List<Suite.Step> plan = Suite.plan(Hyper.defaults(), true, true, false);
        List<Suite.Unit> units = Suite.units(plan, List.of(7L, 3L));
        // Sources: the MNIST split, the Fashion-MNIST split, distant MNIST -> Fashion-MNIST, the CNN split; two seeds each.
        assertEquals(8, units.size());
        assertEquals(List.of(7L, 3L, 7L, 3L, 7L, 3L, 7L, 3L), units.stream().map(Suite.Unit::seed).toList());
        Map<Integer, Integer> seen = new HashMap<>();
        for (Suite.Unit u : units) {
            String source = plan.get(u.steps().get(0)).config().sourceKey();
            for (int i : u.steps()) {
                assertEquals(source, plan.get(i).config().sourceKey(), "step " + i + " trains the unit's source network");
                seen.merge(i, 1, Integer::sum);
            }
        }
        assertEquals(plan.size(), seen.size(), "every step in a unit");
        seen.values().forEach(n -> assertEquals(2, n, "once per seed"));
        assertEquals(List.of(0, 3, 5, 6), units.get(0).steps(), "the MNIST split at 10% (twice), 67% and 0%");
        assertEquals("mnist 0-4 -> 5-9, mlp [300, 200] -> [500, 300]: 3 cells on one source network (rehearsal 10%, 66.7%, 0%), seed 3",
                units.get(1).describe(plan));

        // Fake results: each step's run is named after its step; gathered, the cells follow the plan, seeds in order.
        List<List<CellResult>> results = units.stream().map(u -> u.steps().stream().map(i -> new CellResult(plan.get(i).config(),
                List.of(new CellResult.SourceInfo(u.seed(), 0, 0, new double[0])),
                plan.get(i).strategies().stream().map(s -> run(s.id(), u.seed())).toList())).toList()).toList();
        List<CellResult> cells = Suite.gather(plan, units, results);
        assertEquals(List.of("split-mnist-mlp-r10", "split-fashion-mnist-mlp-r10", "distant-mnist-fashion-mnist-mlp-r0",
                "split-mnist-mlp-r66_7", "split-mnist-mlp-r0", "split-fashion-mnist-mlp-r70", "split-fashion-mnist-mlp-r0",
                "split-mnist-cnn-r10"), cells.stream().map(c -> c.config().id()).toList());
        CellResult first = cells.get(0);
        assertEquals(List.of(7L, 3L), first.sources().stream().map(CellResult.SourceInfo::seed).toList());
        assertEquals(12, first.runs().size(), "six strategies, two seeds");
        assertEquals(List.of("scratch/3", "scratch/7"), first.runs().subList(0, 2).stream().map(r -> r.strategy() + "/" + r.seed()).toList());
    }

    private static RunResult run(String strategy, long seed) {
        return new RunResult(strategy, seed, null, Double.NaN, Double.NaN, 0, 0, 0, new double[0], new double[0],
                null, Calibration.NONE, Double.NaN, Double.NaN);
    }
}
