package dev.expanse.bench;

import dev.expanse.kernels.Backend;
import dev.expanse.kernels.ConvShape;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link OpenClGemmBench} and {@link OpenClConvBench} for one OpenCL device and the CPU
 * backend through the JMH API, and prints their medians (sample-mode p50) side by side as
 * markdown tables, with a peer's figures next to them when given (CLBlast, from the output of
 * bench/clblast/sgemm_bench). Used by bench/opencl-vs-clblast.sh and by the bundle of
 * bench/gpu-check.sh, where there is neither Maven nor python.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp benchmarks.jar dev.expanse.bench.OpenClReport
 *     [--backend opencl:pocl] [--sizes 256,512,1024] [--layers n64c1h28f16k5p0,...]
 *     [--warmup 5] [--iterations 5] [--rounds 1] [--peer clblast.txt] [--log jmh.log]
 * </pre>
 * With several rounds, each figure is the median of its rounds, and each OpenCL/CPU ratio the
 * median of the ratios of the rounds, with their range; every round runs each GEMM size and each
 * layer on both backends in one JMH run, so that a ratio compares figures taken close together.
 * Exits with status 1 when a benchmark fails (its result check included).
 */
public final class OpenClReport {
    /** Median ms per benchmark key, one per round. */
    private final Map<String, List<Double>> ms = new HashMap<>();
    private final Map<String, Double> peerMs = new HashMap<>();
    private String peerDevice = "";

    private OpenClReport() {
    }

