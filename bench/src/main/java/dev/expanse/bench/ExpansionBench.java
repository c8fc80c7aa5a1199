package dev.expanse.bench;

import dev.expanse.engine.Init;
import dev.expanse.engine.Parameter;
import dev.expanse.engine.Rng;
import dev.expanse.engine.nn.Conv2d;
import dev.expanse.engine.nn.Dense;
import dev.expanse.engine.nn.ActivationLayer;
import dev.expanse.kernels.Activation;
import dev.expanse.engine.nn.Sequential;
import dev.expanse.kernels.Backend;
import dev.expanse.kernels.cpu.CpuBackend;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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
 * The cost of widening a layer: in place (our growable matrices) against what Keras, PyTorch and
 * DL4J users must do, which is to build a new, larger model (every weight initialised by the layer
 * constructors) and copy the old weights into its top-left blocks.
 *
 * <p>Two layers, so that the growth of the first is absorbed by the second as new inputs:
 * <ul>
 *   <li>{@code dense}: Dense 1024 -> 1024 -> 1024, the first grows by +64 outputs;</li>
 *   <li>{@code conv}: Conv2d 3x3 64 -> 64 -> 64 filters, the first grows to 96 filters.</li>
 * </ul>
 * Every invocation starts from a fresh model (JMH Level.Invocation setup, not timed). Both
 * sides draw new weights with He-uniform; the in-place side reserved capacity beforehand, the
 * usual case when a plan is known. {@code inPlacePastCapacity} shows the re-allocating case.
 * Sample mode, so that medians can be quoted: allocation makes the mean noisy on a shared machine.
 * Pitfall avoided: results are returned so the JIT cannot drop the work.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ExpansionBench {

    /** A fresh two-layer model per invocation; with {@code reserved}, capacity for the growth is made first. */
    @State(Scope.Thread)
    public abstract static class Fresh {
        @Param({"dense", "conv"})
        public String layer;

        Backend be;
        Sequential model;
        Rng rng;

        @Setup(Level.Trial)
        public void backend() {
            be = CpuBackend.vector(Runtime.getRuntime().availableProcessors());
        }

        @Setup(Level.Invocation)
        public void freshModel() {
            rng = new Rng(1);
            model = build(be, rng, layer, 0);
            if (reserved()) reserve(model, growth());
        }

        @TearDown(Level.Invocation)
        public void release() {
            model.parameters().forEach(Parameter::close);
        }

        @TearDown(Level.Trial)
        public void closeBackend() {
            be.close();
        }

        abstract boolean reserved();

        int growth() {
            return layer.equals("dense") ? 64 : 32;
        }
    }

    public static class Reserved extends Fresh {
        @Override boolean reserved() { return true; }
    }

    public static class Exact extends Fresh {
        @Override boolean reserved() { return false; }
    }

    static Sequential build(Backend be, Rng rng, String layer, int extra) {
        if (layer.equals("dense")) {
            return new Sequential(be, new int[] {1024},
                    new Dense("a", be, 1024, 1024 + extra, Init.HE_UNIFORM, rng), new ActivationLayer("r", Activation.RELU),
                    new Dense("b", be, 1024 + extra, 1024, Init.HE_UNIFORM, rng));
        }
        return new Sequential(be, new int[] {64, 16, 16},
                new Conv2d("a", be, 64, 64 + extra, 3, 3, 1, 1, Init.HE_UNIFORM, rng), new ActivationLayer("r", Activation.RELU),
                new Conv2d("b", be, 64 + extra, 64, 3, 3, 1, 1, Init.HE_UNIFORM, rng));
    }

    static void reserve(Sequential model, int g) {
        if (model.layer("a") instanceof Dense a) {
            a.reserve(a.outputs() + g, a.inputs());
            Dense b = (Dense) model.layer("b");
            b.reserve(b.outputs(), b.inputs() + g);
        } else {
            Conv2d a = (Conv2d) model.layer("a"), b = (Conv2d) model.layer("b");
            a.reserve(a.outputs() + g, a.inputs());
            b.reserve(b.outputs(), b.inputs() + g);
        }
    }

    /** Growth inside the reserved capacity: only the new cells are written. */
    @Benchmark
    public Sequential inPlace(Reserved s) {
        s.model.grow(Map.of("a", s.growth()), Init.HE_UNIFORM, Init.ZEROS, s.rng);
        return s.model;
    }

    /** Growth with no spare capacity: every buffer of both layers is re-allocated (1.5x) and copied. */
    @Benchmark
    public Sequential inPlacePastCapacity(Exact s) {
        s.model.grow(Map.of("a", s.growth()), Init.HE_UNIFORM, Init.ZEROS, s.rng);
        return s.model;
    }

    /** What other frameworks do: construct a larger model, copy the old weights in, drop the old one. */
    @Benchmark
    public Sequential rebuildAndCopy(Exact s) {
        Sequential bigger = build(s.be, s.rng, s.layer, s.growth());
        copyInto(s.model, bigger);
        s.model.parameters().forEach(Parameter::close);
        s.model = bigger;
        return bigger;
    }

    /** Copies each old parameter into the top-left block of its larger twin, on the device. */
    static void copyInto(Sequential from, Sequential to) {
        List<Parameter> src = from.parameters(), dst = to.parameters();
        for (int i = 0; i < src.size(); i++) {
            Parameter s = src.get(i), d = dst.get(i);
            s.backend().copy2d(s.rows(), s.cols(), s.data(), 0, s.ld(), d.data(), 0, d.ld());
        }
    }
}
