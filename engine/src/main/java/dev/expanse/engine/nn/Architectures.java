package dev.expanse.engine.nn;

import dev.expanse.engine.Init;
import dev.expanse.engine.Rng;
import dev.expanse.kernels.Activation;
import dev.expanse.kernels.Backend;

/** The networks used throughout the project, built from layers with conventional names. */
public final class Architectures {
    private Architectures() {
    }

    /** {@link #mlp(Backend, Rng, int, int[], int, Activation)} with ReLU. */
    public static Sequential mlp(Backend be, Rng rng, int in, int[] hidden, int out) {
        return mlp(be, rng, in, hidden, out, Activation.RELU);
    }

    /**
     * A multi-layer perceptron {@code in - hidden... - out}: dense layers "dense1", "dense2", ...
     * each followed by the activation {@code f} (named after it: "relu1", "tanh1", ...), and the
     * output layer "head"; He-normal weights (Xavier for the head), zero biases.
     */
    public static Sequential mlp(Backend be, Rng rng, int in, int[] hidden, int out, Activation f) {
        Sequential m = new Sequential(be, new int[] {in});
        int prev = in;
        for (int i = 0; i < hidden.length; i++) {
            m.add(new Dense("dense" + (i + 1), be, prev, hidden[i], Init.HE_NORMAL, rng));
            m.add(new ActivationLayer(f.id() + (i + 1), f));
            prev = hidden[i];
        }
        m.add(new Dense("head", be, prev, out, Init.XAVIER_NORMAL, rng));
        return m;
    }

    /** {@link #lenet(Backend, Rng, int, int, int, int, int, int, Activation)} with ReLU. */
    public static Sequential lenet(Backend be, Rng rng, int channels, int h, int w, int f1, int f2, int out) {
        return lenet(be, rng, channels, h, w, f1, f2, out, Activation.RELU);
    }

    /**
     * A LeNet-style CNN for {@code [channels, h, w]} images: conv 5x5 ("conv1", f1 filters) -
     * activation - max-pool 2 - conv 5x5 ("conv2", f2 filters) - activation - max-pool 2 -
     * flatten - dense "head".
     */
    public static Sequential lenet(Backend be, Rng rng, int channels, int h, int w, int f1, int f2, int out,
                                   Activation f) {
        Sequential m = new Sequential(be, new int[] {channels, h, w},
                new Conv2d("conv1", be, channels, f1, 5, 5, 1, 0, Init.HE_NORMAL, rng), new ActivationLayer(f.id() + "1", f),
                new MaxPool2d("pool1", 2, 2),
                new Conv2d("conv2", be, f1, f2, 5, 5, 1, 0, Init.HE_NORMAL, rng), new ActivationLayer(f.id() + "2", f),
                new MaxPool2d("pool2", 2, 2), new Flatten("flatten"));
        int[] s = m.outputShape();
        m.add(new Dense("head", be, s[0], out, Init.XAVIER_NORMAL, rng));
        return m;
    }
}
