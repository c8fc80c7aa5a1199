package dev.expanse.cli;

import dev.expanse.engine.train.Progress;
import picocli.CommandLine.Option;

/** {@code --quiet}: only the results, on standard output; on standard error nothing but errors. */
final class QuietOption {

    @Option(names = {"-q", "--quiet"}, description = "Print only the results: no progress, no backend line; errors still go to standard error.")
    boolean on;

    /**
     * The command's progress on standard error, or none when quiet. Call it before opening the
     * backend: when quiet it also turns the backend's information line off
     * ({@code -Dexpanse.log=warn}, unless the property is set).
     */
    Progress progress() {
        if (!on) return new Progress(System.err);
        if (System.getProperty("expanse.log") == null) System.setProperty("expanse.log", "warn");
        return Progress.silent();
    }
}
