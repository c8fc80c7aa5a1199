package dev.expanse.engine.optim;

import dev.expanse.engine.Parameter;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Stochastic gradient descent with momentum and L2 weight decay: {@code v = mu*v + g + wd*w; w -= lr*v}. */
public final class Sgd extends Optimizer {
    private final float momentum, weightDecay;

    /** @throws IllegalArgumentException unless lr is finite and > 0, momentum in [0, 1) and the decay finite and >= 0 */
    public Sgd(Supplier<List<Parameter>> params, float lr, float momentum, float weightDecay) {
        super(params, lr);
        if (!(momentum >= 0 && momentum < 1 && weightDecay >= 0 && weightDecay < Float.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("SGD: momentum must be in [0, 1) and weight decay >= 0, got "
                    + momentum + ", " + weightDecay);
        }
        this.momentum = momentum;
        this.weightDecay = weightDecay;
    }

    @Override
    protected int slotsPerParameter() { return 1; }

    @Override
    protected String kind() { return "sgd"; }

    @Override
    protected Map<String, Double> settings() {
        return Map.of("momentum", (double) momentum, "weight_decay", (double) weightDecay);
    }

    @Override
    protected void update(Parameter p, int slot) {
        p.backend().sgdStep(p.rows(), p.cols(), p.ld(), p.frozen(),
                p.data(), p.grad(), p.slot(slot), learningRate(), momentum, weightDecay);
    }
}
