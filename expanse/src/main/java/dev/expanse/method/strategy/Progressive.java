package dev.expanse.method.strategy;

import dev.expanse.engine.Init;
import dev.expanse.engine.Rng;
import dev.expanse.engine.nn.Dense;
import dev.expanse.engine.nn.ActivationLayer;
import dev.expanse.kernels.Activation;

/**
 * Progressive learning in its simplest form: the source network frozen, a new hidden layer
 * ({@link NetSpec#progressive()} neurons, ReLU) and a new output layer stacked on its features.
 * Growing the head, the new stack replaces the source head; with a new head, the source head stays
 * (frozen).
 */
public final class Progressive implements Strategy {

    @Override public String id() { return "progressive"; }

    @Override public String description() { return "source network frozen, new hidden layer and output layer on top"; }

    @Override
    public Adapted adapt(Transfer t, Rng rng) {
        MultiHeadNet net = t.source();
        net.freezeAll();
        int f = net.trunkFeatures(), w = t.spec().progressive();
        boolean grow = t.mode() == Transfer.Mode.GROW_HEAD;
        int out = grow ? t.sourceClasses() + t.targetClasses() : t.targetClasses();
        // The new stack's layers are numbered by the head they make: 1 for the first added head.
        int k = grow ? 1 : net.headCount();
        Dense hidden = new Dense("prog" + k, net.backend(), f, w, Init.HE_NORMAL, rng);
        Dense logits = new Dense(grow ? "head" : net.nextHeadName(), net.backend(), w, out, Init.XAVIER_NORMAL, rng);
        ActivationLayer relu = new ActivationLayer("prog-relu" + k, Activation.RELU);
        if (grow) {
            net.replaceHead(0, hidden, relu, logits);
            return new Adapted(net, 0, 0);
        }
        return new Adapted(net, 0, net.addHead(hidden, relu, logits));
    }
}
