package dev.expanse.method.strategy;

import dev.expanse.engine.Init;
import dev.expanse.engine.Rng;
import dev.expanse.engine.nn.Dense;

/**
 * EXPANSE with exact freezing: every trunk layer widened to the expanded size; new neurons He-normal,
 * new-to-old connections zero; then every old row of every grown matrix is frozen over all its
 * columns (old block and the zero new-to-old columns). The old neurons and the source logits are
 * therefore bit-identical to the source network's for any amount of target training; only new
 * neurons and new output rows learn.
 */
public final class FrozenExpanse implements Strategy {

    @Override public String id() { return "frozen-expanse"; }

    @Override public String description() { return "widened, old rows frozen, zero frozen new-to-old, new neurons and outputs trained"; }

    @Override
    public Adapted adapt(Transfer t, Rng rng) {
        MultiHeadNet net = t.source();
        net.growTrunk(t.spec().growthPlan(), Init.HE_NORMAL, Init.ZEROS, rng);
        Adapted a;
        if (t.mode() == Transfer.Mode.GROW_HEAD) {
            net.headOutput(0).growOutputs(t.targetClasses(), Init.XAVIER_NORMAL, rng);
            a = new Adapted(net, 0, 0);
        } else {
            a = new Adapted(net, 0, net.addHead(new Dense(net.nextHeadName(), net.backend(), net.trunkFeatures(),
                    t.targetClasses(), Init.XAVIER_NORMAL, rng)));
        }
        net.freezeOld(); // the new head has no old rows: it stays trainable
        return a;
    }
}
