package dev.expanse.engine.fuzz;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Fuzzes a {@link FileFormat}: each input is a seed with 1-3 {@link Mutations} (then maybe gzip
 * and a corrupt stream), written to one work file and read. Success, or the format's fault
 * exception with a message that starts with the file's path and stays short, is as documented;
 * anything else (another exception, a long message, an error such as OutOfMemoryError) is
 * unexpected.
 */
public final class FileFuzz {
    private FileFuzz() {
    }

    /** One input: the seed it came from, the mutations applied, the bytes. */
    record Input(FileFormat.Seed seed, String steps, byte[] bytes) {
    }

    /** Runs {@code n} inputs of {@code seed}, writing them to work files made by {@code work} (one per thread). */
    public static Tally run(FileFormat format, int n, long seed, WorkFiles work) throws InterruptedException {
        return FuzzRun.run(format.name(), () -> target(format, work.next()), n, seed);
    }

    /** Where inputs are written: a new file for each thread. */
    @FunctionalInterface
    public interface WorkFiles {
        Path next();
    }

    private static FuzzRun.Target<Input> target(FileFormat format, Path work) {
        return new FuzzRun.Target<Input>() {
            @Override
            public Input make(SplittableRandom rng) {
                FileFormat.Seed s = format.seeds().get(rng.nextInt(format.seeds().size()));
                StringBuilder log = new StringBuilder();
                byte[] bytes = Mutations.mutate(s, format.gzip(), rng, log);
                return new Input(s, log.toString().strip(), bytes);
            }

            @Override
            public Outcome run(Input in) throws IOException {
                Files.write(work, in.bytes());
                return read(format, in.seed(), work);
            }

            @Override
            public String describe(Input in) {
                return in.seed().kind() + " seed of " + in.seed().bytes().length + " bytes, " + in.steps();
            }
        };
    }

    /** Reads {@code file} and says how it went. */
    static Outcome read(FileFormat format, FileFormat.Seed seed, Path file) {
        try {
            format.read(file, seed);
            return Outcome.success();
        } catch (IOException e) {
            String m = String.valueOf(e.getMessage());
            if (!format.fault().isInstance(e)) return Outcome.unexpected(e);
            if (!m.startsWith(file + ": ")) return Outcome.unexpected("message does not start with the file: " + m);
            if (m.length() > format.maxMessageLength()) return Outcome.unexpected("message of " + m.length() + " characters");
            return Outcome.documented(m.substring(file.toString().length() + 2));
        }
    }
}
