package dev.expanse.method.strategy;

import dev.expanse.engine.Init;
import dev.expanse.engine.Rng;
import dev.expanse.engine.nn.Dense;

/** Fine-tuning: the source network at its own size, nothing frozen, with outputs for the target classes. */
public final class FineTune implements Strategy {

    @Override public String id() { return "fine-tune"; }

    @Override public String description() { return "source network, no expansion, nothing frozen, target outputs added"; }

    @Override
    public Adapted adapt(Transfer t, Rng rng) {
        MultiHeadNet net = t.source();
        if (t.mode() == Transfer.Mode.GROW_HEAD) {
            net.headOutput(0).growOutputs(t.targetClasses(), Init.XAVIER_NORMAL, rng);
            return new Adapted(net, 0, 0);
        }
        return new Adapted(net, 0, net.addHead(new Dense(net.nextHeadName(), net.backend(), net.trunkFeatures(),
                t.targetClasses(), Init.XAVIER_NORMAL, rng)));
    }
}
