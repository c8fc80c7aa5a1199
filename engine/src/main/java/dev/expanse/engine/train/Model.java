package dev.expanse.engine.train;

import dev.expanse.engine.Parameter;
import dev.expanse.engine.Tape;
import dev.expanse.engine.Tensor;
import dev.expanse.kernels.Backend;
import java.util.List;

/** What the trainer needs of a network: a forward pass to logits, its input shape and its parameters. */
public interface Model {

    Backend backend();

    /** Input shape per example, without the batch dimension. */
    int[] inputShape();

    /** Logits {@code [N, classes]} for a batch {@code [N, ...inputShape]}. */
    Tensor forward(Tape tape, Tensor x);

    List<Parameter> parameters();
}
