package dev.expanse.engine.nn;

import dev.expanse.engine.Tape;
import dev.expanse.engine.Tensor;
import dev.expanse.engine.ops.Relu;

/** Rectified linear unit; shape-preserving, so growth passes through it. */
public final class ReLU implements Layer {
    private final String name;

    public ReLU(String name) {
        this.name = name;
    }

    @Override public String name() { return name; }

    @Override
    public Tensor forward(Tape tape, Tensor x) {
        return Relu.forward(tape, x);
    }

    @Override
    public int[] outputShape(int[] in) { return in.clone(); }

    @Override
    public String toString() { return "ReLU " + name; }
}
