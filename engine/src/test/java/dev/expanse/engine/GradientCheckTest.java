package dev.expanse.engine;

import dev.expanse.engine.nn.ActivationLayer;
import dev.expanse.engine.nn.Conv2d;
import dev.expanse.engine.nn.Dense;
import dev.expanse.engine.nn.Flatten;
import dev.expanse.engine.nn.MaxPool2d;
import dev.expanse.engine.nn.Sequential;
import dev.expanse.engine.ops.Activate;
import dev.expanse.engine.ops.Arithmetic;
import dev.expanse.engine.ops.Distillation;
import dev.expanse.engine.ops.Conv;
import dev.expanse.engine.ops.Linear;
import dev.expanse.engine.ops.MaxPool;
import dev.expanse.engine.ops.SoftmaxCrossEntropy;
import dev.expanse.kernels.Activation;
import dev.expanse.kernels.Backend;
import dev.expanse.kernels.FrozenBlock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every op and layer against central finite differences (see {@link GradCheck}).
 *
 * <p>Step h = 1e-2; tolerance |num - ana| <= 5e-4 + 5e-3*|num|. Piecewise-linear ops are exactly
 * linear between kinks, and inputs keep a margin above h from every kink, so the only error is
 * float32 rounding of the forward (about 1e-6 in L, 5e-5 after dividing by 2h). For the smooth
 * softmax cross-entropy the truncation error h^2/6 * f''' is below 2e-5.
 */
class GradientCheckTest {
    private static final double H = 1e-2, ATOL = 5e-4, RTOL = 5e-3;

    static java.util.stream.Stream<Backend> backends() {
        return TestBackends.all();
    }

    private static GradCheck check(Backend be) {
        return new GradCheck(be, H, ATOL, RTOL);
    }

    /** A parameter with spare capacity, so the leading dimension exceeds the column count. */
    private static Parameter param(Backend be, String name, int rows, int cols, Rng rng) {
        Parameter p = new Parameter(name, be, rows, cols, rows + 3, cols + 5);
        p.set(GradCheck.uniform(rng, rows * cols));
        return p;
    }

    @ParameterizedTest(autoCloseArguments = false) // the shared backends outlive each case
    @MethodSource("backends")
    void linear(Backend be) {
        int[][] shapes = {{1, 1, 1}, {1, 5, 3}, {3, 7, 5}, {4, 17, 2}};
        for (int[] s : shapes) {
            int n = s[0], in = s[1], out = s[2];
            Rng rng = new Rng(11 + n * 31L + in);
            Parameter w = param(be, "w", out, in, rng), b = param(be, "b", out, 1, rng);
            check(be).input(GradCheck.uniform(rng, n * in), n, in).param(w).param(b)
                    .check((t, x) -> Linear.forward(t, x[0], w, b), 1);
        }
    }

    @ParameterizedTest(autoCloseArguments = false) // the shared backends outlive each case
    @MethodSource("backends")
    void linearWithFrozenBlock(Backend be) {
        Rng rng = new Rng(5);
        Parameter w = param(be, "w", 6, 9, rng), b = param(be, "b", 6, 1, rng);
        w.freeze(new FrozenBlock(4, 5));
        b.freeze(new FrozenBlock(4, 1));
        check(be).input(GradCheck.uniform(rng, 3 * 9), 3, 9).param(w).param(b)
                .check((t, x) -> Linear.forward(t, x[0], w, b), 2);
    }

    /** Weight and bias have blocks of their own: frozen weight rows with a trainable bias, and the reverse. */
    @ParameterizedTest(autoCloseArguments = false) // the shared backends outlive each case
    @MethodSource("backends")
    void linearWithSeparateWeightAndBiasBlocks(Backend be) {
        FrozenBlock[][] blocks = {
            {new FrozenBlock(4, 5), FrozenBlock.NONE},
            {FrozenBlock.NONE, FrozenBlock.rows(4)},
            {FrozenBlock.rows(2), FrozenBlock.rows(5)},
        };
        for (FrozenBlock[] fb : blocks) {
            Rng rng = new Rng(15);
            Parameter w = param(be, "w", 6, 9, rng), b = param(be, "b", 6, 1, rng);
            w.freeze(fb[0]);
            b.freeze(fb[1]);
            check(be).input(GradCheck.uniform(rng, 3 * 9), 3, 9).param(w).param(b)
                    .check((t, x) -> Linear.forward(t, x[0], w, b), 12);
        }
    }

    @ParameterizedTest(autoCloseArguments = false) // the shared backends outlive each case
    @MethodSource("backends")
    void conv(Backend be) {
        // {n, c, h, w, f, kh, kw, stride, pad}
        int[][] shapes = {
            {1, 1, 4, 4, 1, 3, 3, 1, 0},
            {2, 2, 7, 5, 3, 3, 3, 2, 1},
            {1, 3, 6, 9, 2, 2, 3, 1, 2},
            {3, 1, 5, 5, 2, 1, 1, 2, 0},
            {1, 2, 8, 6, 4, 5, 5, 2, 2},
        };
        for (int[] s : shapes) {
            Rng rng = new Rng(s[1] * 100 + s[2] * 10 + s[7]);
            int patch = s[1] * s[5] * s[6];
            Parameter w = param(be, "w", s[4], patch, rng), b = param(be, "b", s[4], 1, rng);
            check(be).input(GradCheck.uniform(rng, s[0] * s[1] * s[2] * s[3]), s[0], s[1], s[2], s[3])
                    .param(w).param(b)
                    .check((t, x) -> Conv.forward(t, x[0], w, b, s[5], s[6], s[7], s[8]), 3);
        }
    }

    @ParameterizedTest(autoCloseArguments = false) // the shared backends outlive each case
    @MethodSource("backends")
    void convWithFrozenBlock(Backend be) {
        Rng rng = new Rng(8);
        // 3 filters over 2 channels of 3x3; freeze 2 filters x the first channel and 4 taps of the second
        Parameter w = param(be, "w", 3, 18, rng), b = param(be, "b", 3, 1, rng);
        w.freeze(new FrozenBlock(2, 13));
        b.freeze(new FrozenBlock(2, 1));
        check(be).input(GradCheck.uniform(rng, 2 * 2 * 5 * 6), 2, 2, 5, 6).param(w).param(b)
                .check((t, x) -> Conv.forward(t, x[0], w, b, 3, 3, 1, 1), 4);
    }

    /**
     * Weight and bias have blocks of their own. The first case was a bug: the bias gradient of
     * the weight's frozen rows was skipped (0 where the numeric one is 2.50).
     */
    @ParameterizedTest(autoCloseArguments = false) // the shared backends outlive each case
    @MethodSource("backends")
    void convWithSeparateWeightAndBiasBlocks(Backend be) {
        FrozenBlock[][] blocks = {
            {new FrozenBlock(2, 13), FrozenBlock.NONE},
            {FrozenBlock.NONE, FrozenBlock.rows(2)},
            {FrozenBlock.rows(3), FrozenBlock.NONE},
            {FrozenBlock.rows(1), FrozenBlock.rows(3)},
        };
        for (FrozenBlock[] fb : blocks) {
            Rng rng = new Rng(18);
            Parameter w = param(be, "w", 3, 18, rng), b = param(be, "b", 3, 1, rng);
            w.freeze(fb[0]);
            b.freeze(fb[1]);
            check(be).input(GradCheck.uniform(rng, 2 * 2 * 5 * 6), 2, 2, 5, 6).param(w).param(b)
                    .check((t, x) -> Conv.forward(t, x[0], w, b, 3, 3, 1, 1), 13);
        }
    }

    @ParameterizedTest(autoCloseArguments = false) // the shared backends outlive each case
    @MethodSource("backends")
    void maxPool(Backend be) {
        // {n, c, h, w, k, stride}
        int[][] shapes = {{1, 1, 2, 2, 2, 2}, {2, 3, 5, 7, 2, 2}, {1, 2, 6, 5, 3, 1}, {3, 1, 7, 4, 3, 2}};
        for (int[] s : shapes) {
            Rng rng = new Rng(s[2] * 7 + s[3]);
            check(be).input(GradCheck.distinct(rng, s[0] * s[1] * s[2] * s[3], 0.05), s[0], s[1], s[2], s[3])
                    .check((t, x) -> MaxPool.forward(t, x[0], s[4], s[5]), 5);
        }
    }

    /** Every activation of the family, by itself: a new constant is checked without a new line here. */
    @ParameterizedTest(autoCloseArguments = false) // the shared backends outlive each case
    @MethodSource("backends")
    void activations(Backend be) {
        for (Activation f : Activation.values()) {
            for (int n : new int[] {1, 15, 17, 100}) {
                Rng rng = new Rng(n + 31L * f.ordinal());
                float[] x = GradCheck.awayFromZero(rng, n, 0.05);
                for (int i = 0; i < n; i++) x[i] *= 3; // into the curved parts of tanh, sigmoid and GELU
                check(be).input(x, n).check((t, in) -> Activate.forward(t, in[0], f), 6);
            }
        }
    }

    @ParameterizedTest(autoCloseArguments = false) // the shared backends outlive each case
    @MethodSource("backends")
    void addAndMul(Backend be) {
        Rng rng = new Rng(9);
        check(be).input(GradCheck.uniform(rng, 21), 3, 7).input(GradCheck.uniform(rng, 21), 3, 7)
                .check((t, x) -> Arithmetic.mul(t, Arithmetic.add(t, x[0], x[1]), x[1]), 7);
    }

    @ParameterizedTest(autoCloseArguments = false) // the shared backends outlive each case
    @MethodSource("backends")
    void softmaxCrossEntropy(Backend be) {
        int[][] shapes = {{1, 2}, {1, 10}, {5, 3}, {4, 17}};
        for (int[] s : shapes) {
            Rng rng = new Rng(s[0] * 13 + s[1]);
            float[] labels = new float[s[0]];
            for (int i = 0; i < labels.length; i++) labels[i] = rng.nextInt(s[1]);
            float[] logits = GradCheck.uniform(rng, s[0] * s[1]);
            for (int i = 0; i < logits.length; i++) logits[i] *= 3;
            check(be).input(logits, s[0], s[1])
                    .check((t, x) -> SoftmaxCrossEntropy.forward(t, x[0], t.constant(labels, s[0])), 8);
        }
    }

    @ParameterizedTest(autoCloseArguments = false) // the shared backends outlive each case
    @MethodSource("backends")
    void distillationAddedToCrossEntropy(Backend be) {
        // k = cols distils every output; k < cols leaves the newest outputs to cross-entropy alone.
        int[][] shapes = {{1, 2, 2}, {5, 3, 2}, {4, 7, 4}};
        for (int[] s : shapes) {
            Rng rng = new Rng(s[0] * 31 + s[1] * 7 + s[2]);
            float[] labels = new float[s[0]];
            for (int i = 0; i < labels.length; i++) labels[i] = rng.nextInt(s[1]);
            float[] teacher = GradCheck.uniform(rng, s[0] * s[2]);
            for (int i = 0; i < teacher.length; i++) teacher[i] *= 4;
            float[] logits = GradCheck.uniform(rng, s[0] * s[1]);
            for (int i = 0; i < logits.length; i++) logits[i] *= 3;
            check(be).input(logits, s[0], s[1]).check((t, x) -> Arithmetic.add(t,
                    SoftmaxCrossEntropy.forward(t, x[0], t.constant(labels, s[0])),
                    Distillation.forward(t, x[0], teacher, s[2], 2f, 1.5f)), 8);
        }
    }

    @ParameterizedTest(autoCloseArguments = false) // the shared backends outlive each case
    @MethodSource("backends")
    void mlpLayers(Backend be) {
        Rng rng = new Rng(21);
        Sequential mlp = new Sequential(be, new int[] {7},
                new Dense("d1", be, 7, 9, Init.HE_UNIFORM, rng), new ActivationLayer("r1", Activation.RELU),
                new Dense("d2", be, 9, 4, Init.XAVIER_UNIFORM, rng));
        for (var p : mlp.parameters()) p.set(GradCheck.awayFromZero(rng, (int) p.size(), 0.1));
        GradCheck g = check(be).input(GradCheck.awayFromZero(rng, 2 * 7, 0.1), 2, 7);
        mlp.parameters().forEach(g::param);
        g.check((t, x) -> mlp.forward(t, x[0]), 9);
    }

    @ParameterizedTest(autoCloseArguments = false) // the shared backends outlive each case
    @MethodSource("backends")
    void cnnLayers(Backend be) {
        Rng rng = new Rng(22);
        Sequential cnn = new Sequential(be, new int[] {2, 9, 7},
                new Conv2d("c1", be, 2, 3, 3, 3, 2, 1, Init.HE_NORMAL, rng), new ActivationLayer("r1", Activation.RELU),
                new MaxPool2d("p1", 2, 1), new Flatten("f"),
                new Dense("head", be, 3 * 4 * 3, 3, Init.XAVIER_NORMAL, rng));
        GradCheck g = check(be).skipKinks(1e-4).input(GradCheck.uniform(rng, 2 * 2 * 9 * 7), 2, 2, 9, 7);
        cnn.parameters().forEach(g::param);
        g.check((t, x) -> cnn.forward(t, x[0]), 10);
    }
}
