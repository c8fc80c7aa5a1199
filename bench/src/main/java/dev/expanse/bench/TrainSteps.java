package dev.expanse.bench;

import dev.expanse.engine.Init;
import dev.expanse.engine.Rng;
import dev.expanse.engine.Tape;
import dev.expanse.engine.Tensor;
import dev.expanse.engine.nn.Architectures;
import dev.expanse.engine.nn.Conv2d;
import dev.expanse.engine.nn.Sequential;
import dev.expanse.engine.ops.SoftmaxCrossEntropy;
import dev.expanse.engine.optim.Adam;
import dev.expanse.kernels.Backend;
import dev.expanse.kernels.Buffer;
import dev.expanse.kernels.ConvShape;
import dev.expanse.kernels.FrozenBlock;
import dev.expanse.kernels.cpu.CpuBackend;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Expanse side of bench/train-vs-pytorch.sh: whole training steps and single conv layers,
 * timed step by step exactly as its peer bench/train_pytorch.py times PyTorch: every workload is
 * built, then each runs untimed for {@code --warmup} seconds, then each in turn (after 0.3 s more)
 * has every step of a {@code --measure}-second window timed on its own; the median is reported. Not JMH: both sides must use the same clock and the same statistic, and a step is
 * long enough (milliseconds) for {@link System#nanoTime()}.
 *
 * <pre>
 *   java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar dev.expanse.bench.TrainSteps \
 *       --threads 2 --warmup 2 --measure 1 --workloads mlp:784-500-300-10:b128,lenet:32-64:b128
 * </pre>
 *
 * Workloads (the names are the peer's too):
 * <ul>
 *   <li>{@code mlp:IN-H1-H2-OUT:bB}: one Adam step (forward, cross-entropy, backward, update) of
 *       an MLP with ReLU at batch B;</li>
 *   <li>{@code frozen-mlp:IN-H1-H2-OUT:oldA-B-C:bB}: the same net grown in place from IN-A-B-C,
 *       every old row frozen (the frozen EXPANSE step of TrainStepBench);</li>
 *   <li>{@code lenet:F1-F2:bB}: LeNet on 28x28 images (conv5x5 1->F1, ReLU, pool 2, conv5x5
 *       F1->F2, ReLU, pool 2, dense -> 10);</li>
 *   <li>{@code gemm:nN}: one square N x N x N float GEMM, C = A B, on the backend's buffers;</li>
 *   <li>{@code conv-fwd:nNcChHfFkKpP}: one conv layer's forward with bias, no tape;</li>
 *   <li>{@code conv-fwdbwd:nNcChHfFkKpP}: its forward, then the backward to dx, dW and db;</li>
 *   <li>{@code conv-bwd-data:nNcChHfFkKpP} and {@code conv-bwd-weights:nNcChHfFkKpP}: the two halves
 *       of that backward on their own, straight on the backend (dx; dW and db, each zeroed first
 *       within the timed step), to show which one a gap is in.</li>
 * </ul>
 * Output: one CSV line per workload,
 * {@code expanse,<threads>,<workload>,<median ms>,<min ms>,<steps>,<median CPU ms on 1 thread, else ->}.
 */
public final class TrainSteps {
    private TrainSteps() {
    }

    /** The workload names' forms, for the error on a malformed one. */
    private static final String FORMS = "mlp:IN-H1-H2-OUT:bB, frozen-mlp:IN-H1-H2-OUT:oldA-B-C:bB, lenet:F1-F2:bB, gemm:nN, "
            + "conv-fwd|conv-fwdbwd|conv-bwd-data|conv-bwd-weights:nNcChHfFkKpP";

    /** One step of a workload; returns something that depends on its result, so it cannot be dropped. */
    private static DoubleSupplier workload(Backend be, String name) {
        try {
            return parsedWorkload(be, name);
        } catch (IndexOutOfBoundsException | NumberFormatException e) {
            throw new IllegalArgumentException("malformed workload '" + name + "' (" + e.getMessage() + "); its forms: "
                    + FORMS, e);
        }
    }

    private static DoubleSupplier parsedWorkload(Backend be, String name) {
        String[] part = name.split(":");
        Rng rng = new Rng(1);
        switch (part[0]) {
            case "mlp": {
                int[] d = dims(part[1]);
                return trainStep(be, mlp(be, rng, d), batch(part[2]), new int[] {d[0]}, rng);
            }
            case "frozen-mlp": {
                int[] to = dims(part[1]), from = dims(to[0] + "-" + part[2].substring("old".length()));
                Sequential net = mlp(be, rng, from);
                Map<String, Integer> plan = new HashMap<>();
                for (int i = 1; i < to.length; i++) {
                    plan.put(i == to.length - 1 ? "head" : "dense" + i, to[i] - from[i]);
                }
                net.grow(plan, Init.HE_NORMAL, Init.ZEROS, rng);
                net.freezeOld();
                return trainStep(be, net, batch(part[3]), new int[] {to[0]}, rng);
            }
            case "lenet": {
                int[] f = dims(part[1]);
                Sequential net = Architectures.lenet(be, rng, 1, 28, 28, f[0], f[1], 10);
                return trainStep(be, net, batch(part[2]), new int[] {1, 28, 28}, rng);
            }
            case "gemm":
                return gemm(be, Integer.parseInt(part[1].substring(1)), rng);
            case "conv-fwd":
                return conv(be, shape(part[1]), false, rng);
            case "conv-fwdbwd":
                return conv(be, shape(part[1]), true, rng);
            case "conv-bwd-data":
                return convBackward(be, shape(part[1]), true, rng);
            case "conv-bwd-weights":
                return convBackward(be, shape(part[1]), false, rng);
            default:
                throw new IllegalArgumentException("unknown workload '" + name + "'; the forms: " + FORMS);
        }
    }

    private static Sequential mlp(Backend be, Rng rng, int[] d) {
        return Architectures.mlp(be, rng, d[0], Arrays.copyOfRange(d, 1, d.length - 1), d[d.length - 1]);
    }

    private static DoubleSupplier trainStep(Backend be, Sequential net, int batch, int[] in, Rng rng) {
        Adam adam = new Adam(net::parameters, 1e-3f);
        int classes = net.outputShape()[0], features = Arrays.stream(in).reduce(1, (a, b) -> a * b);
        float[] x = random(rng, batch * features), y = new float[batch];
        for (int i = 0; i < batch; i++) y[i] = rng.nextInt(classes);
        int[] shape = new int[in.length + 1];
        shape[0] = batch;
        System.arraycopy(in, 0, shape, 1, in.length);
        return () -> {
            float loss;
            try (Tape tape = new Tape(be, true)) {
                Tensor l = SoftmaxCrossEntropy.forward(tape, net.forward(tape, tape.constant(x, shape)),
                        tape.constant(y, batch));
                tape.backward(l);
                loss = l.toArray()[0];
            }
            adam.step();
            return loss;
        };
    }

    private static DoubleSupplier conv(Backend be, ConvShape s, boolean backward, Rng rng) {
        Conv2d layer = new Conv2d("conv", be, s.c(), s.f(), s.kh(), s.kw(), s.stride(), s.pad(), Init.HE_NORMAL, rng);
        float[] x = random(rng, s.n() * s.inPerImage()), dy = random(rng, s.n() * s.outPerImage());
        return () -> {
            try (Tape tape = new Tape(be, backward)) {
                Tensor xt = backward ? tape.variable(x, s.n(), s.c(), s.h(), s.w()) : tape.constant(x, s.n(), s.c(), s.h(), s.w());
                Tensor y = layer.forward(tape, xt);
                if (backward) {
                    tape.backward(y, dy);
                    layer.weight().zeroGrad();
                    layer.bias().zeroGrad();
                }
                float[] probe = new float[1];
                be.download(y.data(), 0, probe, 0, 1);
                return probe[0];
            }
        };
    }

    /** One backward kernel of a conv layer: to the input ({@code toInput}), or to the weights and bias. */
    private static DoubleSupplier convBackward(Backend be, ConvShape s, boolean toInput, Rng rng) {
        int in = s.n() * s.inPerImage(), out = s.n() * s.outPerImage(), weights = s.f() * s.patch();
        Buffer x = be.allocate(in), dy = be.allocate(out), w = be.allocate(weights);
        be.upload(random(rng, in), 0, x, 0, in);
        be.upload(random(rng, out), 0, dy, 0, out);
        be.upload(random(rng, weights), 0, w, 0, weights);
        Buffer dx = be.allocate(in), dw = be.allocate(weights), db = be.allocate(s.f());
        float[] probe = new float[1];
        return () -> {
            if (toInput) {
                be.fill(dx, 0, in, 0f);
                be.conv2dBackwardData(s, dy, w, s.patch(), dx);
                be.download(dx, 0, probe, 0, 1);
            } else {
                be.fill(dw, 0, weights, 0f);
                be.fill(db, 0, s.f(), 0f);
                be.conv2dBackwardWeights(s, x, dy, dw, s.patch(), FrozenBlock.NONE, db, FrozenBlock.NONE);
                be.download(dw, 0, probe, 0, 1);
            }
            return probe[0];
        };
    }

    private static DoubleSupplier gemm(Backend be, int n, Rng rng) {
        Buffer a = be.allocate((long) n * n), b = be.allocate((long) n * n), c = be.allocate((long) n * n);
        be.upload(random(rng, n * n), 0, a, 0, n * n);
        be.upload(random(rng, n * n), 0, b, 0, n * n);
        float[] probe = new float[1];
        return () -> {
            be.gemm(false, false, n, n, n, 1f, a, 0, n, b, 0, n, 0f, c, 0, n);
            be.download(c, 0, probe, 0, 1);
            return probe[0];
        };
    }

    private static int[] dims(String s) {
        return Arrays.stream(s.split("-")).mapToInt(Integer::parseInt).toArray();
    }

    private static int batch(String s) {
        return Integer.parseInt(s.substring(1));
    }

    private static final Pattern CONV = Pattern.compile("n(\\d+)c(\\d+)h(\\d+)f(\\d+)k(\\d+)p(\\d+)");

    private static ConvShape shape(String s) {
        Matcher m = CONV.matcher(s);
        if (!m.matches()) throw new IllegalArgumentException("conv shape nNcChHfFkKpP expected, got " + s);
        int[] v = new int[6];
        for (int i = 0; i < 6; i++) v[i] = Integer.parseInt(m.group(i + 1));
        return new ConvShape(v[0], v[1], v[2], v[2], v[3], v[4], v[4], 1, v[5]);
    }

    private static float[] random(Rng rng, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = rng.nextFloat();
        return a;
    }

    /**
     * {median ms, min ms, steps, median CPU ms} of single steps timed over {@code measure} seconds
     * (at least 5 steps). The CPU time is the calling thread's, which is the whole step's only on
     * one thread; it leaves out the time the thread waited preempted, so it shows the code's cost
     * on a busy machine.
     */
    static double[] timed(DoubleSupplier step, double measure) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        double sink = 0;
        List<Double> times = new ArrayList<>(), cpu = new ArrayList<>();
        long end = System.nanoTime() + (long) (measure * 1e9);
        while (System.nanoTime() < end || times.size() < 5) {
            long c0 = mx.getCurrentThreadCpuTime(), t0 = System.nanoTime();
            sink += step.getAsDouble();
            times.add((System.nanoTime() - t0) / 1e6);
            cpu.add((mx.getCurrentThreadCpuTime() - c0) / 1e6);
        }
        if (Double.isNaN(sink)) System.err.println("NaN result");
        return new double[] {median(times), Collections.min(times), times.size(), median(cpu)};
    }

    /** Runs {@code step} for {@code seconds} (at least once), untimed. */
    static void warm(DoubleSupplier step, double seconds) {
        double sink = 0;
        long end = System.nanoTime() + (long) (seconds * 1e9);
        do {
            sink += step.getAsDouble();
        } while (System.nanoTime() < end);
        if (Double.isNaN(sink)) System.err.println("NaN result");
    }

    private static double median(List<Double> values) {
        List<Double> v = new ArrayList<>(values);
        Collections.sort(v);
        int n = v.size();
        return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    }

    public static void main(String[] args) {
        Map<String, String> opt = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) opt.put(args[i], args[i + 1]);
        int threads = Integer.parseInt(opt.getOrDefault("--threads", "1"));
        double warmup = Double.parseDouble(opt.getOrDefault("--warmup", "2"));
        double measure = Double.parseDouble(opt.getOrDefault("--measure", "1"));
        String[] names = opt.getOrDefault("--workloads", "mlp:784-500-300-10:b128").split(",");
        try (CpuBackend be = CpuBackend.vector(threads)) {
            System.out.println("# config " + System.getProperty("java.vm.name") + " " + Runtime.version() + ", " + be.name());
            List<DoubleSupplier> steps = new ArrayList<>();
            for (String name : names) steps.add(workload(be, name));
            // every workload warms up first, so the JIT has seen them all before any is timed
            for (DoubleSupplier step : steps) warm(step, warmup);
            for (int w = 0; w < names.length; w++) {
                warm(steps.get(w), Math.min(0.3, warmup));
                double[] r = timed(steps.get(w), measure);
                System.out.printf("expanse,%d,%s,%.4f,%.4f,%d,%s%n", threads, names[w], r[0], r[1], (int) r[2],
                        threads == 1 ? String.format("%.4f", r[3]) : "-");
            }
        }
    }
}
