package dev.expanse.bench;

import dev.expanse.kernels.Backend;
import dev.expanse.kernels.Buffer;
import dev.expanse.kernels.ConvShape;
import dev.expanse.kernels.FrozenBlock;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The three convolution kernels (forward with bias, backward data, backward weights with bias) on
 * the OpenCL backend and on the CPU backend, same layers in one run. Each layer is named by its
 * shape, {@code nNcChHfFkKpP}: batch N, C channels of H x H, F filters of K x K, padding P,
 * stride 1. bench/clblast/sgemm_bench.c reads the same names, and
 * bench/opencl-vs-clblast.sh computes GFLOP/s = 2 N F OH OW C K K / t from them (each kernel is
 * one GEMM of that size, plus the im2col, col2im or permutation passes around it).
 * <ul>
 *   <li>{@code n64c1h28f16k5p0}: LeNet conv1 on MNIST, batch 64 (16 filters, as the CLI's lenet);</li>
 *   <li>{@code n64c16h12f32k5p0}: LeNet conv2;</li>
 *   <li>{@code n32c64h16f64k3p1}: a 3x3, 64 -> 64 layer on 16 x 16 maps, batch 32;</li>
 *   <li>{@code n64c1h28f32k5p0}, {@code n64c32h14f64k3p1}, {@code n64c64h8f64k3p1}: the three
 *       batch-64 layers of issue 11 and of bench/train-vs-pytorch.sh.</li>
 * </ul>
 * The forward result is checked on sampled cells against a double-precision sum before timing
 * (the backward kernels are checked against the scalar reference by OpenClBackendTest). Every
 * call ends with a one-float download, which waits for the OpenCL queue; see
 * {@link OpenClGemmBench#syncOnly} for its cost. The backward kernels accumulate into their
 * outputs, as the contract says, so repeated calls keep adding: harmless for timing.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Dexpanse.log=warn"})
public class OpenClConvBench {
    private static final Pattern SHAPE = Pattern.compile("n(\\d+)c(\\d+)h(\\d+)f(\\d+)k(\\d+)p(\\d+)");

    /** The layer {@code nNcChHfFkKpP}, stride 1. */
    static ConvShape shape(String name) {
        Matcher m = SHAPE.matcher(name);
        if (!m.matches()) {
            throw new IllegalArgumentException("layer '" + name + "' is not of the form nNcChHfFkKpP, e.g. n32c64h16f64k3p1");
        }
        int h = Integer.parseInt(m.group(3)), k = Integer.parseInt(m.group(5));
        return new ConvShape(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), h, h,
                Integer.parseInt(m.group(4)), k, k, 1, Integer.parseInt(m.group(6)));
    }

    @State(Scope.Thread)
    public static class Layer {
        @Param({"cpu", "opencl"})
        public String backend;

        @Param({"n64c1h28f16k5p0", "n64c16h12f32k5p0", "n32c64h16f64k3p1", "n64c1h28f32k5p0", "n64c32h14f64k3p1",
            "n64c64h8f64k3p1"})
        public String layer;

        Backend be;
        ConvShape s;
        // x, dx are [N, C, H, W]; w, dw are [F, C*K*K]; bias, db are [F]; y, dy are [N, F, OH, OW].
        Buffer x, w, bias, y, dy, dx, dw, db;
        final float[] one = new float[1];

        @Setup
        public void setup() {
            be = OpenClBenchSupport.open(backend);
            s = shape(layer);
            int in = s.n() * s.inPerImage(), out = s.n() * s.outPerImage(), weights = s.f() * s.patch();
            float[] hx = OpenClBenchSupport.random(in, 3), hw = OpenClBenchSupport.random(weights, 4);
            float[] hb = OpenClBenchSupport.random(s.f(), 5);
            x = OpenClBenchSupport.upload(be, hx);
            w = OpenClBenchSupport.upload(be, hw);
            bias = OpenClBenchSupport.upload(be, hb);
            dy = OpenClBenchSupport.upload(be, OpenClBenchSupport.random(out, 6));
            y = be.allocate(out);
            dx = be.allocate(in);
            dw = be.allocate(weights);
            db = be.allocate(s.f());
            forward();
            float[] hy = new float[out];
            be.download(y, 0, hy, 0, out);
            checkForward(hx, hw, hb, hy);
        }

        /** Sampled cells of y against the definition, summed in double. */
        private void checkForward(float[] hx, float[] hw, float[] hb, float[] hy) {
            int oh = s.oh(), ow = s.ow(), k = s.kh();
            for (int t = 0; t < 64; t++) {
                int cell = (int) ((t * 104729L + 17) % hy.length);
                int ox = cell % ow, oy = cell / ow % oh, f = cell / (oh * ow) % s.f(), n = cell / s.outPerImage();
                double want = hb[f], magnitude = Math.abs(hb[f]);
                for (int c = 0; c < s.c(); c++) {
                    for (int i = 0; i < k; i++) {
                        for (int j = 0; j < k; j++) {
                            int iy = oy + i - s.pad(), ix = ox + j - s.pad();
                            if (iy >= 0 && ix >= 0 && iy < s.h() && ix < s.w()) {
                                double term = (double) hx[((n * s.c() + c) * s.h() + iy) * s.w() + ix]
                                        * hw[f * s.patch() + (c * k + i) * k + j];
                                want += term;
                                magnitude += Math.abs(term);
                            }
                        }
                    }
                }
                OpenClBenchSupport.check(be.name() + " conv2dForward " + layer, cell, hy[cell], want, magnitude);
            }
        }

        float forward() {
            be.conv2dForward(s, x, w, s.patch(), bias, y);
            return OpenClBenchSupport.sync(be, y, one);
        }

        @TearDown
        public void close() {
            be.close();
        }
    }

    @Benchmark
    public float forward(Layer l) {
        return l.forward();
    }

    @Benchmark
    public float backwardData(Layer l) {
        l.be.conv2dBackwardData(l.s, l.dy, l.w, l.s.patch(), l.dx);
        return OpenClBenchSupport.sync(l.be, l.dx, l.one);
    }

    @Benchmark
    public float backwardWeights(Layer l) {
        l.be.conv2dBackwardWeights(l.s, l.x, l.dy, l.dw, l.s.patch(), FrozenBlock.NONE, l.db, FrozenBlock.NONE);
        return OpenClBenchSupport.sync(l.be, l.dw, l.one);
    }
}
