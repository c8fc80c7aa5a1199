import java.io.File;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.DoubleSupplier;

/**
 * Two builds of Expanse in one JVM, their training steps interleaved: the A/B behind the ratios
 * of bench/RESULTS.md's "Second pass" and "Third pass". Run through bench/ab.sh.
 *
 * <p>Each build's kernels, engine and bench classes get a class loader of their own, so both keep
 * their own static state (scratch arrays, thread pools); the workloads are those of
 * {@code dev.expanse.bench.TrainSteps} (built by its private {@code workload} method). Per
 * workload: a 4 s warm-up of both, then single steps timed in turn, A then B, for the given
 * seconds. A whole process on a shared machine can run 1.6x slower than the next, which swamps a
 * 5% change; steps interleaved within one process see the same load.
 */
public final class InProcessAB {
    private InProcessAB() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 5) {
            System.err.println("usage: java InProcessAB.java DIR_A DIR_B THREADS SECONDS WORKLOAD...");
            System.exit(2);
        }
        int threads = Integer.parseInt(args[2]);
        double seconds = Double.parseDouble(args[3]);
        System.out.println("workload,threads,A median ms,B median ms,B/A median,A min ms,B min ms,B/A min,pairs");
        for (int i = 4; i < args.length; i++) {
            DoubleSupplier a = workload(args[0], threads, args[i]), b = workload(args[1], threads, args[i]);
            long warm = System.nanoTime() + 4_000_000_000L;
            while (System.nanoTime() < warm) {
                a.getAsDouble();
                b.getAsDouble();
            }
            List<Double> ta = new ArrayList<>(), tb = new ArrayList<>();
            long end = System.nanoTime() + (long) (seconds * 1e9);
            while (System.nanoTime() < end) {
                ta.add(time(a));
                tb.add(time(b));
            }
            double ma = median(ta), mb = median(tb), na = Collections.min(ta), nb = Collections.min(tb);
            System.out.printf("%s,%d,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%d%n", args[i], threads, ma, mb, mb / ma, na, nb, nb / na,
                    ta.size());
        }
        System.exit(0);
    }

    /** The TrainSteps workload {@code name} of the build in {@code dir}, on its vector backend. */
    private static DoubleSupplier workload(String dir, int threads, String name) throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String module : new String[] {"kernels", "engine", "bench"}) {
            File classes = new File(dir, module + "/target/classes");
            if (!classes.isDirectory()) {
                throw new IllegalArgumentException(classes + " is missing: run 'mvn -q compile' in " + dir);
            }
            urls.add(classes.toURI().toURL());
        }
        ClassLoader loader = new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
        Object backend = loader.loadClass("dev.expanse.kernels.cpu.CpuBackend").getMethod("vector", int.class)
                .invoke(null, threads);
        Method make = loader.loadClass("dev.expanse.bench.TrainSteps").getDeclaredMethod("workload",
                loader.loadClass("dev.expanse.kernels.Backend"), String.class);
        make.setAccessible(true);
        return (DoubleSupplier) make.invoke(null, backend, name);
    }

    private static double time(DoubleSupplier step) {
        long t0 = System.nanoTime();
        step.getAsDouble();
        return (System.nanoTime() - t0) / 1e6;
    }

    private static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }
}
