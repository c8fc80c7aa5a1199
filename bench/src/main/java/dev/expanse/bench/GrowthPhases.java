package dev.expanse.bench;

import dev.expanse.engine.Init;
import dev.expanse.engine.Parameter;
import dev.expanse.engine.Rng;
import dev.expanse.engine.nn.Growable;
import dev.expanse.engine.nn.Sequential;
import dev.expanse.kernels.Backend;
import dev.expanse.kernels.cpu.CpuBackend;
import java.util.Arrays;
import java.util.Map;

/**
 * Where the time of {@link ExpansionBench#inPlace} goes: on a fresh model each time, as there
 * (built and reserved untimed, so the caches hold the build, not the model's small objects), one
 * of three things is timed, in turn:
 * <ul>
 *   <li>{@code grow}: the whole {@link Sequential#grow}, plan checks and history included;</li>
 *   <li>{@code layers}: only the two layer calls it makes ({@code growOutputs} of the first,
 *       {@code growInputs} of the second);</li>
 *   <li>{@code draw}: only the draw of the new weights into a new array ({@link Init#fill}).</li>
 * </ul>
 * Medians after the first third. {@code grow - layers} is the bookkeeping over cold memory;
 * {@code layers - draw} the array and its upload into the reserved rows.
 *
 * <pre>
 *   java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar dev.expanse.bench.GrowthPhases [dense|conv] [rounds]
 * </pre>
 */
public final class GrowthPhases {
    private GrowthPhases() {
    }

    public static void main(String[] args) {
        String layer = args.length > 0 ? args[0] : "dense";
        if (!layer.equals("dense") && !layer.equals("conv")) {
            throw new IllegalArgumentException("layer must be dense or conv, got " + layer);
        }
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 1500;
        int g = layer.equals("dense") ? 64 : 32;
        String[] names = {"grow", "layers", "draw"};
        long[][] t = new long[3][rounds];
        try (Backend be = CpuBackend.vector(Runtime.getRuntime().availableProcessors())) {
            for (int r = 0; r < rounds; r++) {
                for (int k = 0; k < 3; k++) {
                    Rng rng = new Rng(r);
                    Sequential m = ExpansionBench.build(be, rng, layer, 0);
                    ExpansionBench.reserve(m, g);
                    Parameter w = m.parameters().get(0);
                    long t0 = System.nanoTime();
                    switch (k) {
                        case 0 -> m.grow(Map.of("a", g), Init.HE_UNIFORM, Init.ZEROS, rng);
                        case 1 -> {
                            ((Growable) m.layer("a")).growOutputs(g, Init.HE_UNIFORM, rng);
                            ((Growable) m.layer("b")).growInputs(g, Init.ZEROS, rng);
                        }
                        default -> {
                            if (Init.HE_UNIFORM.fill(rng, g * w.cols(), w.cols(), w.rows() + g).length == 0) throw new AssertionError();
                        }
                    }
                    t[k][r] = System.nanoTime() - t0;
                    m.parameters().forEach(Parameter::close);
                }
            }
            System.out.println("backend: " + be.name() + ", " + layer + " +" + g + ", " + rounds + " rounds");
        }
        for (int k = 0; k < 3; k++) {
            long[] s = Arrays.copyOfRange(t[k], rounds / 3, rounds);
            Arrays.sort(s);
            System.out.printf("%-7s median %7.1f us   min %7.1f us%n", names[k], s[s.length / 2] / 1e3, s[0] / 1e3);
        }
    }
}
