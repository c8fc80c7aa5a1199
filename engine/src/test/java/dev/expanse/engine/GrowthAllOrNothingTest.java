package dev.expanse.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.expanse.engine.nn.Architectures;
import dev.expanse.engine.nn.Sequential;
import dev.expanse.engine.optim.Adam;
import dev.expanse.kernels.Backend;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Growth is all or nothing: a plan that cannot be done is refused before anything changes, and a
 * growth that fails part-way (out of memory, an initialiser that throws) is undone. After each
 * failure the model is exactly as it was: sizes, old marks, weights and logits bit for bit, and
 * it still trains and grows.
 */
class GrowthAllOrNothingTest {
    private static final Backend BE = TestBackends.SCALAR;

    /** Everything a growth could change: each parameter's sizes, old marks, frozen block and values. */
    private static List<String> state(Sequential m) {
        List<String> s = new ArrayList<>();
        for (Parameter p : m.parameters()) {
            s.add(p.name() + " " + p.extent() + " " + p.frozen() + " " + java.util.Arrays.hashCode(p.toArray()));
        }
        return s;
    }

    private static void assertUnchanged(Sequential m, List<String> state, float[][] logits, String what) {
        assertEquals(state, state(m), what);
        assertArrayEquals(logits, GrowthTest.probe(m), what + ": logits");
    }

    /** The MLP 784-300-200-10 after a few Adam steps (so optimizer slots exist). */
    private static Sequential trainedMlp(Backend be) {
        Rng rng = new Rng(5);
        Sequential m = Architectures.mlp(be, rng, 784, new int[] {300, 200}, 10);
        GrowthTest.train(m, new Adam(m::parameters, 1e-3f), rng, 2, 10);
        return m;
    }

    @Test
    void aPlanTooLargeForABufferIsRefusedBeforeAnyChange() {
        Sequential m = trainedMlp(BE);
        List<String> before = state(m);
        float[][] logits = GrowthTest.probe(m);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> m.grow(Map.of("dense1", 4, "dense2", 1 << 28), Init.HE_NORMAL, Init.ZEROS, new Rng(1)));
        assertTrue(e.getMessage().contains("dense2") && e.getMessage().contains("more than"), e.getMessage());
        assertUnchanged(m, before, logits, "{dense1: 4, dense2: 2^28}");

        e = assertThrows(IllegalArgumentException.class,
                () -> m.grow(Map.of("dense1", Integer.MAX_VALUE), Init.HE_NORMAL, Init.ZEROS, new Rng(1)));
        assertTrue(e.getMessage().contains("dense1.weight"), e.getMessage());
        assertUnchanged(m, before, logits, "{dense1: Integer.MAX_VALUE}");

        m.grow(Map.of("dense1", 4, "dense2", 2), Init.HE_NORMAL, Init.ZEROS, new Rng(1)); // still grows
        assertEquals(304, m.parameters().get(0).rows());
        GrowthTest.train(m, new Adam(m::parameters, 1e-3f), new Rng(2), 1, 10);
    }

    @Test
    void aNullInitialiserIsRefusedBeforeConv1Grows() {
        Rng rng = new Rng(3);
        Sequential m = GrowthTest.cnn(BE, rng);
        List<String> before = state(m);
        float[][] logits = GrowthTest.probe(m);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> m.grow(Map.of("c1", 2), Init.HE_NORMAL, null, rng));
        assertTrue(e.getMessage().contains("new-to-old"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> m.grow(Map.of("c1", 2), null, Init.ZEROS, rng));
        assertUnchanged(m, before, logits, "null initialiser");
    }

    /** An initialiser that fails after some draws: conv1 and conv2 have grown by then, and are shrunk back. */
    @Test
    void anInitialiserThatThrowsPartWayIsUndone() {
        Sequential m = GrowthTest.cnn(BE, new Rng(4));
        List<String> before = state(m);
        float[][] logits = GrowthTest.probe(m);
        int[] draws = {0};
        Init failing = (r, fanIn, fanOut) -> {
            if (++draws[0] > 40) throw new IllegalStateException("initialiser failed");
            return 0.5f;
        };
        assertThrows(IllegalStateException.class, () -> m.grow(Map.of("c1", 2, "c2", 3), Init.HE_NORMAL, failing, new Rng(1)));
        assertTrue(draws[0] > 40, "the failure came part-way");
        assertUnchanged(m, before, logits, "initialiser failure");
    }

    /**
     * Every allocation of a growth fails in turn (an OutOfMemoryError from the backend): after each
     * the model is as it was; the growth that finally succeeds equals the same growth of a twin
     * that never failed.
     */
    @Test
    void anAllocationFailureAtAnyPointIsRolledBack() {
        int[] countdown = {-1};
        Backend failing = failingAt(countdown);
        for (boolean conv : new boolean[] {false, true}) {
            Sequential m = conv ? GrowthTest.cnn(failing, new Rng(6)) : GrowthTest.mlp(failing, new Rng(6));
            Sequential twin = conv ? GrowthTest.cnn(BE, new Rng(6)) : GrowthTest.mlp(BE, new Rng(6));
            GrowthTest.train(m, new Adam(m::parameters, 1e-2f), new Rng(7), 3, 5);
            GrowthTest.train(twin, new Adam(twin::parameters, 1e-2f), new Rng(7), 3, 5);
            Map<String, Integer> plan = conv ? Map.of("c1", 3, "c2", 9, "head", 5) : Map.of("d1", 30, "d2", 20, "head", 5);
            List<String> before = state(m);
            float[][] logits = GrowthTest.probe(m);
            int failures = 0;
            for (int n = 0; ; n++) {
                countdown[0] = n;
                try {
                    m.grow(plan, Init.HE_NORMAL, Init.ZEROS, new Rng(8));
                    break;
                } catch (OutOfMemoryError e) {
                    failures++;
                    assertUnchanged(m, before, logits, "allocation " + n + " failed (conv=" + conv + ")");
                }
            }
            countdown[0] = -1;
            assertTrue(failures >= 3, "growth allocated only " + failures + " times");
            twin.grow(plan, Init.HE_NORMAL, Init.ZEROS, new Rng(8));
            assertEquals(state(twin), state(m), "conv=" + conv);
            assertArrayEquals(GrowthTest.probe(twin), GrowthTest.probe(m));
        }
    }

    /** The scalar backend, except that the allocation {@code countdown[0]} from now throws OutOfMemoryError. */
    private static Backend failingAt(int[] countdown) {
        return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class}, (p, method, args) -> {
            if (method.getName().equals("allocate") && countdown[0] >= 0 && countdown[0]-- == 0) {
                throw new OutOfMemoryError("injected: allocate(" + args[0] + ")");
            }
            try {
                return method.invoke(BE, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
    }
}
