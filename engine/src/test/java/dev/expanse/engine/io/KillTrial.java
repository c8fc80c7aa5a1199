package dev.expanse.engine.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Kills a saving process at random moments and checks what it leaves: {@code kills} times, a
 * child JVM ({@link SaveLoop}, the same java binary and class path) saves one target in a loop
 * and is killed ({@link Process#destroyForcibly}, SIGKILL) a seeded random 0-80 ms after its
 * first save began. After each kill the target must be absent or whole; then this process saves
 * once, and no temporary file may remain.
 */
public final class KillTrial {
    /** What the kills left: how often the target was absent or whole, and how many kills left a temporary file. */
    public record Result(int kills, int absent, int whole, int corrupt, int leftTemporary, int tempsAfterNextSave) {
        public String line() {
            return String.format("kills %d: target absent %d, whole %d, corrupt %d; a partial temporary file after %d kills; "
                    + "temporary files after the next save: %d", kills, absent, whole, corrupt, leftTemporary, tempsAfterNextSave);
        }
    }

    private KillTrial() {
    }

    /** Runs the trial in {@code dir} (which it fills with one target and the child's error log). */
    public static Result run(Path dir, int kills, long seed) throws IOException, InterruptedException {
        SplittableRandom rng = new SplittableRandom(seed);
        Path target = dir.resolve("model.bin"), log = dir.resolve("child-stderr.txt");
        int absent = 0, whole = 0, corrupt = 0, leftTemp = 0, tempsAfter = 0;
        for (int k = 0; k < kills; k++) {
            Process child = start(target, rng.nextLong(), log);
            Thread.sleep(rng.nextInt(81));
            if (!child.isAlive()) throw new IllegalStateException("the saving child died by itself: " + Files.readString(log));
            child.destroyForcibly().waitFor();
            if (!Files.exists(target)) absent++;
            else if (SaveLoop.whole(target)) whole++;
            else corrupt++;
            if (!temporaries(target).isEmpty()) leftTemp++;
            if (k % 2 == 1) { // every other round the next save is the parent's, else the next child's
                SaveLoop.saveOnce(target, k);
                tempsAfter += temporaries(target).size();
            }
        }
        SaveLoop.saveOnce(target, kills);
        tempsAfter += temporaries(target).size();
        return new Result(kills, absent, whole, corrupt, leftTemp, tempsAfter);
    }

    /** Starts a child and waits until it says its first save has begun. */
    private static Process start(Path target, long seed, Path log) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"), SaveLoop.class.getName(), target.toString(), Long.toString(seed)));
        Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII));
        String line = r.readLine();
        if (!"ready".equals(line)) throw new IllegalStateException("the child did not start (" + line + "): " + Files.readString(log));
        return p;
    }

    private static List<Path> temporaries(Path target) throws IOException {
        try (Stream<Path> s = Files.list(target.getParent())) {
            return s.filter(f -> AtomicFile.isTemporaryOf(f, target)).toList();
        }
    }

    /** {@code KillTrial DIR KILLS SEED}: prints the result line. */
    public static void main(String[] args) throws Exception {
        Path dir = Files.createDirectories(Path.of(args[0]));
        System.out.println(run(dir, Integer.parseInt(args[1]), Long.parseLong(args[2])).line());
    }
}
