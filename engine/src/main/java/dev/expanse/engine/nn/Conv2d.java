package dev.expanse.engine.nn;

import dev.expanse.engine.Init;
import dev.expanse.engine.Parameter;
import dev.expanse.engine.Rng;
import dev.expanse.engine.Tape;
import dev.expanse.engine.Tensor;
import dev.expanse.engine.ops.Conv;
import dev.expanse.kernels.Backend;
import dev.expanse.kernels.ConvShape;
import java.util.List;

/**
 * A 2-D convolution with square stride and padding. W is [F, C*KH*KW] (one row per filter, input
 * channel c at columns c*KH*KW ...), b is [F, 1]; new filters are new rows, new input channels
 * append KH*KW columns to every row.
 */
public final class Conv2d implements Growable {
    private final String name;
    private final int kh, kw, stride, pad;
    private final Parameter weight, bias;

    public Conv2d(String name, Backend backend, int inChannels, int filters, int kh, int kw, int stride, int pad,
                  Init init, Rng rng) {
        if (inChannels < 1 || filters < 1 || kh < 1 || kw < 1 || stride < 1 || pad < 0) {
            throw new IllegalArgumentException("conv layer '" + name + "': bad geometry in=" + inChannels
                    + " filters=" + filters + " kernel=" + kh + "x" + kw + " stride=" + stride + " pad=" + pad);
        }
        this.name = name;
        this.kh = kh;
        this.kw = kw;
        this.stride = stride;
        this.pad = pad;
        int patch = inChannels * kh * kw;
        this.weight = new Parameter(name + ".weight", backend, filters, patch);
        this.bias = new Parameter(name + ".bias", backend, filters, 1);
        weight.set(init.fill(rng, filters * patch, patch, filters * kh * kw));
    }

    public Parameter weight() { return weight; }

    public Parameter bias() { return bias; }

    public int kernelHeight() { return kh; }

    public int kernelWidth() { return kw; }

    public int stride() { return stride; }

    public int padding() { return pad; }

    @Override public String name() { return name; }

    @Override public int outputs() { return weight.rows(); }

    @Override public int inputs() { return weight.cols() / (kh * kw); }

    @Override public int columnsPerInput() { return kh * kw; }

    @Override
    public Tensor forward(Tape tape, Tensor x) {
        return Conv.forward(tape, x, weight, bias, kh, kw, stride, pad);
    }

    @Override
    public int[] outputShape(int[] in) {
        if (in.length != 3 || in[0] != inputs()) {
            throw new IllegalArgumentException("conv layer '" + name + "' takes [" + inputs() + ", H, W], got "
                    + java.util.Arrays.toString(in));
        }
        try {
            ConvShape s = new ConvShape(1, in[0], in[1], in[2], outputs(), kh, kw, stride, pad);
            return new int[] {outputs(), s.oh(), s.ow()};
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("conv layer '" + name + "': " + e.getMessage(), e);
        }
    }

    @Override
    public List<Parameter> parameters() { return List.of(weight, bias); }

    @Override
    public void growOutputs(int k, Init init, Rng rng) {
        weight.growRows(k, init, rng, weight.cols(), (outputs() + k) * kh * kw);
        bias.growRows(k);
    }

    @Override
    public void growInputs(int k, Init init, Rng rng) {
        int cols = k * kh * kw;
        weight.growCols(cols, init, rng, weight.cols() + cols, outputs() * kh * kw);
    }

    /** Reserves capacity for {@code filters} rows and {@code inChannels} input channels. */
    public void reserve(int filters, int inChannels) {
        weight.reserve(filters, inChannels * kh * kw);
        bias.reserve(filters, 1);
    }

    @Override
    public LayerSpec spec() {
        return LayerSpec.of("conv2d", name, "in", inputs(), "filters", outputs(), "kh", kh, "kw", kw,
                "stride", stride, "pad", pad);
    }

    /** PyTorch's {@code nn.Conv2d}: weight {@code [F, C, KH, KW]}, bias {@code [F]}; the same memory as [F, C*KH*KW]. */
    @Override
    public int[] tensorShape(Parameter p) {
        return p == bias ? new int[] {p.rows()} : new int[] {p.rows(), inputs(), kh, kw};
    }

    @Override
    public String toString() {
        return "Conv2d " + name + " " + inputs() + " -> " + outputs() + " k" + kh + "x" + kw + " s" + stride + " p" + pad;
    }
}
