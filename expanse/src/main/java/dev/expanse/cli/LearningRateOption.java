package dev.expanse.cli;

import dev.expanse.method.scenario.Hyper;
import picocli.CommandLine.Option;

/** {@code --lr}: Adam's learning rate, of every phase. */
final class LearningRateOption {

    @Option(names = "--lr", paramLabel = "RATE", description = "Adam learning rate. Default: ${DEFAULT-VALUE}")
    float rate = Hyper.defaults().learningRate();
}
