package dev.expanse.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.expanse.engine.nn.Architectures;
import dev.expanse.engine.nn.Conv2d;
import dev.expanse.engine.nn.Sequential;
import dev.expanse.engine.ops.Arithmetic;
import dev.expanse.engine.ops.SoftmaxCrossEntropy;
import dev.expanse.kernels.Backend;
import dev.expanse.kernels.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Ops allocate their outputs with {@link Tape#output}, which may hand back a closed buffer as its
 * last user left it. Every such op must write its whole output: after the buffer pool is filled
 * with NaN arrays of the outputs' sizes, a training step gives the same bits as before.
 */
class OutputsWrittenWholeTest {

    static java.util.stream.Stream<Backend> backends() {
        return TestBackends.all();
    }

    /** Loss, then every parameter's gradient, of one forward and backward pass. */
    private static float[] step(Backend be, Sequential net, float[] x, float[] y, int... shape) {
        for (Parameter p : net.parameters()) {
            p.zeroGrad();
        }
        List<Float> out = new ArrayList<>();
        try (Tape tape = new Tape(be, true)) {
            Tensor loss = SoftmaxCrossEntropy.forward(tape, net.forward(tape, tape.constant(x, shape)),
                    tape.constant(y, shape[0]));
            tape.backward(loss);
            out.add(loss.toArray()[0]);
        }
        for (Parameter p : net.parameters()) {
            float[] g = new float[p.rows() * p.ld()];
            be.download(p.grad(), 0, g, 0, g.length);
            for (float v : g) {
                out.add(v);
            }
        }
        float[] a = new float[out.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = out.get(i);
        }
        return a;
    }

    /** Closes, for each size, a few buffers full of NaN, so the next allocations of those sizes may get them. */
    private static void poison(Backend be, int... sizes) {
        List<Buffer> bufs = new ArrayList<>();
        for (int n : sizes) {
            for (int i = 0; i < 4; i++) {
                Buffer b = be.allocate(n);
                be.fill(b, 0, n, Float.NaN);
                bufs.add(b);
            }
        }
        bufs.forEach(Buffer::close);
    }

    private static float[] random(Rng rng, int n, int classes) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = classes > 0 ? rng.nextInt(classes) : rng.nextFloat();
        }
        return a;
    }

    @ParameterizedTest(autoCloseArguments = false) // the shared backends outlive each case
    @MethodSource("backends")
    void lenetStepIgnoresWhatClosedBuffersHeld(Backend be) {
        int n = 8;
        Rng rng = new Rng(3);
        Sequential net = Architectures.lenet(be, rng, 1, 28, 28, 4, 8, 10);
        // conv1 and its ReLU [n,4,24,24], pool [n,4,12,12], conv2 and its ReLU [n,8,8,8]
        assertPoisonChangesNothing(be, net, rng, new int[] {n, 1, 28, 28}, n * 4 * 24 * 24, n * 4 * 12 * 12, n * 8 * 8 * 8);
    }

    @ParameterizedTest(autoCloseArguments = false) // the shared backends outlive each case
    @MethodSource("backends")
    void mlpStepIgnoresWhatClosedBuffersHeld(Backend be) {
        int n = 64;
        Rng rng = new Rng(4);
        Sequential net = Architectures.mlp(be, rng, 100, new int[] {96, 80}, 10);
        assertPoisonChangesNothing(be, net, rng, new int[] {n, 100}, n * 96, n * 80, n * 100);
    }

    /** A step on random data of {@code shape}, before and after {@link #poison} of {@code sizes}: the same bits. */
    private static void assertPoisonChangesNothing(Backend be, Sequential net, Rng rng, int[] shape, int... sizes) {
        int n = shape[0], features = 1;
        for (int i = 1; i < shape.length; i++) {
            features *= shape[i];
        }
        float[] x = random(rng, n * features, 0), y = random(rng, n, 10);
        float[] fresh = step(be, net, x, y, shape);
        poison(be, sizes);
        float[] reused = step(be, net, x, y, shape);
        assertTrue(Float.isFinite(reused[0]), "loss " + reused[0]);
        assertArrayEquals(fresh, reused, "on " + be.name());
    }

    @ParameterizedTest(autoCloseArguments = false) // the shared backends outlive each case
    @MethodSource("backends")
    void addAndMulWriteTheirWholeOutputs(Backend be) {
        int n = 5000;
        Rng rng = new Rng(5);
        float[] a = random(rng, n, 0), b = random(rng, n, 0);
        poison(be, n);
        try (Tape tape = new Tape(be, false)) {
            Tensor x = tape.constant(a, n), y = tape.constant(b, n);
            float[] sum = Arithmetic.add(tape, x, y).toArray(), product = Arithmetic.mul(tape, x, y).toArray();
            for (int i = 0; i < n; i++) {
                assertTrue(sum[i] == a[i] + b[i] && product[i] == a[i] * b[i], "element " + i + " on " + be.name());
            }
        }
    }

    /**
     * {@link Tape#backward(Tensor, float[])} takes the output's gradient buffer unzeroed where the
     * seed fills it whole: a conv layer's gradients from a seed, before and after the pool is
     * filled with NaN arrays of the output's size, are the same bits, and the output's gradient is
     * the seed.
     */
    @ParameterizedTest(autoCloseArguments = false) // the shared backends outlive each case
    @MethodSource("backends")
    void aSeedFillsTheWholeGradientItSeeds(Backend be) {
        int n = 3, out = n * 5 * 6 * 6;
        Rng rng = new Rng(6);
        Conv2d conv = new Conv2d("conv", be, 2, 5, 3, 3, 1, 0, Init.HE_NORMAL, rng);
        float[] x = random(rng, n * 2 * 8 * 8, 0), seed = random(rng, out, 0);
        float[][] fresh = seeded(be, conv, x, seed);
        poison(be, out);
        float[][] reused = seeded(be, conv, x, seed);
        assertArrayEquals(seed, reused[0], "the output's gradient on " + be.name());
        for (int k = 0; k < fresh.length; k++) {
            assertArrayEquals(fresh[k], reused[k], "gradient " + k + " on " + be.name());
        }
    }

    /** The output's gradient, the input's and the weight's after a backward from {@code seed}. */
    private static float[][] seeded(Backend be, Conv2d conv, float[] x, float[] seed) {
        conv.weight().zeroGrad();
        conv.bias().zeroGrad();
        try (Tape tape = new Tape(be, true)) {
            Tensor in = tape.variable(x, 3, 2, 8, 8), y = conv.forward(tape, in);
            tape.backward(y, seed);
            float[] dw = new float[conv.weight().rows() * conv.weight().ld()];
            be.download(conv.weight().grad(), 0, dw, 0, dw.length);
            return new float[][] {y.gradToArray(), in.gradToArray(), dw};
        }
    }
}
