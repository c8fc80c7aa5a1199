package dev.expanse.engine.train;

import java.io.PrintStream;

/**
 * Progress of long work on standard error: one line per finished unit (epoch), and on a terminal a
 * live counter within it. Silent when constructed with {@code null}.
 */
public final class Progress {
    private final PrintStream out;
    private final boolean live;
    private long lastDraw;

    public Progress(PrintStream out) {
        this.out = out;
        this.live = out != null && System.console() != null;
    }

    /** A progress that prints nothing. */
    public static Progress silent() {
        return new Progress(null);
    }

    /** Redraws "label done/total" on a terminal, at most ten times a second. */
    public void tick(String label, int done, int total) {
        if (!live) return;
        long now = System.nanoTime();
        if (done < total && now - lastDraw < 100_000_000L) return;
        lastDraw = now;
        out.printf("\r%s %d/%d (%d%%)   ", label, done, total, total == 0 ? 100 : 100L * done / total);
        out.flush();
    }

    /** Prints one finished line. */
    public void line(String text) {
        if (out == null) return;
        out.print(live ? "\r" + text + "          \n" : text + "\n");
        out.flush();
    }
}
