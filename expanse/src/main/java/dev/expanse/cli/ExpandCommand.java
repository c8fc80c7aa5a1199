package dev.expanse.cli;

import dev.expanse.engine.io.Checkpoint;
import dev.expanse.engine.io.CheckpointException;
import dev.expanse.kernels.Backend;
import dev.expanse.method.model.Expansion;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code expanse expand}: widens a saved model in place and saves the result. */
@Command(name = "expand", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Widen a saved model's layers in place and save the result.",
                "Adds neurons or filters per layer; prints the summary before and after.",
                "--policy frozen (zero new-to-old weights, old rows frozen: the old logits stay bit-identical) or published",
                "(the authors' EXPANSE: random new weights, nothing frozen).",
                "Example: expanse expand mnist-04.safetensors --plan dense1=+200,dense2=+100,head=+5 --out grown.safetensors"})
final class ExpandCommand implements Callable<Integer>, Checked {

    @Parameters(index = "0", paramLabel = "MODEL", description = "The checkpoint to expand.")
    Path model;

    @Option(names = "--plan", required = true, paramLabel = "PLAN", description = "Outputs to add per layer, e.g. dense1=+200,dense2=+100,head=+5.")
    String plan;

    @Option(names = "--policy", description = "frozen or published. Default: ${DEFAULT-VALUE}")
    String policy = "frozen";

    @Option(names = "--seed", description = "Seed of the new weights. Default: ${DEFAULT-VALUE}")
    long seed = 1;

    @Option(names = "--out", required = true, paramLabel = "MODEL", description = "Where the expanded model goes.")
    Path out;

    @Mixin
    BackendOption backend;

    @Mixin
    QuietOption quiet;

    @Override
    public void check() {
        expansion();
        OutputPaths.file("--out", out);
    }

    private Expansion expansion() {
        return new Expansion(Args.option("--plan", () -> Expansion.parsePlan(plan)),
                Args.option("--policy", () -> Expansion.Policy.parse(policy)), seed);
    }

    @Override
    public Integer call() throws Exception {
        check();
        Expansion e = expansion();
        quiet.progress(); // the backend line off when quiet
        try (Backend be = backend.open(); Checkpoint.Contents c = Checkpoint.load(model, be)) {
            if (!c.heads().isEmpty()) throw new CheckpointException(model, "has extra heads; expand takes single-head models");
            System.out.println("before:");
            System.out.print(c.trunk().summary());
            try {
                e.apply(c.trunk());
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("--plan: " + ex.getMessage(), ex);
            }
            System.out.println("after (" + e.policy().id() + "):");
            System.out.print(c.trunk().summary());
            Checkpoint.save(out, c.trunk(), c.info().with("expanded_from", model.getFileName().toString()), null);
            System.out.println("saved " + out);
        }
        return 0;
    }
}
