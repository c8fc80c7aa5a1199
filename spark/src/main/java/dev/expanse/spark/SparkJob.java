package dev.expanse.spark;

import dev.expanse.cli.UnitJob;
import dev.expanse.kernels.Backend;
import dev.expanse.kernels.cpu.CpuBackend;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.TaskContext;
import org.apache.spark.TaskFailedReason;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * A {@link UnitJob} on a Spark context: one task per unit, each a Spark job of its own, so Spark
 * spreads the units over the executors, retries a task that fails, and the driver hears of each
 * unit as it finishes. Every task parses the same arguments, checks its data files
 * ({@link DataCheck#verify}) and runs its unit on the CPU backend with {@code spark.task.cpus}
 * threads; the results come back to the driver in unit order.
 */
public final class SparkJob {
    /**
     * A test-only setting: the unit whose first attempt throws, so that a test can watch Spark
     * retry it (with {@code local[N,F]}, F at least 2).
     */
    public static final String FAIL_FIRST = "spark.expanse.test.failFirstAttempt";

    /** The local property that tells the listener which unit a Spark job runs. */
    private static final String UNIT = "expanse.unit";

    private SparkJob() {
    }

    /**
     * What one task sent back.
     *
     * @param unit    the unit's index
     * @param result  its result, for {@link UnitJob#write}
     * @param host    where it ran
     * @param backend the backend's name (the same in every task, or the numbers may differ)
     * @param seconds its wall time, the data check included
     * @param attempt Spark's attempt number, 0 for the first
     */
    public record Done(int unit, Serializable result, String host, String backend, double seconds, int attempt)
            implements Serializable {
    }

    /**
     * What the job did.
     *
     * @param done           every unit's outcome, in unit order
     * @param failedAttempts task attempts that failed and were retried
     */
    public record Outcome(List<Done> done, int failedAttempts) {
    }

    /** What to do each time a unit finishes, e.g. rewrite the report so that a driver that dies loses little. */
    @FunctionalInterface
    public interface AfterUnit {
        /** @param soFar one entry per unit, in unit order: its outcome, or null while it runs */
        void accept(List<Done> soFar) throws IOException;
    }

    /** A unit that failed for good (after Spark's retries); the message is the task's. */
    public static final class Failed extends RuntimeException {
        Failed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Runs every unit of {@code job} on {@code sc}, each as its own Spark job of one task, all
     * submitted at once: Spark runs them as slots free up, in unit order, and the driver hears of
     * each as it ends. Prints a line to {@code log} as each task ends.
     *
     * @param args  the arguments {@code job} was parsed from: every task parses them again
     * @param data  the driver's data files, which every task checks
     * @param after called after each unit, with the outcomes so far
     * @throws Failed when a unit fails for good; the units still running are cancelled
     */
    public static Outcome run(JavaSparkContext sc, String[] args, UnitJob job, DataCheck data, PrintStream log, AfterUnit after)
            throws IOException {
        List<String> labels = job.units();
        int n = labels.size();
        int threads = sc.getConf().getInt("spark.task.cpus", 1);
        int failUnit = sc.getConf().getInt(FAIL_FIRST, -1);
        String[] copy = args.clone();
        Listener listener = new Listener(labels, log);
        sc.sc().addSparkListener(listener);
        List<JavaFutureAction<List<Done>>> futures = new ArrayList<>();
        try {
            for (int u = 0; u < n; u++) {
                sc.setLocalProperty(UNIT, Integer.toString(u));
                sc.setJobDescription("expanse " + args[0] + ", unit " + u + ": " + labels.get(u));
                futures.add(sc.parallelize(List.of(u), 1).map(x -> task(copy, data, threads, failUnit, x)).collectAsync());
            }
            sc.setLocalProperty(UNIT, null);
            Done[] done = new Done[n];
            for (int left = n; left > 0; ) {
                boolean any = false;
                for (int u = 0; u < n; u++) {
                    if (done[u] != null || !futures.get(u).isDone()) continue;
                    try {
                        done[u] = futures.get(u).get().get(0);
                    } catch (ExecutionException e) {
                        Throwable cause = e.getCause() == null ? e : e.getCause();
                        throw new Failed("unit " + u + " (" + labels.get(u) + "): " + cause.getMessage(), cause);
                    }
                    left--;
                    any = true;
                    after.accept(Arrays.asList(done.clone()));
                }
                if (!any) Thread.sleep(50);
            }
            return new Outcome(List.of(done), listener.failed.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failed("interrupted while waiting for the units", e);
        } finally {
            for (JavaFutureAction<List<Done>> f : futures) if (!f.isDone()) f.cancel(true);
            sc.sc().removeSparkListener(listener);
        }
    }

    /** One unit, on an executor. */
    static Done task(String[] args, DataCheck data, int threads, int failUnit, int unit) throws IOException {
        long t0 = System.nanoTime();
        data.verify();
        TaskContext tc = TaskContext.get();
        int attempt = tc == null ? 0 : tc.attemptNumber();
        if (unit == failUnit && attempt == 0) {
            throw new IllegalStateException(FAIL_FIRST + "=" + unit + ": the first attempt of unit " + unit + " fails on purpose");
        }
        UnitJob job = UnitJob.parse(args);
        try (Backend be = CpuBackend.vector(threads)) {
            Serializable r = job.run(unit, be, job.progress());
            return new Done(unit, r, DataCheck.host(), be.name(), (System.nanoTime() - t0) / 1e9, attempt);
        }
    }

    /** The driver's progress: a line per task that ends, and the count of failed attempts. */
    private static final class Listener extends SparkListener {
        private final List<String> labels;
        private final PrintStream log;
        private final AtomicInteger finished = new AtomicInteger();
        private final Map<Integer, Integer> units = new ConcurrentHashMap<>();
        final AtomicInteger failed = new AtomicInteger();

        Listener(List<String> labels, PrintStream log) {
            this.labels = labels;
            this.log = log;
        }

        @Override
        public void onStageSubmitted(SparkListenerStageSubmitted submitted) {
            String unit = submitted.properties() == null ? null : submitted.properties().getProperty(UNIT);
            if (unit != null) units.put(submitted.stageInfo().stageId(), Integer.parseInt(unit));
        }

        @Override
        public void onTaskEnd(SparkListenerTaskEnd end) {
            Integer unit = units.get(end.stageId());
            if (unit == null) return;
            String what = labels.get(unit);
            double secs = end.taskInfo().duration() / 1e3;
            if (end.taskInfo().successful()) {
                log.printf(Locale.ROOT, "expanse-spark: unit %d done (%d/%d) on %s in %.1fs: %s%n", unit,
                        finished.incrementAndGet(), labels.size(), end.taskInfo().host(), secs, what);
            } else {
                failed.incrementAndGet();
                String why = end.reason() instanceof TaskFailedReason r ? r.toErrorString() : String.valueOf(end.reason());
                log.printf(Locale.ROOT, "expanse-spark: unit %d, attempt %d, failed on %s after %.1fs: %s%n", unit,
                        end.taskInfo().attemptNumber(), end.taskInfo().host(), secs, firstLine(why));
            }
        }
    }

    static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }
}
