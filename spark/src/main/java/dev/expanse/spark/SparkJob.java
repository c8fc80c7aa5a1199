package dev.expanse.spark;

import dev.expanse.cli.UnitJob;
import dev.expanse.kernels.Backend;
import dev.expanse.kernels.cpu.CpuBackend;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.spark.TaskContext;
import org.apache.spark.TaskFailedReason;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * A {@link UnitJob} on a Spark context: one task per unit, each on its own partition, so Spark
 * spreads the units over the executors and retries a task that fails. Every task parses the same
 * arguments, checks its data files ({@link DataCheck#verify}) and runs its unit on the CPU backend
 * with {@code spark.task.cpus} threads; the results come back to the driver in unit order.
 */
public final class SparkJob {
    /**
     * A test-only setting: the unit whose first attempt throws, so that a test can watch Spark
     * retry it (with {@code local[N,F]}, F at least 2).
     */
    public static final String FAIL_FIRST = "spark.expanse.test.failFirstAttempt";

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
        /** The results, in unit order. */
        public List<Serializable> results() {
            return done.stream().map(Done::result).toList();
        }
    }

    /**
     * Runs every unit of {@code job} on {@code sc}, printing a line to {@code log} as each ends.
     * When a task fails for good, Spark throws its {@code SparkException} (undeclared), whose
     * message carries the task's.
     *
     * @param args the arguments {@code job} was parsed from: every task parses them again
     * @param data the driver's data files, which every task checks
     */
    public static Outcome run(JavaSparkContext sc, String[] args, UnitJob job, DataCheck data, PrintStream log) {
        List<String> labels = job.units();
        int n = labels.size();
        int threads = sc.getConf().getInt("spark.task.cpus", 1);
        int failUnit = sc.getConf().getInt(FAIL_FIRST, -1);
        String[] copy = args.clone();
        Listener listener = new Listener(labels, log);
        sc.sc().addSparkListener(listener);
        try {
            List<Integer> units = IntStream.range(0, n).boxed().toList();
            sc.setJobDescription("expanse " + args[0] + ": " + n + " units");
            List<Done> done = new ArrayList<>(sc.parallelize(units, n).map(u -> task(copy, data, threads, failUnit, u)).collect());
            done.sort(Comparator.comparingInt(Done::unit));
            return new Outcome(List.copyOf(done), listener.failed.get());
        } finally {
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
        final AtomicInteger failed = new AtomicInteger();

        Listener(List<String> labels, PrintStream log) {
            this.labels = labels;
            this.log = log;
        }

        @Override
        public void onTaskEnd(SparkListenerTaskEnd end) {
            int unit = end.taskInfo().index();
            String what = unit < labels.size() ? labels.get(unit) : "task " + unit;
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
