package dev.expanse.cli;

import dev.expanse.method.scenario.DataSource;
import picocli.CommandLine.Option;

/** {@code --dataset}: the images a command trains on. */
final class DatasetOption {

    @Option(names = "--dataset", paramLabel = "NAME",
            description = "mnist or fashion-mnist (or fashion). Default: ${DEFAULT-VALUE}")
    String name = "mnist";

    /** The dataset named, see {@link DataSource#parse}. */
    DataSource get() {
        return Args.option("--dataset", () -> DataSource.parse(name));
    }
}