    public static void main(String[] args) throws IOException, RunnerException {
        Map<String, String> opt = new HashMap<>(Map.of("--backend", "opencl", "--sizes", "256,512,1024",
                "--layers", "n64c1h28f16k5p0,n64c16h12f32k5p0,n32c64h16f64k3p1,n64c1h28f32k5p0,n64c32h14f64k3p1,n64c64h8f64k3p1", "--warmup", "5", "--iterations", "5", "--rounds", "1"));
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --option value pairs, got " + String.join(" ", args));
            }
            opt.put(args[i], args[i + 1]);
        }
        String cl = opt.get("--backend");
        String clName, cpuName;
        try (Backend be = OpenClBenchSupport.open(cl); Backend cpu = OpenClBenchSupport.open("cpu")) {
            clName = be.name();
            cpuName = cpu.name();
        }
        OpenClReport report = new OpenClReport();
        int rounds = Integer.parseInt(opt.get("--rounds"));
        for (int round = 0; round < rounds; round++) {
            // One JMH run per GEMM size and per layer, both backends in it, so that the two figures
            // of a ratio are taken minutes apart at most, in every round.
            List<String[]> units = new ArrayList<>();
            for (String n : opt.get("--sizes").split(",")) {
                String methods = units.isEmpty() ? "(gemm|syncOnly)" : "gemm";
                units.add(new String[] {OpenClGemmBench.class.getName() + "\\." + methods + "$", "size", n});
            }
            for (String layer : opt.get("--layers").split(",")) {
                units.add(new String[] {OpenClConvBench.class.getName() + "\\.", "layer", layer});
            }
            for (String[] unit : units) {
                report.run(new OptionsBuilder().include(unit[0]).param("backend", "cpu", cl).param(unit[1], unit[2])
                        .warmupIterations(Integer.parseInt(opt.get("--warmup"))).warmupTime(TimeValue.seconds(1))
                        .measurementIterations(Integer.parseInt(opt.get("--iterations"))).measurementTime(TimeValue.seconds(1))
                        .forks(1)
                        .shouldFailOnError(true), opt.get("--log"));
            }
        }
        if (opt.containsKey("--peer")) {
            report.readPeer(Path.of(opt.get("--peer")));
        }
        System.out.print(report.tables(clName, cpuName, opt.get("--sizes").split(","), opt.get("--layers").split(",")));
    }

    /** Runs one JMH set and adds its medians to those of the earlier rounds; JMH's output goes to {@code log}, if given (each run replaces it). */
    private void run(ChainedOptionsBuilder jmh, String log) throws RunnerException {
        if (log != null) {
            jmh.output(log);
        }
        for (RunResult r : new Runner(jmh.build()).run()) {
            String method = r.getParams().getBenchmark().substring(r.getParams().getBenchmark().lastIndexOf('.') + 1);
            String backend = r.getParams().getParam("backend").equals("cpu") ? "cpu" : "cl";
            String what = method.equals("gemm") ? r.getParams().getParam("size")
                    : method.equals("syncOnly") ? "" : r.getParams().getParam("layer");
            ms.computeIfAbsent(key(method, backend, what), k -> new ArrayList<>()).add(medianMs(r.getPrimaryResult()));
        }
    }

    private static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** The median over rounds of cpu/cl (a speed ratio of cl against cpu), with its range when there are several rounds. */
    private String ratio(String method, String what) {
        List<Double> cl = ms.get(key(method, "cl", what)), cpu = ms.get(key(method, "cpu", what));
        List<Double> r = new ArrayList<>();
        for (int i = 0; i < Math.min(cl.size(), cpu.size()); i++) {
            r.add(cpu.get(i) / cl.get(i));
        }
        String m = String.format(Locale.ROOT, "%.2fx", median(r));
        return r.size() < 2 ? m : m + String.format(Locale.ROOT, " (%.2f-%.2f)", r.stream().min(Double::compare).get(),
                r.stream().max(Double::compare).get());
    }

    private double ms(String method, String backend, String what) {
        return median(ms.get(key(method, backend, what)));
    }

    private static String key(String method, String backend, String what) {
        return method + "/" + backend + "/" + what;
    }

    private static double medianMs(Result<?> r) {
        double p50 = r.getStatistics().getPercentile(50);
        String unit = r.getScoreUnit();
        TimeUnit tu = unit.startsWith("us") ? TimeUnit.MICROSECONDS : unit.startsWith("ns") ? TimeUnit.NANOSECONDS
                : unit.startsWith("s/") ? TimeUnit.SECONDS : TimeUnit.MILLISECONDS;
        return p50 * tu.toNanos(1) / 1e6;
    }

    /** Lines "device NAME", "gemm N MS GFLOPS" and "conv LAYER MS GFLOPS" of sgemm_bench. */
    private void readPeer(Path file) throws IOException {
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String[] f = line.trim().split("\\s+");
            if (f[0].equals("device")) {
                peerDevice = line.trim().substring("device".length()).trim();
            } else if (f.length >= 3 && (f[0].equals("gemm") || f[0].equals("conv"))) {
                peerMs.put(f[0] + "/" + f[1], Double.parseDouble(f[2]));
            }
        }
    }

    private static double gflops(double flops, double millis) {
        return flops / (millis * 1e-3) * 1e-9;
    }

    /** 2 N F OH OW C K K: one GEMM of the convolution's size. */
    private static double convFlops(ConvShape s) {
        return 2.0 * s.n() * s.f() * s.oh() * s.ow() * s.patch();
    }

    private String tables(String clName, String cpuName, String[] sizes, String[] layers) {
        boolean peer = !peerMs.isEmpty();
        StringBuilder t = new StringBuilder();
        t.append(String.format(Locale.ROOT, "Backends: %s; %s%s%n%n", clName, cpuName,
                peer ? "; CLBlast (default parameters) on: " + peerDevice : ""));
        t.append("GEMM, n x n x n, no transposes: GFLOP/s = 2n^3 / median time\n\n");
        t.append(peer ? "| n | ours OpenCL GFLOP/s | CLBlast GFLOP/s | ours CPU GFLOP/s | ours/CLBlast | oursCL/oursCPU |\n|---|---|---|---|---|---|\n"
                : "| n | OpenCL GFLOP/s | CPU GFLOP/s | OpenCL/CPU |\n|---|---|---|---|\n");
        for (String n : sizes) {
            double flops = 2.0 * Math.pow(Integer.parseInt(n), 3);
            double cl = gflops(flops, ms("gemm", "cl", n)), cpu = gflops(flops, ms("gemm", "cpu", n));
            Double p = peerMs.get("gemm/" + n);
            if (peer) {
                String blast = p == null ? "-" : String.format(Locale.ROOT, "%.1f", gflops(flops, p));
                String ratio = p == null ? "-" : String.format(Locale.ROOT, "%.1fx", cl / gflops(flops, p));
                t.append(String.format(Locale.ROOT, "| %s | %.1f | %s | %.1f | %s | %s |%n", n, cl, blast, cpu, ratio, ratio("gemm", n)));
            } else {
                t.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %s |%n", n, cl, cpu, ratio("gemm", n)));
            }
        }
        t.append("\nConvolution, layer nNcChHfFkKpP (stride 1): median ms (GFLOP/s = 2 N F OH OW C K K / t)")
                .append(peer ? "; CLBlast has a forward only (Sconvgemm, without bias)\n\n" : "\n\n");
        t.append(peer ? "| layer | kernel | ours OpenCL | CLBlast | ours CPU | ours/CLBlast | oursCL/oursCPU |\n|---|---|---|---|---|---|---|\n"
                : "| layer | kernel | OpenCL | CPU | OpenCL/CPU |\n|---|---|---|---|---|\n");
        for (String layer : layers) {
            double flops = convFlops(OpenClConvBench.shape(layer));
            for (String kernel : List.of("forward", "backwardData", "backwardWeights")) {
                double cl = ms(kernel, "cl", layer), cpu = ms(kernel, "cpu", layer);
                List<String> cells = new ArrayList<>(List.of(layer, kernel, cell(cl, flops)));
                Double p = kernel.equals("forward") ? peerMs.get("conv/" + layer) : null;
                if (peer) {
                    cells.add(p == null ? "-" : cell(p, flops));
                }
                cells.add(cell(cpu, flops));
                if (peer) {
                    cells.add(p == null ? "-" : String.format(Locale.ROOT, "%.1fx", p / cl));
                }
                cells.add(ratio(kernel, layer));
                t.append("| ").append(String.join(" | ", cells)).append(" |\n");
            }
        }
        if (ms.containsKey(key("syncOnly", "cl", "")) && ms.containsKey(key("syncOnly", "cpu", ""))) {
            t.append(String.format(Locale.ROOT, "%nSync floor (the one-float download ending every call above): OpenCL %.0f us, CPU %.1f us%n",
                    ms("syncOnly", "cl", "") * 1e3, ms("syncOnly", "cpu", "") * 1e3));
        }
        return t.toString();
    }

    private static String cell(double millis, double flops) {
        return String.format(Locale.ROOT, "%.2f ms (%.1f)", millis, gflops(flops, millis));
    }
}
