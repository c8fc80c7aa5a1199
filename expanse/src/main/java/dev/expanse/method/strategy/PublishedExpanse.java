package dev.expanse.method.strategy;

import dev.expanse.engine.Init;
import dev.expanse.engine.Rng;
import dev.expanse.engine.nn.Dense;

/**
 * EXPANSE as the authors ran it: every trunk layer widened to the expanded size, new neurons and
 * new-to-old connections drawn from N(0, 0.05^2) (Keras {@code random_normal}), nothing frozen. The
 * old function is only approximately kept.
 */
public final class PublishedExpanse implements Strategy {
    static final Init KERAS_NORMAL = Init.normal(0.05);

    @Override public String id() { return "published-expanse"; }

    @Override public String description() { return "widened, random N(0, 0.05) new and new-to-old weights, nothing frozen"; }

    @Override
    public Adapted adapt(Transfer t, Rng rng) {
        MultiHeadNet net = t.source();
        net.growTrunk(t.spec().growthPlan(), KERAS_NORMAL, KERAS_NORMAL, rng);
        if (t.mode() == Transfer.Mode.GROW_HEAD) {
            net.headOutput(0).growOutputs(t.targetClasses(), KERAS_NORMAL, rng);
            return new Adapted(net, 0, 0);
        }
        return new Adapted(net, 0, net.addHead(new Dense(net.nextHeadName(), net.backend(), net.trunkFeatures(),
                t.targetClasses(), KERAS_NORMAL, rng)));
    }
}
