package dev.expanse.engine.nn;

import dev.expanse.engine.Parameter;
import dev.expanse.engine.Tape;
import dev.expanse.engine.Tensor;
import java.util.List;

/**
 * One stage of a network. Shapes exclude the batch dimension: {@code [features]} or
 * {@code [C, H, W]}. Closing a layer frees its parameters' buffers.
 */
public interface Layer extends AutoCloseable {

    /** A short name, unique within a model, used in plans, summaries and error messages. */
    String name();

    /** Runs the layer on a batch; {@code x} is {@code [N, ...inputShape]}. */
    Tensor forward(Tape tape, Tensor x);

    /** The output shape for a given input shape; throws IllegalArgumentException naming the layer if it does not fit. */
    int[] outputShape(int[] inputShape);

    /**
     * What this layer does when a layer below it grows, for an input of shape {@code inputShape}
     * (the shape before the growth): pass the new units on, absorb them as new inputs, or refuse
     * (the default, so a layer that says nothing stops growth with a clear error).
     */
    default InputGrowth inputGrowth(int[] inputShape) {
        return InputGrowth.REFUSED;
    }

    /** Trainable parameters (possibly frozen), in a stable order. */
    default List<Parameter> parameters() {
        return List.of();
    }

    /**
     * What this layer is, for a checkpoint ({@link Layers#build} makes it again). The default
     * refuses, naming the layer: a layer that does not describe itself cannot be saved.
     */
    default LayerSpec spec() {
        throw new UnsupportedOperationException("layer '" + name() + "' (" + getClass().getSimpleName()
                + ") cannot be saved: it does not describe itself (Layer.spec)");
    }

    /**
     * The shape of parameter {@code p} of this layer in a checkpoint, in PyTorch's conventions
     * (the memory is the same as the row-major {@code [rows, cols]} matrix); by default
     * {@code [rows, cols]}.
     */
    default int[] tensorShape(Parameter p) {
        return new int[] {p.rows(), p.cols()};
    }

    /** Frees the buffers of every parameter; the layer is unusable afterwards. */
    @Override
    default void close() {
        for (Parameter p : parameters()) p.close();
    }
}
