package dev.expanse.spark;

import dev.expanse.cli.Main;
import dev.expanse.cli.UnitJob;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The suite and streams on Spark:
 * {@code spark-submit --class dev.expanse.spark.SparkMain --master URL expanse-spark.jar suite|stream OPTIONS},
 * where OPTIONS are those of {@code expanse suite} or {@code expanse stream}.
 *
 * <p>The driver checks the arguments and hashes the data files before it starts Spark; each task
 * runs one unit ({@link UnitJob}) and checks its data; the driver writes the same report.md,
 * results.csv and plots as the local command, each file atomically.
 *
 * <p>results.csv equals a local run's in every column but {@code seconds} when the local run
 * has {@code -Dexpanse.threads} equal to {@code spark.task.cpus} (default 1), and every host
 * runs the same code on the same JDK with the same vector width and the Vector API module
 * ({@code --add-modules jdk.incubator.vector}, in {@code spark.executor.extraJavaOptions} on a
 * cluster). The driver warns when the tasks' backends differ.
 *
 * <p>Settings: {@value DataCheck#FOLDER} names the data folder every host sees (default: the
 * driver's own, the fixtures or the data cache); {@code spark.task.cpus} the compute threads per
 * task. Exit codes as the tool's: 0 done, 2 a usage or data error, 1 a job that failed.
 */
public final class SparkMain {
    private SparkMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args, new SparkConf(), System.out, System.err));
    }

    /** {@link #main} without exiting: the exit code. {@code conf} gets the settings spark-submit (or a test) gave. */
    public static int run(String[] args, SparkConf conf, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            out.println("usage: spark-submit --class " + SparkMain.class.getName() + " [spark options] expanse-spark.jar suite|stream OPTIONS");
            out.println("OPTIONS are those of the tool's suite or stream command; see '... expanse-spark.jar suite --help'.");
            return args.length == 0 ? 2 : 0;
        }
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            // The tool's own help for the command: the options are the same.
            return Main.run(args);
        }
        UnitJob job;
        DataCheck data;
        try {
            job = UnitJob.parse(args);
            if (job.backend() != null && !job.backend().equals("cpu")) {
                throw new IllegalArgumentException("--backend " + job.backend()
                        + ": on Spark every task runs on the CPU backend, with spark.task.cpus threads");
            }
            data = DataCheck.of(job.datasets(), job.fixtures(), conf.get(DataCheck.FOLDER, null));
        } catch (IllegalArgumentException | IOException e) {
            err.println("expanse-spark: " + oneLine(e.getMessage()));
            return 2;
        }
        conf.setIfMissing("spark.app.name", "expanse " + args[0]);
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            err.println("expanse-spark: " + job.units().size() + " units on " + sc.master() + ", "
                    + conf.getInt("spark.task.cpus", 1) + " compute thread(s) per task, data " + data.folder());
            String command = "spark-submit --master " + sc.master() + " expanse-spark.jar " + String.join(" ", args);
            SparkJob.Outcome o;
            long t0 = System.nanoTime();
            try {
                // Rewritten as each unit finishes, as the local suite does after each step: a driver that dies loses little.
                o = SparkJob.run(sc, args, job, data, err, soFar -> job.write(results(soFar), command));
            } catch (SparkJob.Failed e) {
                err.println("expanse-spark: the job failed: " + SparkJob.firstLine(e.getMessage()));
                return 1;
            }
            err.printf(Locale.ROOT, "expanse-spark: %d units in %.1fs; the tasks' own times sum to %.1fs%n", o.done().size(),
                    (System.nanoTime() - t0) / 1e9, o.done().stream().mapToDouble(SparkJob.Done::seconds).sum());
            out.print(summary(o));
            out.println("wrote " + job.out().resolve("report.md"));
            return 0;
        } catch (IOException e) {
            err.println("expanse-spark: " + oneLine(e.getMessage()));
            return 2;
        }
    }

    /** The results of the units so far, null for those still running. */
    private static List<Serializable> results(List<SparkJob.Done> soFar) {
        return soFar.stream().map(d -> d == null ? null : d.result()).toList();
    }

    /** A table of the units: where each ran, on which backend, how long, after how many attempts. */
    static String summary(SparkJob.Outcome o) {
        StringBuilder sb = new StringBuilder("| unit | host | backend | seconds | attempt |\n|---|---|---|---|---|\n");
        for (SparkJob.Done d : o.done()) {
            sb.append(String.format(Locale.ROOT, "| %d | %s | %s | %.1f | %d |%n", d.unit(), d.host(), d.backend(), d.seconds(), d.attempt() + 1));
        }
        List<String> backends = o.done().stream().map(SparkJob.Done::backend).distinct().toList();
        if (backends.size() > 1) {
            sb.append("warning: the tasks ran on different backends ").append(backends)
                    .append(": their numbers need not match a local run\n");
        }
        if (o.failedAttempts() > 0) sb.append(o.failedAttempts()).append(" failed attempt(s), retried by Spark\n");
        return sb.toString();
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.strip().replaceAll("\\s*\\R\\s*", "; ");
    }
}
