package dev.expanse.method.train;

import dev.expanse.engine.Rng;
import dev.expanse.engine.data.Dataset;
import dev.expanse.engine.nn.Architectures;
import dev.expanse.engine.nn.Sequential;
import dev.expanse.engine.train.Progress;
import dev.expanse.kernels.Backend;
import dev.expanse.kernels.cpu.CpuBackend;
import dev.expanse.method.basics.GlyphBasics;
import dev.expanse.method.basics.PrototypeBasics;
import dev.expanse.method.train.TwoStep.EpochRecord;
import dev.expanse.method.train.TwoStep.Phase;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which basics make the best step 1? Trains the MLP on each kind of basics alone (step 1 only)
 * and scores it on a validation split of the training data after every epoch. Cheap, since the
 * basics are small, and never touches the test set. The kinds: k random examples per class (the
 * reference), k nearest-to-mean prototypes, k confident-linear prototypes, and, for digits, the
 * rendered glyphs.
 */
public final class TwoStepBasicsComparison {
    private TwoStepBasicsComparison() {
    }

    /** Validation accuracy after each step-1 epoch, per seed: {@code [seeds][epochs]}. */
    public record Curves(String basics, int size, double[][] valAccuracy) {
        /** Mean over seeds of the accuracy after {@code epoch} (1-based). */
        public double mean(int epoch) {
            return Arrays.stream(valAccuracy).mapToDouble(a -> a[epoch - 1]).average()
                    .orElse(Double.NaN);
        }

        /** Sample standard deviation over seeds after {@code epoch}. */
        public double sd(int epoch) {
            double m = mean(epoch), s = 0;
            for (double[] a : valAccuracy) {
                s += (a[epoch - 1] - m) * (a[epoch - 1] - m);
            }
            return valAccuracy.length < 2 ? 0 : Math.sqrt(s / (valAccuracy.length - 1));
        }

        /** The 1-based epoch with the best mean accuracy (the earliest on a tie). */
        public int bestEpoch() {
            int best = 1;
            for (int e = 2; e <= valAccuracy[0].length; e++) {
                if (mean(e) > mean(best)) {
                    best = e;
                }
            }
            return best;
        }
    }

    /**
     * Runs step 1 alone for every kind of basics and seed.
     *
     * @param dataset as {@link TwoStepComparison.Config#dataset()}
     * @param k examples per class of the random and prototype basics
     * @param glyphCopies copies per glyph; glyphs are left out unless the dataset is MNIST
     */
    public static List<Curves> run(String dataset, int k, int glyphCopies, int[] hidden,
            Phase step1, double validationFraction, long[] seeds, Backend be) throws IOException {
        Dataset train = TwoStepComparison.load(dataset, dev.expanse.engine.data.Datasets.Part.TRAIN);
        boolean digits = dataset.endsWith("mnist") && !dataset.endsWith("fashion-mnist");
        Map<String, double[][]> acc = new LinkedHashMap<>();
        Map<String, Integer> sizes = new LinkedHashMap<>();
        for (int s = 0; s < seeds.length; s++) {
            Rng rng = new Rng(seeds[s]);
            Dataset.Split split = train.split(1 - validationFraction, rng.fork("validation"));
            Dataset part = split.first(), val = split.second();
            Map<String, Dataset> kinds = new LinkedHashMap<>();
            kinds.put("random", randomPerClass(part, k, rng.fork("random")));
            kinds.put("nearest-mean", PrototypeBasics.select(part, k,
                    PrototypeBasics.Rule.NEAREST_MEAN, rng.fork("basics"), be));
            kinds.put("confident-linear", PrototypeBasics.select(part, k,
                    PrototypeBasics.Rule.CONFIDENT_LINEAR, rng.fork("basics"), be));
            if (digits) {
                kinds.put("glyphs", GlyphBasics.render(glyphCopies, rng.fork("basics")));
            }
            for (Map.Entry<String, Dataset> kind : kinds.entrySet()) {
                Sequential net = Architectures.mlp(be, rng.fork("init"), train.features(), hidden,
                        train.numClasses());
                List<EpochRecord> curve = TwoStep.train(net, kind.getValue(), part, val, step1,
                        new Phase(0, step1.learningRate(), step1.batchSize()),
                        rng.fork("two-step"), Progress.silent());
                acc.computeIfAbsent(kind.getKey(), x -> new double[seeds.length][])[s] =
                        curve.stream().mapToDouble(EpochRecord::valAccuracy).toArray();
                sizes.put(kind.getKey(), kind.getValue().size());
            }
        }
        List<Curves> out = new ArrayList<>();
        acc.forEach((name, a) -> out.add(new Curves(name, sizes.get(name), a)));
        return out;
    }

