package dev.expanse.bench;

import dev.expanse.kernels.Backend;
import dev.expanse.kernels.Buffer;
import java.util.concurrent.TimeUnit;
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
 * Square single-precision GEMM, C = A B (n x n, row-major, no transposes, beta 0), on the OpenCL
 * backend and on the CPU backend's Vector API kernel, same sizes in one run. GFLOP/s = 2 n^3 / t.
 * bench/opencl-vs-clblast.sh puts CLBlast's SGEMM (bench/clblast/sgemm_bench.c) next to it.
 *
 * <p>Pitfalls avoided:
 * <ul>
 *   <li>The OpenCL backend returns as soon as a kernel is enqueued; each call ends with a
 *       one-float download, which waits for it. {@link #syncOnly} times that download alone, the
 *       floor under every figure (it is tens of microseconds on PoCL, noise at these sizes).</li>
 *   <li>The result is checked on sampled cells against a double-precision dot product before
 *       anything is timed, and the synced float is returned so the JIT cannot drop the call.</li>
 *   <li>Sample mode, so that medians (p50) can be quoted: the machine these figures come from is
 *       shared, and the mean follows its load spikes.</li>
 * </ul>
 * {@code backend} takes any {@link dev.expanse.kernels.Backends#select(String)} choice, e.g.
 * {@code -p backend=cpu,opencl:nvidia}.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Dexpanse.log=warn"})
public class OpenClGemmBench {

    /** Operands of one n x n x n multiply on one backend. */
    @State(Scope.Thread)
    public static class Operands {
        @Param({"cpu", "opencl"})
        public String backend;

        @Param({"256", "512", "1024"})
        public int size;

        Backend be;
        Buffer a, b, c;
        final float[] one = new float[1];

        @Setup
        public void setup() {
            be = OpenClBenchSupport.open(backend);
            int n = size;
            float[] ha = OpenClBenchSupport.random(n * n, 1), hb = OpenClBenchSupport.random(n * n, 2);
            a = OpenClBenchSupport.upload(be, ha);
            b = OpenClBenchSupport.upload(be, hb);
            c = be.allocate((long) n * n);
            multiply();
            float[] hc = new float[n * n];
            be.download(c, 0, hc, 0, hc.length);
            for (int t = 0; t < 64; t++) {
                int i = (int) ((t * 7919L) % n), j = (int) ((t * 104729L + 13) % n);
                double want = 0, magnitude = 0;
                for (int p = 0; p < n; p++) {
                    double term = (double) ha[i * n + p] * hb[p * n + j];
                    want += term;
                    magnitude += Math.abs(term);
                }
                OpenClBenchSupport.check(be.name() + " gemm " + n, i * n + j, hc[i * n + j], want, magnitude);
            }
        }

        float multiply() {
            be.gemm(false, false, size, size, size, 1f, a, 0, size, b, 0, size, 0f, c, 0, size);
            return OpenClBenchSupport.sync(be, c, one);
        }

        @TearDown
        public void close() {
            be.close();
        }
    }

    /** One backend and a one-float buffer, for the sync baseline. */
    @State(Scope.Thread)
    public static class Device {
        @Param({"cpu", "opencl"})
        public String backend;

        Backend be;
        Buffer x;
        final float[] one = new float[1];

        @Setup
        public void setup() {
            be = OpenClBenchSupport.open(backend);
            x = be.allocate(1);
        }

        @TearDown
        public void close() {
            be.close();
        }
    }

    @Benchmark
    public float gemm(Operands s) {
        return s.multiply();
    }

    /** The baseline: the one-float download that ends every measured call, alone. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public float syncOnly(Device d) {
        return OpenClBenchSupport.sync(d.be, d.x, d.one);
    }
}
