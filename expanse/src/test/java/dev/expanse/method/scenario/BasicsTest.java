package dev.expanse.method.scenario;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.expanse.engine.Rng;
import dev.expanse.engine.data.Dataset;
import dev.expanse.engine.data.Datasets;
import dev.expanse.kernels.Backend;
import dev.expanse.kernels.cpu.CpuBackend;
import dev.expanse.method.basics.PrototypeBasics;
import dev.expanse.method.strategy.NetSpec;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The basics by kind, and that the backend a caller gives is the one a rule trains on. */
class BasicsTest {

    /** {@code inner}, counting every call made to it. */
    private static Backend counting(Backend inner, AtomicInteger calls) {
        return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                (proxy, method, args) -> {
                    calls.incrementAndGet();
                    try {
                        return method.invoke(inner, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static void assertSameData(Dataset expected, Dataset actual) {
        assertArrayEquals(expected.labels(), actual.labels());
        for (int i = 0; i < expected.size(); i++) assertArrayEquals(expected.image(i), actual.image(i), 0f, "image " + i);
    }

    @Test
    void confidentLinearTrainsOnTheBackendItIsGiven() throws IOException {
        Dataset train = Datasets.fixture("mnist", Datasets.Part.TRAIN);
        AtomicInteger calls = new AtomicInteger();
        try (Backend cpu = CpuBackend.scalar()) {
            Backend be = counting(cpu, calls);
            Dataset chosen = Basics.Kind.CONFIDENT_LINEAR.of(DataSource.MNIST, 4, 1).basics(train, new Rng(4), be);
            assertTrue(calls.get() > 0, "the linear model trained elsewhere");
            assertSameData(PrototypeBasics.select(train, 4, PrototypeBasics.Rule.CONFIDENT_LINEAR, new Rng(4), cpu), chosen);

            calls.set(0);
            Basics.Kind.NEAREST_MEAN.of(DataSource.MNIST, 4, 1).basics(train, new Rng(4), be);
            assertEquals(0, calls.get(), "nearest-mean trains nothing");
        }
    }

    @Test
    void aScenarioMakesItsBasicsOnTheRunnersBackend() throws IOException {
        Dataset train = Datasets.fixture("fashion-mnist", Datasets.Part.TRAIN);
        Dataset test = Datasets.fixture("fashion-mnist", Datasets.Part.TEST);
        ScenarioConfig c = ScenarioConfig.split(DataSource.FASHION, NetSpec.publishedMlp(), 0.1, Hyper.defaults(), true);
        Basics confident = Basics.Kind.CONFIDENT_LINEAR.of(DataSource.FASHION, 3, 1);
        AtomicInteger calls = new AtomicInteger();
        try (Backend cpu = CpuBackend.scalar()) {
            ScenarioData d = ScenarioData.prepare(c, train, test, train, test, confident, confident, new Rng(2), counting(cpu, calls));
            assertTrue(calls.get() > 0, "basics trained elsewhere");
            assertEquals(5 * 3, d.sourceBasics().size());
        }
    }

    @Test
    void kindsParseByTheirCommandLineNamesAndAutoPicksByDataset() throws IOException {
        for (Basics.Kind k : Basics.Kind.values()) assertEquals(k, Basics.Kind.parse(k.cliName()));
        assertEquals("confident-linear", Basics.Kind.CONFIDENT_LINEAR.cliName());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Basics.Kind.parse("crayons"));
        assertTrue(e.getMessage().contains("nearest-mean"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Basics.Kind.GLYPHS.of(DataSource.FASHION, 3, 1));

        Dataset train = Datasets.fixture("fashion-mnist", Datasets.Part.TRAIN);
        assertSameData(Basics.Kind.NEAREST_MEAN.of(DataSource.FASHION, 3, 1).basics(train, new Rng(1), null),
                Basics.Kind.AUTO.of(DataSource.FASHION, 3, 1).basics(train, new Rng(1), null));
    }
}
