package dev.expanse.engine.nn;

import dev.expanse.engine.Tape;
import dev.expanse.engine.Tensor;
import dev.expanse.engine.ops.Activate;
import dev.expanse.kernels.Activation;

/** An elementwise {@link Activation} (ReLU, tanh, ...); shape-preserving, so growth passes through it. */
public final class ActivationLayer implements Layer {
    private final String name;
    private final Activation function;

    public ActivationLayer(String name, Activation function) {
        this.name = name;
        this.function = function;
    }

    /** The function this layer applies. */
    public Activation function() { return function; }

    @Override public String name() { return name; }

    @Override
    public Tensor forward(Tape tape, Tensor x) {
        return Activate.forward(tape, x, function);
    }

    @Override
    public int[] outputShape(int[] in) { return in.clone(); }

    @Override
    public InputGrowth inputGrowth(int[] inputShape) { return InputGrowth.UNCHANGED; }

    @Override
    public LayerSpec spec() {
        return LayerSpec.of("activation", name, "function", function.id());
    }

    @Override
    public String toString() { return "Activation " + name + " " + function.id(); }
}
