package dev.expanse.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.expanse.method.scenario.Basics;
import dev.expanse.method.scenario.DataSource;
import dev.expanse.method.train.TwoStep;
import dev.expanse.method.train.TwoStepComparison.Config;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code expanse two-step}: its options make the {@link Config} they say, with Config's defaults. */
class TwoStepCommandTest {

    private static Config parse(String... args) {
        TwoStepCommand cmd = new TwoStepCommand();
        new CommandLine(cmd).parseArgs(args);
        return cmd.config();
    }

    @Test
    void parseReadsEveryOptionAndDefaultsTheBaselineToStep2() {
        Config c = parse("--dataset", "mnist", "--fixtures", "--basics", "nearest-mean", "--k", "7", "--hidden",
                "64,32", "--epochs1", "4", "--lr1", "0.003", "--batch1", "16", "--epochs2", "2", "--lr2", "0.0005",
                "--batch2", "100", "--seeds", "4,5", "--selection");
        assertEquals(DataSource.MNIST, c.dataset());
        assertTrue(c.fixtures());
        assertEquals(Basics.Kind.NEAREST_MEAN, c.basics());
        assertEquals(7, c.basicsPerClass());
        assertArrayEquals(new int[] {64, 32}, c.hidden());
        assertEquals(new TwoStep.Phase(4, 0.003f, 16), c.step1());
        assertEquals(new TwoStep.Phase(2, 0.0005f, 100), c.step2());
        assertEquals(0.0005f, c.oneStepLearningRate());
        assertEquals(100, c.oneStepBatch());
        assertArrayEquals(new long[] {4, 5}, c.seeds());
        assertTrue(c.selection());
        assertThrows(IllegalArgumentException.class, () -> parse("--basics", "best"));
        assertThrows(CommandLine.ParameterException.class, () -> parse("--epochs1"));
    }

    @Test
    void noOptionsGiveTheDefaultsOfTheDocs() {
        Config c = parse(), d = Config.defaults();
        assertEquals(d.dataset(), c.dataset());
        assertEquals(d.fixtures(), c.fixtures());
        assertEquals(d.basics(), c.basics());
        assertEquals(d.basicsPerClass(), c.basicsPerClass());
        assertEquals(d.glyphCopies(), c.glyphCopies());
        assertArrayEquals(d.hidden(), c.hidden());
        assertEquals(d.step1(), c.step1());
        assertEquals(d.step2(), c.step2());
        assertEquals(d.oneStepLearningRate(), c.oneStepLearningRate());
        assertEquals(d.oneStepBatch(), c.oneStepBatch());
        assertEquals(d.validationFraction(), c.validationFraction());
        assertArrayEquals(d.seeds(), c.seeds());
        assertEquals(d.selection(), c.selection());
        Config baseline = parse("--lr", "0.002", "--batch", "50");
        assertEquals(0.002f, baseline.oneStepLearningRate());
        assertEquals(50, baseline.oneStepBatch());
        assertEquals(d.step2(), baseline.step2(), "the baseline's options leave step 2 alone");
    }

    @Test
    void badValuesNameTheirOption() {
        assertMessage("--k", () -> parse("--k", "0"));
        assertMessage("--val", () -> parse("--val", "1"));
        assertMessage("--lr", () -> parse("--lr", "0"));
        assertMessage("--glyph-copies", () -> parse("--glyph-copies", "0"));
        assertMessage("--batch2", () -> parse("--batch2", "0"));
        assertMessage("--dataset", () -> parse("--dataset", "cifar"));
        assertMessage("--seeds", () -> parse("--seeds", "2,2"));
    }

    private static void assertMessage(String option, org.junit.jupiter.api.function.Executable e) {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
        assertTrue(x.getMessage().contains(option), x.getMessage());
    }
}
