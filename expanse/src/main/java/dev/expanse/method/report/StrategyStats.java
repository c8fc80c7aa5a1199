package dev.expanse.method.report;

import dev.expanse.method.metrics.AccuracyMatrix;
import dev.expanse.method.metrics.Summary;
import dev.expanse.method.scenario.RunResult;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** The runs of one strategy in one cell, summarised over seeds. */
public record StrategyStats(String strategy, List<RunResult> runs) {

    public StrategyStats {
        if (runs.isEmpty()) throw new IllegalArgumentException("no runs of strategy " + strategy);
        runs = List.copyOf(runs);
    }

    /** Mean and sd over seeds of one number per run. */
    public Summary of(ToDoubleFunction<RunResult> f) {
        return Summary.of(runs.stream().mapToDouble(f).toArray());
    }

    public Summary allClasses() { return of(RunResult::allClasses); }

    public Summary source() { return of(RunResult::sourceAccuracy); }

    public Summary target() { return of(RunResult::targetAccuracy); }

    public Summary sourceTaskAware() { return of(RunResult::sourceTaskAware); }

    public Summary forgetting() { return of(r -> r.matrix().forgetting()); }

    public Summary backwardTransfer() { return of(r -> r.matrix().backwardTransfer()); }

    public Summary forwardTransfer() { return of(r -> r.matrix().forwardTransfer()); }

    public Summary seconds() { return of(RunResult::seconds); }

    /** The accuracy matrix averaged over seeds. */
    public AccuracyMatrix meanMatrix() {
        return AccuracyMatrix.mean(runs.stream().map(RunResult::matrix).toList());
    }

    /** Validation curve averaged over seeds (epochs common to all). */
    public double[] meanValCurve() {
        int n = runs.stream().mapToInt(r -> r.valCurve().length).min().orElse(0);
        double[] m = new double[n];
        for (RunResult r : runs) for (int i = 0; i < n; i++) m[i] += r.valCurve()[i] / runs.size();
        return m;
    }

    /** Runs whose source-class logits stayed bit-identical. */
    public long identicalRuns() {
        return runs.stream().filter(r -> r.logits().identical()).count();
    }

    /** The largest source-logit difference over all runs. */
    public double maxLogitDiff() {
        return runs.stream().mapToDouble(r -> r.logits().maxAbsDiff()).max().orElse(Double.NaN);
    }
}
