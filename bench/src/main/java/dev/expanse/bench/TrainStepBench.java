package dev.expanse.bench;

import dev.expanse.engine.Init;
import dev.expanse.engine.Rng;
import dev.expanse.engine.Tape;
import dev.expanse.engine.Tensor;
import dev.expanse.engine.nn.Architectures;
import dev.expanse.engine.nn.Sequential;
import dev.expanse.engine.ops.SoftmaxCrossEntropy;
import dev.expanse.engine.optim.Adam;
import dev.expanse.kernels.Backend;
import dev.expanse.kernels.cpu.CpuBackend;
import java.util.Map;
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
 * One training step (forward, backward, Adam) on a batch of 128, for three nets of the same
 * final size, 784-500-300-10:
 * <ul>
 *   <li>{@code plain}: built at that size, everything trainable (the baseline);</li>
 *   <li>{@code frozenExpanse}: 784-300-200-5 grown in place to it, every old row frozen (old
 *       block and zero new-to-old columns), so the backward pass skips the frozen rows' weight
 *       gradients and Adam skips their cells;</li>
 *   <li>{@code publishedExpanse}: grown likewise but nothing frozen (the authors' variant).</li>
 * </ul>
 * The target is frozenExpanse <= 1.05x plain; it should be faster.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 6, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class TrainStepBench {

    @Param({"plain", "frozenExpanse", "publishedExpanse"})
    public String net;

    private Backend be;
    private Sequential model;
    private Adam adam;
    private float[] x, y;

    @Setup
    public void setup() {
        be = CpuBackend.vector(Runtime.getRuntime().availableProcessors());
        Rng rng = new Rng(1);
        if (net.equals("plain")) {
            model = Architectures.mlp(be, rng, 784, new int[] {500, 300}, 10);
        } else {
            model = Architectures.mlp(be, rng, 784, new int[] {300, 200}, 5);
            model.grow(Map.of("dense1", 200, "dense2", 100, "head", 5), Init.HE_NORMAL,
                    net.equals("frozenExpanse") ? Init.ZEROS : Init.normal(0.05), rng);
            if (net.equals("frozenExpanse")) model.freezeOld();
        }
        adam = new Adam(model::parameters, 1e-3f);
        x = new float[128 * 784];
        y = new float[128];
        for (int i = 0; i < x.length; i++) x[i] = rng.nextFloat();
        for (int i = 0; i < y.length; i++) y[i] = rng.nextInt(10);
    }

    @TearDown
    public void close() {
        be.close();
    }

    @Benchmark
    public float step() {
        float loss;
        try (Tape tape = new Tape(be, true)) {
            Tensor l = SoftmaxCrossEntropy.forward(tape, model.forward(tape, tape.constant(x, 128, 784)),
                    tape.constant(y, 128));
            tape.backward(l);
            loss = l.toArray()[0];
        }
        adam.step();
        return loss;
    }
}