    /** A markdown table: basics, examples, best epoch, val accuracy there and at the last epoch. */
    public static String markdown(List<Curves> curves) {
        StringBuilder sb = new StringBuilder("| basics | examples | best epoch | val acc there (%) "
                + "| val acc at last epoch (%) |\n|---|---|---|---|---|\n");
        for (Curves c : curves) {
            int last = c.valAccuracy()[0].length, best = c.bestEpoch();
            sb.append(String.format(Locale.ROOT, "| %s | %d | %d | %.2f +- %.2f | %.2f +- %.2f |%n",
                    c.basics(), c.size(), best, 100 * c.mean(best), 100 * c.sd(best),
                    100 * c.mean(last), 100 * c.sd(last)));
        }
        return sb.toString();
    }

    /**
     * Command line: {@code [--dataset mnist] [--k 20] [--glyph-copies 2] [--hidden 256,128]
     * [--epochs1 30] [--lr1 1e-3] [--batch1 32] [--val 0.1] [--seeds 1,2,3]}; prints the table.
     */
    public static void main(String[] args) throws IOException {
        String dataset = "mnist";
        int k = 20, copies = 2, e1 = 30, b1 = 32;
        float lr1 = 1e-3f;
        int[] hidden = {256, 128};
        double val = 0.1;
        long[] seeds = {1, 2, 3};
        for (int i = 0; i + 1 < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--dataset" -> dataset = v;
                case "--k" -> k = Integer.parseInt(v);
                case "--glyph-copies" -> copies = Integer.parseInt(v);
                case "--hidden" -> hidden = Arrays.stream(v.split(",")).mapToInt(
                        s -> Integer.parseInt(s.trim())).toArray();
                case "--epochs1" -> e1 = Integer.parseInt(v);
                case "--lr1" -> lr1 = Float.parseFloat(v);
                case "--batch1" -> b1 = Integer.parseInt(v);
                case "--val" -> val = Double.parseDouble(v);
                case "--seeds" -> seeds = Arrays.stream(v.split(",")).mapToLong(
                        s -> Long.parseLong(s.trim())).toArray();
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (args.length % 2 != 0) {
            throw new IllegalArgumentException("every option needs a value");
        }
        try (Backend be = CpuBackend.fromProperties()) {
            List<Curves> curves = run(dataset, k, copies, hidden, new Phase(e1, lr1, b1), val,
                    seeds, be);
            System.out.printf(Locale.ROOT, "%s, MLP %s, step 1 only: %d epochs, lr %s, batch "
                    + "%d, k %d per class, validation %.0f%% of train, seeds %s%n%n", dataset,
                    Arrays.toString(hidden), e1, lr1, b1, k, 100 * val, Arrays.toString(seeds));
            System.out.print(markdown(curves));
        }
    }

    /** k examples of each class chosen uniformly at random, class by class. */
    static Dataset randomPerClass(Dataset d, int k, Rng rng) {
        int c = d.numClasses();
        List<List<Integer>> byClass = new ArrayList<>();
        for (int i = 0; i < c; i++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < d.size(); i++) {
            byClass.get(d.label(i)).add(i);
        }
        List<Integer> chosen = new ArrayList<>();
        for (List<Integer> members : byClass) {
            int[] idx = members.stream().mapToInt(Integer::intValue).toArray();
            rng.shuffle(idx);
            for (int j = 0; j < Math.min(k, idx.length); j++) {
                chosen.add(idx[j]);
            }
        }
        return d.select(chosen.stream().mapToInt(Integer::intValue).toArray());
    }
}
