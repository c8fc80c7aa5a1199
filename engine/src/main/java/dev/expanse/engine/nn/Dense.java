package dev.expanse.engine.nn;

import dev.expanse.engine.Init;
import dev.expanse.engine.Parameter;
import dev.expanse.engine.Rng;
import dev.expanse.engine.Tape;
import dev.expanse.engine.Tensor;
import dev.expanse.engine.ops.Linear;
import dev.expanse.kernels.Backend;
import java.util.List;

/** A fully connected layer {@code y = x W^T + b}, W is [out, in], b is [out, 1]; grows in place. */
public final class Dense implements Growable {
    private final String name;
    private final Parameter weight, bias;

    /** A dense layer with weights from {@code init} (fan-in = in, fan-out = out) and zero biases. */
    public Dense(String name, Backend backend, int in, int out, Init init, Rng rng) {
        if (in < 1 || out < 1) throw new IllegalArgumentException("dense layer '" + name + "': bad size " + in + " -> " + out);
        this.name = name;
        this.weight = new Parameter(name + ".weight", backend, out, in);
        this.bias = new Parameter(name + ".bias", backend, out, 1);
        weight.set(init.fill(rng, out * in, in, out));
    }

    public Parameter weight() { return weight; }

    public Parameter bias() { return bias; }

    @Override public String name() { return name; }

    @Override public int outputs() { return weight.rows(); }

    @Override public int inputs() { return weight.cols(); }

    @Override public int columnsPerInput() { return 1; }

    @Override
    public Tensor forward(Tape tape, Tensor x) {
        return Linear.forward(tape, x, weight, bias);
    }

    @Override
    public int[] outputShape(int[] in) {
        if (in.length != 1 || in[0] != inputs()) {
            throw new IllegalArgumentException("dense layer '" + name + "' takes [" + inputs() + "], got "
                    + java.util.Arrays.toString(in) + " (add a Flatten before it?)");
        }
        return new int[] {outputs()};
    }

    @Override
    public List<Parameter> parameters() { return List.of(weight, bias); }

    @Override
    public void growOutputs(int k, Init init, Rng rng) {
        weight.growRows(k, init, rng, inputs(), outputs() + k);
        bias.growRows(k);
    }

    @Override
    public void growInputs(int k, Init init, Rng rng) {
        weight.growCols(k, init, rng, inputs() + k, outputs());
    }

    /** Reserves capacity for {@code out x in} weights so growth up to there writes only new cells. */
    public void reserve(int out, int in) {
        weight.reserve(out, in);
        bias.reserve(out, 1);
    }

    @Override
    public LayerSpec spec() {
        return LayerSpec.of("dense", name, "in", inputs(), "out", outputs());
    }

    /** PyTorch's {@code nn.Linear}: weight {@code [out, in]}, bias {@code [out]}. */
    @Override
    public int[] tensorShape(Parameter p) {
        return p == bias ? new int[] {p.rows()} : new int[] {p.rows(), p.cols()};
    }

    @Override
    public String toString() { return "Dense " + name + " " + inputs() + " -> " + outputs(); }
}
