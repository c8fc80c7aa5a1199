package dev.expanse.engine.train;

import java.io.Console;
import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Progress of long work, as Keras and tqdm show it. The work is cut into units (an epoch), each of
 * {@code total} steps (batches); {@link #tick} reports a finished step and {@link #line} a
 * finished unit.
 *
 * <ul>
 *   <li>On a terminal: one live line per unit, redrawn at most ten times a second, e.g.
 *       {@code epoch 1 [=======>      ] 412/938 44% ETA 0:12 loss 0.2345 5120 img/s}.
 *   <li>Otherwise (a log, a pipe): a plain line at most once every {@link #LOG_INTERVAL_SECONDS}
 *       seconds, e.g. {@code epoch 1: 412/938 (44%)  ETA 0:12  loss 0.2345  5120 img/s}, and
 *       nothing for a unit shorter than that.
 *   <li>{@link #silent()}: nothing at all.
 * </ul>
 *
 * The rate and the ETA are measured from the unit's first step (which also carries the JIT warm-up)
 * on; the loss is the example-weighted mean of the unit's steps so far. Not thread-safe: one
 * training loop reports to it.
 */
public final class Progress {
    /** Seconds between two lines when the output is not a terminal. */
    public static final int LOG_INTERVAL_SECONDS = 10;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintStream out;
    private final boolean terminal;
    private final LongSupplier clock;
    private final long intervalNanos;
    private final int width;
    private long lastOutput;
    private int drawn; // characters of the live line on screen, 0 when none

    // the current unit
    private String label;
    private int done;
    private long firstStepNanos, firstStepExamples;
    private int firstStep;
    private long examples;
    private double lossSum;

    /**
     * Progress on {@code out} (usually {@code System.err}), as a live bar when the JVM runs on a
     * terminal and as periodic lines otherwise; nothing when {@code out} is null.
     */
    public Progress(PrintStream out) {
        this(out, onTerminal(), System::nanoTime, LOG_INTERVAL_SECONDS * 1_000_000_000L, terminalWidth());
    }

    /**
     * For tests: the mode, the clock (nanoseconds), the interval between log lines and the
     * terminal's width are given.
     */
    Progress(PrintStream out, boolean terminal, LongSupplier clock, long intervalNanos, int width) {
        this.out = out;
        this.terminal = terminal;
        this.clock = clock;
        this.intervalNanos = intervalNanos;
        this.width = width;
        this.lastOutput = out == null ? 0 : clock.getAsLong();
    }

    /** A progress that prints nothing. */
    public static Progress silent() {
        return new Progress(null, false, () -> 0, 0, 0);
    }

    /** Step {@code done} of {@code total} of the unit {@code label} is finished; no loss or rate is known. */
    public void tick(String label, int done, int total) {
        tick(label, done, total, null);
    }

    /**
     * Step {@code done} of {@code total} (counted from 1) of the unit {@code label} is finished,
     * and {@code step} is what it saw (null when unknown): its loss and example count feed the
     * running loss and the images per second. A tick with a new label, or with a {@code done} not
     * above the last, starts a new unit.
     */
    public void tick(String label, int done, int total, Trainer.StepStats step) {
        if (out == null) return;
        long now = clock.getAsLong();
        if (!label.equals(this.label) || done <= this.done) {
            this.label = label;
            firstStep = done;
            firstStepNanos = now;
            examples = 0;
            lossSum = 0;
            firstStepExamples = 0;
        }
        this.done = done;
        if (step != null) {
            examples += step.examples();
            lossSum += (double) step.loss() * step.examples();
            if (done == firstStep) firstStepExamples = examples;
        }
        if (terminal) {
            if (done < total && now - lastOutput < REDRAW_NANOS) return;
            draw(bar(total, now));
        } else {
            if (done >= total || now - lastOutput < intervalNanos) return;
            out.println(logLine(total, now));
            out.flush();
        }
        lastOutput = now;
    }

    /** Prints one finished line (replacing the live bar on a terminal). */
    public void line(String text) {
        if (out == null) return;
        if (terminal && drawn > 0) {
            out.print("\r" + text + " ".repeat(Math.max(0, drawn - text.length())) + "\n");
            drawn = 0;
        } else {
            out.println(text);
        }
        out.flush();
        lastOutput = clock.getAsLong();
    }

    // ------------------------------------------------------------------ formatting

    /** {@code label: done/total (p%)  ETA m:ss  loss x  n img/s}, the fields known so far. */
    String logLine(int total, long now) {
        return label + ": " + done + "/" + total + " (" + percent(total) + "%)" + stats(total, now, "  ");
    }

    /**
     * {@code label [====>    ] done/total p% ETA m:ss loss x n img/s} within the terminal's width:
     * the bar shrinks (10 to 30 columns) or goes, then the label loses its start.
     */
    String bar(int total, long now) {
        String counts = " " + done + "/" + total + " " + percent(total) + "%" + stats(total, now, " ");
        // room for the widest fields of the unit, so that the bar keeps its width as they fill in
        int widest = Math.max(counts.length(), (" " + total + "/" + total + " 100% ETA 00:00 loss 0.0000 00000 img/s").length());
        int columns = width - 1; // the last column would wrap on some terminals
        int room = columns - label.length() - widest - 3;
        if (room < 10) {
            int keep = columns - counts.length() - 3;
            String shown = label.length() + counts.length() <= columns ? label
                    : keep > 0 ? "..." + label.substring(label.length() - keep) : "";
            String line = shown + counts;
            return line.length() <= columns ? line : line.substring(0, columns);
        }
        int bar = Math.min(room, 30);
        int full = total == 0 ? bar : (int) ((long) bar * done / total);
        return label + " [" + "=".repeat(full) + (full < bar ? ">" + " ".repeat(bar - full - 1) : "") + "]" + counts;
    }

    private String stats(int total, long now, String sep) {
        StringBuilder sb = new StringBuilder();
        long nanos = now - firstStepNanos;
        int steps = done - firstStep;
        if (steps > 0 && nanos > 0) {
            sb.append(sep).append("ETA ").append(duration((long) ((double) nanos / steps * (total - done) / 1e9)));
        }
        if (examples > 0) sb.append(sep).append(String.format(Locale.ROOT, "loss %.4f", lossSum / examples));
        if (examples > firstStepExamples && nanos > 0 && firstStepExamples > 0) {
            sb.append(sep).append(String.format(Locale.ROOT, "%.0f img/s", (examples - firstStepExamples) / (nanos / 1e9)));
        }
        return sb.toString();
    }

    private long percent(int total) {
        return total == 0 ? 100 : 100L * done / total;
    }

    /** {@code m:ss}, or {@code h:mm:ss} from an hour on. */
    static String duration(long seconds) {
        long h = seconds / 3600, m = seconds / 60 % 60, s = seconds % 60;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, s) : String.format(Locale.ROOT, "%d:%02d", m, s);
    }

    private void draw(String line) {
        out.print("\r" + line + " ".repeat(Math.max(0, drawn - line.length())));
        out.flush();
        drawn = line.length();
    }

    /** The environment's {@code COLUMNS} when a shell exported it, else 80. */
    private static int terminalWidth() {
        try {
            return Math.max(20, Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "80").strip()));
        } catch (NumberFormatException e) {
            return 80;
        }
    }

    /**
     * Whether the JVM's standard streams are a terminal: a console exists (before JDK 22 it exists
     * only then) and, from JDK 22 on, {@code Console.isTerminal()} says so.
     */
    private static boolean onTerminal() {
        Console c = System.console();
        if (c == null) return false;
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(c);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
