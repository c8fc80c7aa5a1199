package dev.expanse.engine.nn;

import dev.expanse.engine.Tape;
import dev.expanse.engine.Tensor;
import dev.expanse.engine.ops.MaxPool;
import dev.expanse.kernels.PoolShape;

/** Max-pooling over k x k windows; channels pass through, so growth passes through it. */
public final class MaxPool2d implements Layer {
    private final String name;
    private final int k, stride;

    /** @throws IllegalArgumentException naming the layer if k or stride is below 1 */
    public MaxPool2d(String name, int k, int stride) {
        if (k < 1 || stride < 1) {
            throw new IllegalArgumentException("max-pool '" + name + "': window and stride must be >= 1, got " + k + ", " + stride);
        }
        this.name = name;
        this.k = k;
        this.stride = stride;
    }

    @Override public String name() { return name; }

    @Override
    public Tensor forward(Tape tape, Tensor x) {
        return MaxPool.forward(tape, x, k, stride);
    }

    @Override
    public int[] outputShape(int[] in) {
        if (in.length != 3) {
            throw new IllegalArgumentException("max-pool '" + name + "' takes [C, H, W], got " + java.util.Arrays.toString(in));
        }
        try {
            PoolShape s = new PoolShape(1, in[0], in[1], in[2], k, stride);
            return new int[] {in[0], s.oh(), s.ow()};
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("max-pool '" + name + "': " + e.getMessage(), e);
        }
    }

    /** New channels below are new channels here: pooling acts on each channel alone. */
    @Override
    public InputGrowth inputGrowth(int[] inputShape) { return InputGrowth.UNCHANGED; }

    @Override
    public LayerSpec spec() {
        return LayerSpec.of("maxpool2d", name, "k", k, "stride", stride);
    }

    @Override
    public String toString() { return "MaxPool2d " + name + " k" + k + " s" + stride; }
}
