package dev.expanse.engine.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * The loop of every fuzzer: {@code n} inputs, each made from its own seeded random stream (so
 * input {@code i} of seed {@code s} can be replayed alone), run, and counted. A target is used
 * by one thread only. Whatever the run
 * throws, errors included ({@link OutOfMemoryError}, {@link StackOverflowError}), counts as
 * unexpected.
 */
public final class FuzzRun {
    private FuzzRun() {
    }

    /** One kind of input: how to make one from a random stream, run it, and describe it for a replay. */
    public interface Target<T> {
        T make(SplittableRandom rng);

        Outcome run(T input) throws Exception;

        String describe(T input);
    }

    /**
     * Runs inputs {@code 0 .. n-1} of {@code seed} on {@link #threads()} threads, each with its
     * own target from {@code targets} (input {@code i} goes to thread {@code i % threads}); the
     * counts do not depend on the number of threads.
     */
    public static <T> Tally run(String name, Supplier<? extends Target<T>> targets, int n, long seed) throws InterruptedException {
        int threads = threads();
        List<Tally> parts = new ArrayList<>();
        List<Thread> running = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int k = 0; k < threads; k++) {
            Tally part = new Tally(name);
            Target<T> target = targets.get();
            int first = k;
            parts.add(part);
            running.add(new Thread(() -> {
                for (int i = first; i < n; i += threads) runOne(target, seed, i, part);
            }, "fuzz-" + k));
        }
        for (Thread t : running) t.start();
        for (Thread t : running) t.join();
        Tally all = new Tally(name);
        for (Tally p : parts) all.addAll(p);
        all.addNanos(System.nanoTime() - t0);
        return all;
    }

    private static <T> void runOne(Target<T> target, long seed, int i, Tally tally) {
        T input = target.make(new SplittableRandom(seed * 1_000_003L + i));
        Outcome o;
        try {
            o = target.run(input);
        } catch (Throwable t) {
            o = Outcome.unexpected(t);
        }
        tally.add(o, "seed " + seed + " input " + i + ": " + target.describe(input));
    }

    /** Threads of a run: the system property {@code expanse.fuzz.threads}, else 2 (or 1 on one core). */
    static int threads() {
        return Math.max(1, Integer.getInteger("expanse.fuzz.threads", Math.min(2, Runtime.getRuntime().availableProcessors())));
    }

    /** How many inputs a fuzz test runs: the system property {@code expanse.fuzz.inputs}, else {@code fallback}. */
    public static int inputs(int fallback) {
        return Integer.getInteger("expanse.fuzz.inputs", fallback);
    }

    /**
     * A file for the inputs: in {@code /dev/shm} where there is one (memory: 10^5 writes cost
     * seconds, not minutes), else in {@code dir}. Deleted when the JVM exits.
     */
    public static Path workFile(Path dir) {
        Path shm = Path.of("/dev/shm");
        try {
            Path f = Files.createTempFile(Files.isDirectory(shm) && Files.isWritable(shm) ? shm : dir, "expanse-fuzz", ".bin");
            f.toFile().deleteOnExit();
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code tally}'s markdown to the folder named by {@code expanse.fuzz.report}, if set. */
    public static void report(Tally tally) throws IOException {
        report(tally.name(), tally.markdown());
    }

    /** Writes {@code markdown} as {@code <name>.md} to the folder named by {@code expanse.fuzz.report}, if set. */
    public static void report(String name, String markdown) throws IOException {
        String dir = System.getProperty("expanse.fuzz.report");
        if (dir == null || dir.isEmpty()) return;
        Path d = Files.createDirectories(Path.of(dir));
        Files.writeString(d.resolve(name.replaceAll("[^A-Za-z0-9-]", "_") + ".md"), markdown);
    }
}
