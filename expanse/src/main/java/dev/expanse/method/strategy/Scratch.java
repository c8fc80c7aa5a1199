package dev.expanse.method.strategy;

import dev.expanse.engine.Init;
import dev.expanse.engine.Rng;
import dev.expanse.engine.nn.Dense;

/** Joint training from scratch: a new network of the expanded size, trained on all the data of both tasks. */
public final class Scratch implements Strategy {

    @Override public String id() { return "scratch"; }

    @Override public String description() { return "new expanded-size network trained from scratch on all data (joint)"; }

    @Override public boolean joint() { return true; }

    @Override
    public Adapted adapt(Transfer t, Rng rng) {
        MultiHeadNet net = new MultiHeadNet(t.spec().trunk(t.source().backend(), rng, t.inputShape(), true));
        int f = net.trunkFeatures();
        if (t.mode() == Transfer.Mode.GROW_HEAD) {
            net.addHead(new Dense("head", net.backend(), f, t.sourceClasses() + t.targetClasses(), Init.XAVIER_NORMAL, rng));
            return new Adapted(net, 0, 0);
        }
        net.addHead(new Dense("head", net.backend(), f, t.sourceClasses(), Init.XAVIER_NORMAL, rng));
        net.addHead(new Dense(net.nextHeadName(), net.backend(), f, t.targetClasses(), Init.XAVIER_NORMAL, rng));
        return new Adapted(net, 0, 1);
    }
}
