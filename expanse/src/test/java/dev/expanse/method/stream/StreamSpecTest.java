package dev.expanse.method.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.expanse.engine.Rng;
import dev.expanse.engine.data.Dataset;
import dev.expanse.method.scenario.DataSource;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamSpecTest {

    @Test
    void presetsAndWrittenStreamsParse() {
        StreamSpec s = StreamSpec.parse("split-mnist");
        assertEquals(5, s.size());
        assertEquals(10, s.totalClasses());
        assertArrayEquals(new int[] {6, 7}, s.get(3).classes());
        assertEquals(6, s.offset(3));
        assertEquals("split-mnist", s.id());
        StreamSpec w = StreamSpec.parse("mnist:7,3/fashion:0-2/mnist:0-2");
        assertEquals(List.of(DataSource.MNIST, DataSource.FASHION), w.datasets());
        assertArrayEquals(new int[] {3, 7}, w.get(0).classes());
        assertEquals(2 + 3 + 3, w.totalClasses());
        assertEquals("mnist:3,7/fashion-mnist:0-2/mnist:0-2", w.written());
        assertTrue(w.id().matches("[A-Za-z0-9._-]+"), w.id());
        for (String preset : StreamSpec.PRESETS.keySet()) assertEquals(preset, StreamSpec.parse(preset).name());
    }

    @Test
    void badStreamsAreRefusedNamingTheFault() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StreamSpec.parse("mnist:0,1/mnist:1,2"));
        assertTrue(e.getMessage().contains("class 1 of mnist is in experience 1 and again in experience 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> StreamSpec.parse("mnist:0-4"));
        e = assertThrows(IllegalArgumentException.class, () -> StreamSpec.parse("cifar:0/mnist:1"));
        assertTrue(e.getMessage().contains("cifar"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> StreamSpec.parse("mnist:0,12/mnist:1"));
    }

    @Test
    void growthAddsFixedCountsOrAFractionOfTheWidth() {
        assertArrayEquals(new int[] {500, 300}, Growth.parse("200,100").next(new int[] {300, 200}));
        assertArrayEquals(new int[] {450, 300}, Growth.parse("50%").next(new int[] {300, 200}));
        assertArrayEquals(new int[] {2, 2}, Growth.parse("1%").next(new int[] {1, 1}), "at least one neuron");
        assertThrows(IllegalArgumentException.class, () -> Growth.parse("200").next(new int[] {300, 200}));
        assertThrows(IllegalArgumentException.class, () -> Growth.parse("lots"));
        assertThrows(IllegalArgumentException.class, () -> Growth.parse("-5,1"));
    }

    /** 40 examples of each of ten classes, labelled as a stream would label two experiences of 2 and 3 classes. */
    private static List<Dataset> pastExperiences() {
        int n = 400;
        float[] x = new float[n];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            x[i] = (i % 97) / 97f;
            y[i] = i % 10;
        }
        Dataset all = Dataset.of(x, y, 1, 1, 1, 10);
        return List.of(all.filterClasses(0, 1), all.filterClasses(2, 3, 4));
    }

    @Test
    void aBufferIsClassBalancedAndEachClassKeepsAPrefixOfOneOrder() {
        List<Dataset> past = pastExperiences();
        List<int[]> labels = List.of(new int[] {0, 1}, new int[] {2, 3, 4});
        Rng rng = new Rng(5);
        List<Dataset> big = Rehearsal.buffer(52).select(past, labels, rng);
        int[] counts = big.get(0).concat(big.get(1)).classCounts();
        assertArrayEquals(new int[] {11, 11, 10, 10, 10, 0, 0, 0, 0, 0}, counts);
        // With fewer places each class keeps the first images of the same order.
        List<Dataset> small = Rehearsal.buffer(20).select(past, labels, rng);
        for (int j = 0; j < 2; j++) {
            for (int c : labels.get(j)) {
                Dataset s = small.get(j).filterClasses(c), b = big.get(j).filterClasses(c);
                assertEquals(4, s.size());
                for (int i = 0; i < s.size(); i++) assertArrayEquals(b.image(i), s.image(i), "class " + c);
            }
        }
        // A buffer larger than the data keeps all of it.
        assertEquals(80, Rehearsal.buffer(10_000).select(past, labels, rng).get(0).size());
        assertThrows(IllegalArgumentException.class, () -> Rehearsal.buffer(0));
    }

    @Test
    void aFractionIsStratifiedPerExperience() {
        List<Dataset> past = pastExperiences();
        List<Dataset> kept = Rehearsal.fraction(0.25).select(past, List.of(new int[] {0, 1}, new int[] {2, 3, 4}), new Rng(5));
        assertArrayEquals(new int[] {10, 10, 0, 0, 0, 0, 0, 0, 0, 0}, kept.get(0).classCounts());
        assertEquals(30, kept.get(1).size());
        assertEquals("rehearsal 25%", Rehearsal.fraction(0.25).toString());
        assertEquals("b2000", Rehearsal.buffer(2000).id());
    }
}
