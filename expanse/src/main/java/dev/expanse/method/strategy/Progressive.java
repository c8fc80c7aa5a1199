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
        Dense hidden = new Dense("prog1", net.backend(), f, w, Init.HE_NORMAL, rng);
        Dense logits = new Dense(grow ? "head" : "head2", net.backend(), w, out, Init.XAVIER_NORMAL, rng);
        if (grow) {
            net.replaceHead(0, hidden, new ActivationLayer("prog-relu1", Activation.RELU), logits);
            return new Adapted(net, 0, 0);
        }
        net.addHead(hidden, new ActivationLayer("prog-relu1", Activation.RELU), logits);
        return new Adapted(net, 0, 1);
    }
}
