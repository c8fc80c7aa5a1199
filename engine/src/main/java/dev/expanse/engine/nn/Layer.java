package dev.expanse.engine.nn;

import dev.expanse.engine.Parameter;
import dev.expanse.engine.Tape;
import dev.expanse.engine.Tensor;
import java.util.List;

/** One stage of a network. Shapes exclude the batch dimension: {@code [features]} or {@code [C, H, W]}. */
public interface Layer {

    /** A short name, unique within a model, used in plans, summaries and error messages. */
    String name();

    /** Runs the layer on a batch; {@code x} is {@code [N, ...inputShape]}. */
    Tensor forward(Tape tape, Tensor x);

    /** The output shape for a given input shape; throws IllegalArgumentException naming the layer if it does not fit. */
    int[] outputShape(int[] inputShape);

    /** Trainable parameters (possibly frozen), in a stable order. */
    default List<Parameter> parameters() {
        return List.of();
    }
}
