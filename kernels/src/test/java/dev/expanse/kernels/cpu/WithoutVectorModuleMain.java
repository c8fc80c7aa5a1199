package dev.expanse.kernels.cpu;

import dev.expanse.kernels.Activation;
import dev.expanse.kernels.Backend;
import dev.expanse.kernels.Buffer;
import dev.expanse.kernels.ConvShape;
import dev.expanse.kernels.FrozenBlock;
import java.util.Arrays;

/**
 * Run by {@link WithoutVectorModuleTest} in a JVM started without {@code --add-modules
 * jdk.incubator.vector}: draws uniform weights (CpuSplitMix), creates the CPU backend the ways
 * callers do, runs a kernel of several families on each and checks hand-computed results. Prints
 * one line per backend, its name; on a wrong result prints the difference and exits with status 1. Uses the public API only, and no
 * test helper, so nothing here can load a Vector API class by itself.
 */
public final class WithoutVectorModuleMain {
    private WithoutVectorModuleMain() {
    }

    public static void main(String[] args) {
        checkUniformDraw();
        for (CpuBackend backend : new CpuBackend[] {CpuBackend.fromProperties(), CpuBackend.vector(2)}) {
            try (backend) {
                check(backend);
                System.out.println("backend: " + backend.name() + " vector=" + backend.isVector());
            }
        }
    }

    private static void check(Backend b) {
        // gemm: [[1, 2], [3, 4]]^2
        float[] a = {1, 2, 3, 4};
        expect(b, "gemm", new float[] {7, 10, 15, 22}, 0f, out -> b.gemm(false, false, 2, 2, 2, 1f,
                up(b, a), 0, 2, up(b, a), 0, 2, 0f, out, 0, 2), 4);
        // relu forward of {-1, 2}; backward adds dy {5, 6} to dx {1, 1} where x > 0
        expect(b, "relu forward", new float[] {0, 2}, 0f, y -> b.activationForward(Activation.RELU, 2, up(b, -1, 2), y), 2);
        expect(b, "relu backward", new float[] {1, 7}, 0f, dx -> {
            b.upload(new float[] {1, 1}, 0, dx, 0, 2);
            b.activationBackward(Activation.RELU, 2, up(b, -1, 2), up(b, 0, 2), up(b, 5, 6), dx, true);
        }, 2);
        expect(b, "gelu forward", new float[] {0.841192f}, 1e-6f, y -> b.activationForward(Activation.GELU, 1, up(b, 1), y), 1);
        // conv: one 3 x 3 image, 2 x 2 taps [[1, 2], [3, 4]], bias 0.5
        ConvShape s = new ConvShape(1, 1, 3, 3, 1, 2, 2, 1, 0);
        expect(b, "conv forward", new float[] {37.5f, 47.5f, 67.5f, 77.5f}, 0f,
                y -> b.conv2dForward(s, up(b, 1, 2, 3, 4, 5, 6, 7, 8, 9), up(b, 1, 2, 3, 4), 4, up(b, 0.5f), y), 4);
        // adam step 1 on w = 1, g = 0.5 (m^ = 0.5, v^ = 0.25, w = 1 - 0.1 * 0.5 / 0.5), cell 0 frozen
        expect(b, "adam", new float[] {1, 0.9f, 0.9f}, 1e-6f, w -> {
            b.upload(new float[] {1, 1, 1}, 0, w, 0, 3);
            b.adamStep(1, 3, 3, new FrozenBlock(1, 1), w, up(b, 0.5f, 0.5f, 0.5f), b.allocate(3), b.allocate(3),
                    0.1f, 0.9f, 0.999f, 1e-8f, 1);
        }, 3);
    }

    /** The bulk draw of weights takes its scalar loop: one SplitMix64 draw per cell, in order. */
    private static void checkUniformDraw() {
        float[] drawn = new float[11];
        long end = CpuSplitMix.fillUniform(drawn, 42, 0.5);
        for (int i = 0; i < drawn.length; i++) {
            double u = (CpuSplitMix.mix(42 + (i + 1) * CpuSplitMix.GOLDEN) >>> 11) * 0x1.0p-53;
            if (drawn[i] != (float) ((u * 2 - 1) * 0.5)) {
                System.out.println("uniform draw: cell " + i + " gave " + drawn[i] + ", expected " + (float) ((u * 2 - 1) * 0.5));
                System.exit(1);
            }
        }
        if (end != 42 + drawn.length * CpuSplitMix.GOLDEN) {
            System.out.println("uniform draw: state " + end + " after " + drawn.length + " draws from 42");
            System.exit(1);
        }
    }

    private interface Kernel {
        void run(Buffer out);
    }

    private static void expect(Backend b, String what, float[] expected, float tol, Kernel kernel, int n) {
        Buffer out = b.allocate(n);
        kernel.run(out);
        float[] actual = new float[n];
        b.download(out, 0, actual, 0, n);
        for (int i = 0; i < n; i++) {
            if (!(Math.abs(actual[i] - expected[i]) <= tol)) {
                System.out.println(b.name() + ": " + what + " gave " + Arrays.toString(actual)
                        + ", expected " + Arrays.toString(expected));
                System.exit(1);
            }
        }
    }

    private static Buffer up(Backend b, float... values) {
        Buffer buffer = b.allocate(values.length);
        b.upload(values, 0, buffer, 0, values.length);
        return buffer;
    }
}
