package dev.expanse.method.explain;

import dev.expanse.engine.Parameter;
import dev.expanse.engine.optim.Optimizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * An optimizer that hands every step to another one, and at its first step first keeps a copy of
 * every gradient: the only moment the gradient can be seen, since a step zeroes it. Training goes
 * through {@code Trainer.step} as usual, so the picture shows what real training computed.
 */
final class FirstStepGradients extends Optimizer {
    private final Optimizer inner;
    private final Supplier<List<Parameter>> params;
    private List<MatrixState> first;

    FirstStepGradients(Optimizer inner, Supplier<List<Parameter>> params) {
        super(params, inner.learningRate());
        this.inner = inner;
        this.params = params;
    }

    @Override
    public void step() {
        if (first == null) {
            first = new ArrayList<>();
            for (Parameter p : params.get()) first.add(MatrixState.gradientOf(p));
        }
        inner.step();
    }

    /** The gradients of the first step, one per parameter; empty before it. */
    List<MatrixState> first() {
        return first == null ? List.of() : first;
    }

    @Override
    protected int slotsPerParameter() { return 0; }

    /** Not saved: the state that matters is the wrapped optimizer's. */
    @Override
    protected String kind() { return "first-step-gradients"; }

    @Override
    protected Map<String, Double> settings() { return Map.of(); }

    @Override
    protected void update(Parameter p, int slot) {
        throw new UnsupportedOperationException("every step goes to the wrapped optimizer");
    }
}
