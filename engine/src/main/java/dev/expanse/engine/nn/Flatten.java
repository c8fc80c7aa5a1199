package dev.expanse.engine.nn;

import dev.expanse.engine.Tape;
import dev.expanse.engine.Tensor;

/**
 * [N, C, H, W] to [N, C*H*W], a view. Channel c lands at columns c*H*W ..., so channels added to
 * the conv below become columns appended at the end of the next dense layer.
 */
public final class Flatten implements Layer {
    private final String name;

    public Flatten(String name) {
        this.name = name;
    }

    @Override public String name() { return name; }

    @Override
    public Tensor forward(Tape tape, Tensor x) {
        return tape.view(x, x.rows(), x.cols());
    }

    @Override
    public int[] outputShape(int[] in) {
        int n = 1;
        for (int d : in) n *= d;
        return new int[] {n};
    }

    /** A new channel of [C, H, W] becomes H*W new features (a new feature of [F] stays one). */
    @Override
    public InputGrowth inputGrowth(int[] in) {
        int perUnit = 1;
        for (int i = 1; i < in.length; i++) perUnit *= in[i];
        return InputGrowth.multiplied(perUnit);
    }

    @Override
    public LayerSpec spec() {
        return LayerSpec.of("flatten", name);
    }

    @Override
    public String toString() { return "Flatten " + name; }
}
