package dev.expanse.method.strategy;

import dev.expanse.engine.Init;
import dev.expanse.engine.Rng;
import dev.expanse.engine.nn.Dense;

/**
 * Feature extraction: the source network frozen, a new trainable output layer on its features.
 * Growing the head, the new layer scores all classes and replaces the source head; with a new
 * head, the source head stays (frozen) for the source task.
 */
public final class FeatureExtraction implements Strategy {

    @Override public String id() { return "feature-extraction"; }

    @Override public String description() { return "source network frozen, new output layer trained"; }

    @Override
    public Adapted adapt(Transfer t, Rng rng) {
        MultiHeadNet net = t.source();
        net.freezeAll();
        int f = net.trunkFeatures();
        if (t.mode() == Transfer.Mode.GROW_HEAD) {
            net.replaceHead(0, new Dense("head", net.backend(), f, t.sourceClasses() + t.targetClasses(), Init.XAVIER_NORMAL, rng));
            return new Adapted(net, 0, 0);
        }
        return new Adapted(net, 0, net.addHead(new Dense(net.nextHeadName(), net.backend(), f, t.targetClasses(), Init.XAVIER_NORMAL, rng)));
    }
}
