package dev.expanse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.expanse.engine.data.IdxWriter;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tool's errors: one line each (parse errors too, without the usage), naming the option or
 * the file and the reason, found before any training.
 */
class ToolErrorsTest {
    @TempDir
    Path dir;

    /** Exit code {@code code}, one line on stderr that contains every phrase, nothing trained. */
    private static void assertOneLine(int code, String[] r, String... phrases) {
        assertEquals(Integer.toString(code), r[0], r[1]);
        String err = r[1].strip();
        assertEquals(1, err.lines().count(), "one line: " + r[1]);
        assertTrue(err.startsWith("expanse: "), err);
        for (String p : phrases) assertTrue(err.contains(p), "'" + p + "' not in: " + err);
        assertFalse(r[2].contains("Usage:") || err.contains("Usage:"), "no usage: " + r[2]);
    }

    private static String[] run(String... args) {
        return MethodCommandsTest.run(args);
    }

    @Test
    void parseErrorsAreOneLineWithAPointerToHelp() {
        assertOneLine(2, run("train", "--foo"), "Unknown option: '--foo'", "(try 'expanse train --help')");
        assertOneLine(2, run("two-step", "--epochs1", "abc"), "--epochs1", "'abc'", "(try 'expanse two-step --help')");
        assertOneLine(2, run("train", "--epochs"), "--epochs");
        assertOneLine(2, run("scenario", "--fixtures"), "--out");
        assertOneLine(2, run("no-such-command"), "no-such-command");
    }

    @Test
    void nonFiniteNumbersAreRefusedAsTheyAreParsed() {
        for (String bad : new String[] {"Infinity", "-Infinity", "NaN", "1e40"}) {
            assertOneLine(2, run("train", "--fixtures", "--lr", bad), "--lr", "'" + bad + "' is not a finite number");
            assertOneLine(2, run("scenario", "--fixtures", "--out", dir.toString(), "--lr", bad), "--lr", "finite");
            assertOneLine(2, run("two-step", "--fixtures", "--lr1", bad), "--lr1", "finite");
        }
        assertOneLine(2, run("train", "--fixtures", "--lr-decay", "NaN"), "--lr-decay");
        assertOneLine(2, run("scenario", "--fixtures", "--out", dir.toString(), "--validation", "Infinity"), "--validation");
        assertOneLine(2, run("train", "--lr", "fast"), "--lr", "'fast' is not a number");
    }

    /** {@code train --lr 1e30} used to print "loss NaN" and exit 0. */
    @Test
    void divergingTrainingStopsWithTheStepAndExitCode1() {
        String[] r = run("train", "--fixtures", "--epochs", "2", "--lr", "1e30", "--backend", "cpu");
        assertOneLine(1, r, "training stopped at epoch 1/2, batch ", "at optimizer step ", "the update was not applied");
        assertFalse(r[2].contains("test accuracy"), r[2]);
    }

    @Test
    void anUnwritableSaveIsFoundBeforeTraining() throws IOException {
        String[] r = run("train", "--fixtures", "--epochs", "1", "--save", "/proc/model.safetensors");
        assertOneLine(2, r, "--save: cannot write in /proc: ");
        assertFalse(r[2].contains("dense1"), "nothing was built: " + r[2]);
        Path file = Files.writeString(dir.resolve("file"), "x");
        assertOneLine(2, run("train", "--fixtures", "--save", file.resolve("m.safetensors").toString()),
                "--save", file + " is not a folder");
        assertOneLine(2, run("train", "--fixtures", "--save", dir.toString()), "--save: " + dir + " is a folder");
    }

    @Test
    void anUnwritableOutIsFoundBeforeTraining() throws IOException {
        String[] r = run("scenario", "--fixtures", "--out", "/proc/out");
        assertOneLine(2, r, "--out: cannot write in /proc: ");
        Path file = Files.writeString(dir.resolve("file"), "x");
        assertOneLine(2, run("suite", "--fixtures", "--out", file.toString()), "--out: " + file + " exists and is not a folder");
        assertOneLine(2, run("scenario", "--fixtures", "--out", file.resolve("sub").toString()), "--out", file + " is not a folder");
        Path fresh = dir.resolve("a").resolve("b");
        assertTrue(run("scenario", "--fixtures", "--out", fresh.toString(), "--arch", "nope")[1].contains("--arch"));
        assertFalse(Files.exists(fresh.getParent()), "the check creates nothing");
    }

    /** A test set of 14 x 14 images beside a training set of 28 x 28: refused at load, naming the file. */
    @Test
    void aTestSetOfAnotherImageSizeIsRefusedAtLoad() throws IOException {
        Path mnist = Files.createDirectories(dir.resolve("mnist"));
        IdxWriter.write(mnist.resolve("train-images-idx3-ubyte"), new int[] {10, 28, 28}, new byte[10 * 784], false);
        IdxWriter.write(mnist.resolve("train-labels-idx1-ubyte"), new int[] {10}, new byte[10], false);
        IdxWriter.write(mnist.resolve("t10k-images-idx3-ubyte"), new int[] {10, 14, 14}, new byte[10 * 196], false);
        IdxWriter.write(mnist.resolve("t10k-labels-idx1-ubyte"), new int[] {10}, new byte[10], false);
        String old = System.getProperty("expanse.data");
        System.setProperty("expanse.data", dir.toString());
        try {
            String[] r = run("train", "--dataset", "mnist", "--epochs", "1", "--backend", "cpu");
            assertOneLine(2, r, mnist.resolve("t10k-images-idx3-ubyte") + ": images of 14 x 14 pixels, but mnist images are 28 x 28");
            assertFalse(r[1].contains("epoch") || r[2].contains("epoch"), "before the first epoch: " + r[2]);
        } finally {
            if (old == null) System.clearProperty("expanse.data");
            else System.setProperty("expanse.data", old);
        }
    }

    @Test
    void fileErrorsSayWhy() {
        assertEquals("/x: permission denied", Main.message(new AccessDeniedException("/x")));
        assertEquals("/x: disk full (no space left on device)",
                Main.message(new FileSystemException("/x", null, "No space left on device")));
        assertEquals("/x: not a directory", Main.message(new FileSystemException("/x", null, "Not a directory")));
        assertEquals("cannot load", Main.message(new IOException("cannot load")));
    }
}
