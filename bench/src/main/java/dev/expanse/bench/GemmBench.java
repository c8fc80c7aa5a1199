package dev.expanse.bench;

import dev.expanse.kernels.Buffer;
import dev.expanse.kernels.cpu.CpuBackend;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Square single-precision GEMM, {@code C = A * B} with n x n matrices, through the public
 * {@link dev.expanse.kernels.Backend} API of the Vector API CPU backend.
 *
 * <p>One operation is one call of {@code gemm}: 2 n^3 floating-point operations, so
 * GFLOP/s = 2 n^3 / (time per op in ns). bench/gemm-vs-openblas.sh turns the times into GFLOP/s
 * and sets them beside OpenBLAS's sgemm (numpy.matmul) on the same sizes and thread counts.
 *
 * <p>Pitfalls this avoids:
 * <ul>
 *   <li>beta = 0, so every call does the same work: C does not grow call after call, and nothing
 *       depends on how many calls the harness made;</li>
 *   <li>the inputs are random, not zeros, so no fast path or denormal slow path is taken;</li>
 *   <li>the output buffer goes to a {@link Blackhole}, so the JIT cannot prove the call useless;</li>
 *   <li>buffers and the thread pool are made once per trial, outside the measurement;</li>
 *   <li>the mode samples single calls, and the script quotes their median, as the peer script does
 *       for numpy: on a shared machine a call preempted by another process lands in the tail
 *       instead of dragging an average down.</li>
 * </ul>
 * Run with {@code --add-modules jdk.incubator.vector} in the forked JVM
 * ({@code -jvmArgsAppend "--add-modules jdk.incubator.vector"}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class GemmBench {

    @Param({"256", "512", "1024"})
    public int size;

    @Param({"1", "2"})
    public int threads;

    private CpuBackend backend;
    private Buffer a, b, c;

    @Setup(Level.Trial)
    public void setUp() {
        backend = CpuBackend.vector(threads);
        int n = size;
        a = upload(n * n, 1);
        b = upload(n * n, 2);
        c = backend.allocate((long) n * n);
    }

    private Buffer upload(int count, long seed) {
        Random rnd = new Random(seed);
        float[] host = new float[count];
        for (int i = 0; i < count; i++) {
            host[i] = rnd.nextFloat() * 2f - 1f;
        }
        Buffer buf = backend.allocate(count);
        backend.upload(host, 0, buf, 0, count);
        return buf;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        a.close();
        b.close();
        c.close();
        backend.close();
    }

    /** C [n, n] = A [n, n] * B [n, n]. */
    @Benchmark
    public void gemm(Blackhole bh) {
        multiply();
        bh.consume(c);
    }

    private void multiply() {
        int n = size;
        backend.gemm(false, false, n, n, n, 1f, a, 0, n, b, 0, n, 0f, c, 0, n);
    }

    /**
     * The same multiply on one thread, timed by that thread's CPU clock instead of the wall clock,
     * so time spent preempted by other processes on a shared machine is not counted (their cache
     * traffic still is). Prints {@code size,GFLOP/s} lines, from the median CPU time of single calls
     * after about 2 s of warm-up. The peer script measures OpenBLAS the same way (time.thread_time).
     *
     * <pre>java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar \
     *     'dev.expanse.bench.GemmBench$CpuTime' 256,512,1024</pre>
     */
    public static final class CpuTime {
        public static void main(String[] args) {
            ThreadMXBean clock = ManagementFactory.getThreadMXBean();
            for (String arg : args[0].split(",")) {
                GemmBench bench = new GemmBench();
                bench.size = Integer.parseInt(arg);
                bench.threads = 1;
                bench.setUp();
                long warmEnd = clock.getCurrentThreadCpuTime() + 2_000_000_000L;
                while (clock.getCurrentThreadCpuTime() < warmEnd) {
                    bench.multiply();
                }
                long[] ns = new long[Math.max(7, (int) Math.min(200, 2e10 / Math.pow(bench.size, 3)))];
                for (int i = 0; i < ns.length; i++) {
                    long t0 = clock.getCurrentThreadCpuTime();
                    bench.multiply();
                    ns[i] = clock.getCurrentThreadCpuTime() - t0;
                }
                Arrays.sort(ns);
                double n = bench.size;
                System.out.printf("%d,%.1f%n", bench.size, 2 * n * n * n / ns[ns.length / 2]);
                bench.tearDown();
            }
        }
    }
}
