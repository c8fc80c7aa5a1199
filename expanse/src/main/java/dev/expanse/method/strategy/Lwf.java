package dev.expanse.method.strategy;

import dev.expanse.engine.Rng;
import dev.expanse.engine.ops.Arithmetic;
import dev.expanse.engine.ops.Distillation;
import dev.expanse.engine.ops.SoftmaxCrossEntropy;
import dev.expanse.engine.train.Trainer;

/**
 * Learning without Forgetting (Li and Hoiem 2017) as Avalanche's {@code LwF} defines it:
 * fine-tuning without rehearsal, whose loss adds {@code alpha * KL(q || p)} between the previous
 * model's softened outputs {@code q} and the current model's {@code p} over the outputs the
 * previous model had (temperature T), on the new experience's images. The previous model's outputs
 * are the adapted network's before its first step: growing the head adds rows and leaves the old
 * outputs as they were. Alpha for experience i (0-based) is {@code i^2 / (i + 1)}, i.e. 0.5,
 * 1.33, 2.25, 3.2, and T = 1: the Split MNIST setting of Avalanche's continual-learning-baselines.
 * Class-incremental only: it distils one growing head.
 */
public final class Lwf implements Strategy {
    static final float TEMPERATURE = 1f;
    private final FineTune fineTune = new FineTune();

    @Override public String id() { return "lwf"; }

    @Override public String description() { return "fine-tune without rehearsal, distilling the previous outputs (LwF)"; }

    @Override public boolean rehearses() { return false; }

    @Override
    public String unsupported(Transfer.Mode mode) {
        return mode == Transfer.Mode.GROW_HEAD ? null : "lwf distils the earlier outputs of one growing head: it runs class-incremental only";
    }

    /** LwF's alpha for experience {@code i} (0-based). */
    static float alpha(int i) {
        return (float) i * i / (i + 1);
    }

    @Override
    public Adapted adapt(Transfer t, Rng rng) {
        return fineTune.adapt(t, rng);
    }

    @Override
    public Regularizer regularizer() {
        return (view, data, oldOutputs, experience) -> {
            float[] all = Trainer.logits(view, data, 500);
            int cols = data.size() == 0 ? 0 : all.length / data.size();
            float[] teacher = new float[data.size() * oldOutputs];
            for (int i = 0; i < data.size(); i++) System.arraycopy(all, i * cols, teacher, i * oldOutputs, oldOutputs);
            float alpha = alpha(experience);
            return (tape, logits, labels, batch) -> {
                float[] q = new float[batch.size() * oldOutputs];
                for (int i = 0; i < batch.size(); i++) {
                    System.arraycopy(teacher, batch.indices()[i] * oldOutputs, q, i * oldOutputs, oldOutputs);
                }
                return Arithmetic.add(tape, SoftmaxCrossEntropy.forward(tape, logits, labels),
                        Distillation.forward(tape, logits, q, oldOutputs, TEMPERATURE, alpha));
            };
        };
    }
}
