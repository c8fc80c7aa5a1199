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

    private static RunResult run(String strategy, long seed) {
        return new RunResult(strategy, seed, null, Double.NaN, Double.NaN, 0, 0, 0, new double[0], new double[0],
                null, Calibration.NONE, Double.NaN, Double.NaN);
    }
}
