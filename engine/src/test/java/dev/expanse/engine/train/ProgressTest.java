package dev.expanse.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Progress with an injected clock: how often it prints, and what its lines say. */
class ProgressTest {
    private static final long SECOND = 1_000_000_000L;

    private final long[] now = {0};
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    private Progress progress(boolean terminal) {
        return new Progress(new PrintStream(bytes, true, StandardCharsets.UTF_8), terminal, () -> now[0], 10 * SECOND, 80);
    }

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** Step i of a unit: batch of 32, loss i (so the running loss after n steps is (n + 1) / 2). */
    private static Trainer.StepStats step(int i) {
        return new Trainer.StepStats(i, 0, 32);
    }

    @Test
    void inALogOneLineEveryIntervalWithEveryField() {
        Progress p = progress(false);
        for (int i = 1; i <= 100; i++) { // one step a second, from t = 1 s
            now[0] = i * SECOND;
            p.tick("epoch 1", i, 100, step(i));
        }
        List<String> lines = printed().lines().toList();
        assertEquals(9, lines.size(), "one line at t = 10, 20, ..., 90 s; none for the last step: " + lines);
        // at t = 10 s: 9 steps of 1 s since the first, 90 to go; 9 * 32 images in 9 s; mean of losses 1..10
        assertEquals("epoch 1: 10/100 (10%)  ETA 1:30  loss 5.5000  32 img/s", lines.get(0));
        assertEquals("epoch 1: 90/100 (90%)  ETA 0:10  loss 45.5000  32 img/s", lines.get(8));
    }

    @Test
    void aFinishedLineRestartsTheIntervalAndANewUnitItsCounts() {
        Progress p = progress(false);
        now[0] = 5 * SECOND;
        p.tick("epoch 1", 1, 2, step(1));
        now[0] = 9 * SECOND;
        p.line("epoch 1 done");
        for (int i = 1; i <= 12; i++) { // a new unit, two steps a second, from t = 9.5 s
            now[0] = 9 * SECOND + i * SECOND / 2;
            p.tick("epoch 2", i, 100, step(i));
        }
        now[0] = 19 * SECOND;
        p.tick("epoch 2", 13, 100, step(13));
        // 12 steps in 9.5 s since the first: 87 to go in 68.9 s; 12 * 32 images in 9.5 s
        List<String> lines = printed().lines().toList();
        assertEquals(List.of("epoch 1 done", "epoch 2: 13/100 (13%)  ETA 1:08  loss 7.0000  40 img/s"), lines,
                "no line within 10 s of the last one; the second unit counts from its own first step");
    }

    @Test
    void withoutStepStatsOnlyTheCountsAndTheEta() {
        Progress p = progress(false);
        for (int i = 1; i <= 20; i++) {
            now[0] = i * SECOND;
            p.tick("copy", i, 21);
        }
        assertEquals("copy: 10/21 (47%)  ETA 0:11\ncopy: 20/21 (95%)  ETA 0:01\n", printed());
    }

    @Test
    void onATerminalABarRedrawnAtMostTenTimesASecond() {
        Progress p = progress(true);
        for (int i = 1; i <= 100; i++) { // a step every 10 ms, for one second
            now[0] = i * SECOND / 100;
            p.tick("target epoch 1/10", i, 100, step(1));
        }
        String out = printed();
        assertTrue(out.startsWith("\rtarget epoch 1/10 [=>" + " ".repeat(10) + "] 10/100 10% ETA 0:00 loss 1.0000 3200 img/s"), out);
        long draws = out.chars().filter(c -> c == '\r').count();
        assertTrue(draws >= 9 && draws <= 11, draws + " redraws in one second");
        String last = out.substring(out.lastIndexOf('\r') + 1);
        // 99 * 32 images in 0.99 s; the bar takes the 12 columns that the widest fields leave of 79
        assertEquals("target epoch 1/10 [" + "=".repeat(12) + "] 100/100 100% ETA 0:00 loss 1.0000 3200 img/s", last);

        p.line("done");
        String replaced = printed().substring(out.length());
        assertEquals("\rdone" + " ".repeat(last.length() - 4) + "\n", replaced, "the line covers the whole bar");
    }

    @Test
    void aLongLabelDropsTheBarThenItsStart() {
        Progress p = progress(true);
        now[0] = SECOND;
        p.tick("0123456789".repeat(10), 1, 2, step(1));
        // the fields take 20 columns: " 1/2 50% loss 1.0000"; the label keeps its last 79 - 20 - 3
        assertEquals("\r..." + "0123456789".repeat(10).substring(100 - 56) + " 1/2 50% loss 1.0000", printed());
    }

    @Test
    void silentPrintsNothingAndDurationsReadAsClockTimes() {
        Progress s = Progress.silent();
        s.tick("a", 1, 2, step(1));
        s.line("b");
        assertEquals("", printed());
        assertEquals("0:59", Progress.duration(59));
        assertEquals("1:02:05", Progress.duration(3725));
    }
}
