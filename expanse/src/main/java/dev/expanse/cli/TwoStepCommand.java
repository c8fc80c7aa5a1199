package dev.expanse.cli;

import dev.expanse.engine.train.Progress;
import dev.expanse.kernels.Backend;
import dev.expanse.kernels.cpu.CpuBackend;
import dev.expanse.method.train.TwoStepComparison;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/** {@code expanse two-step}: two-step training (basics, then basics + data) against one-step training. */
@Command(name = "two-step", mixinStandardHelpOptions = true,
        description = {"Compare two-step training (basics first, then basics + the full training set) with one-step",
                "training on the same number of steps, over several seeds; prints a markdown table.",
                "Options (see docs/basics.md): --dataset mnist|fashion-mnist|fixture:NAME",
                "  --basics glyphs|nearest-mean|confident-linear --k N --glyph-copies N --hidden 256,128",
                "  --epochs1 N --lr1 X --batch1 N --epochs2 N --lr2 X --batch2 N --lr X --batch N --val F",
                "  --seeds 1,2,3 --selection (score on the validation split, never load the test set)"})
final class TwoStepCommand implements Callable<Integer> {

    @Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        TwoStepComparison.Config c = TwoStepComparison.parse(args.toArray(new String[0]));
        try (Backend be = CpuBackend.fromProperties()) {
            List<TwoStepComparison.Row> rows = TwoStepComparison.run(c, be, new Progress(System.err));
            System.out.println(TwoStepComparison.describe(c, rows));
            System.out.println();
            System.out.print(TwoStepComparison.markdown(c, rows));
        }
        return 0;
    }
}
