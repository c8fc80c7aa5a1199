package dev.expanse.cli;

import picocli.CommandLine.Option;

/** {@code --fixtures}: the small committed datasets instead of the full ones. */
final class FixturesOption {

    @Option(names = "--fixtures",
            description = "Use the small committed fixtures (600 training images) instead of the full datasets: a quick smoke run.")
    boolean on;
}
