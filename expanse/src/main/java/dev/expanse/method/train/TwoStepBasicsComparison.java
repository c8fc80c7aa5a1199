package dev.expanse.method.train;

import dev.expanse.engine.Rng;
import dev.expanse.engine.data.Dataset;
import dev.expanse.engine.data.Datasets;
import dev.expanse.engine.nn.Architectures;
import dev.expanse.engine.nn.Sequential;
import dev.expanse.engine.train.Progress;
import dev.expanse.kernels.Backend;
import dev.expanse.method.metrics.Summary;
import dev.expanse.method.scenario.Basics;
import dev.expanse.method.scenario.DataSource;
import dev.expanse.method.train.TwoStep.EpochRecord;
import dev.expanse.method.train.TwoStep.Phase;
import dev.expanse.method.train.TwoStepComparison.Config;
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
        /** Mean and sample standard deviation over seeds of the accuracy after {@code epoch} (1-based). */
        public Summary at(int epoch) {
            return Summary.of(Arrays.stream(valAccuracy).mapToDouble(a -> a[epoch - 1]).toArray());
        }

        /** The 1-based epoch with the best mean accuracy (the earliest on a tie). */
        public int bestEpoch() {
            int best = 1;
            for (int e = 2; e <= valAccuracy[0].length; e++) {
                if (at(e).mean() > at(best).mean()) {
                    best = e;
                }
            }
            return best;
        }
    }

    /**
     * Runs step 1 alone ({@code c.step1()}) for every kind of basics and every seed of {@code c}
     * on an MLP of {@code c.hidden()}, on {@code be}. The kinds: {@code c.basicsPerClass()}
     * random examples per class, as many nearest-mean and confident-linear prototypes, and, for
     * MNIST, {@code c.glyphCopies()} copies of the rendered glyphs; {@code c.basics()}, step 2
     * and the one-step settings are not used.
     *
     * @return one curve per kind, in the order above
     */
    public static List<Curves> run(Config c, Backend be, Progress progress) throws IOException {
        Dataset train = c.dataset().load(Datasets.Part.TRAIN, c.fixtures());
        List<Basics.Kind> rules = new ArrayList<>(List.of(Basics.Kind.NEAREST_MEAN, Basics.Kind.CONFIDENT_LINEAR));
        if (c.dataset() == DataSource.MNIST) {
            rules.add(Basics.Kind.GLYPHS);
        }
        long[] seeds = c.seeds();
        Map<String, double[][]> acc = new LinkedHashMap<>();
        Map<String, Integer> sizes = new LinkedHashMap<>();
        for (int s = 0; s < seeds.length; s++) {
            Rng rng = new Rng(seeds[s]);
            Dataset.Split split = train.split(1 - c.validationFraction(), rng.fork("validation"));
            Dataset part = split.first(), val = split.second();
            Map<String, Dataset> kinds = new LinkedHashMap<>();
            kinds.put("random", randomPerClass(part, c.basicsPerClass(), rng.fork("random")));
            for (Basics.Kind kind : rules) {
                kinds.put(kind.cliName(), kind.of(c.dataset(), c.basicsPerClass(), c.glyphCopies())
                        .basics(part, rng.fork("basics"), be));
            }
            for (Map.Entry<String, Dataset> kind : kinds.entrySet()) {
                Sequential net = Architectures.mlp(be, rng.fork("init"), train.features(), c.hidden(),
                        train.numClasses());
                List<EpochRecord> curve = TwoStep.train(net, kind.getValue(), part, val, c.step1(),
                        new Phase(0, c.step1().learningRate(), c.step1().batchSize()),
                        rng.fork("two-step"), progress);
                acc.computeIfAbsent(kind.getKey(), x -> new double[seeds.length][])[s] =
                        curve.stream().mapToDouble(EpochRecord::valAccuracy).toArray();
                sizes.put(kind.getKey(), kind.getValue().size());
            }
        }
        List<Curves> out = new ArrayList<>();
        acc.forEach((name, a) -> out.add(new Curves(name, sizes.get(name), a)));
        return out;
    }

    /** A one-line description of the setting, for the report above the table. */
    public static String describe(Config c) {
        return String.format(Locale.ROOT, "%s, MLP %s, step 1 only: %d epochs, lr %s, batch %d, k %d "
                + "per class, validation %.0f%% of train, seeds %s", c.dataName(),
                Arrays.toString(c.hidden()), c.step1().epochs(), c.step1().learningRate(),
                c.step1().batchSize(), c.basicsPerClass(), 100 * c.validationFraction(),
                Arrays.toString(c.seeds()));
    }

    /** A markdown table: basics, examples, best epoch, val accuracy there and at the last epoch. */
    public static String markdown(List<Curves> curves) {
        StringBuilder sb = new StringBuilder("| basics | examples | best epoch | val acc there (%) "
                + "| val acc at last epoch (%) |\n|---|---|---|---|---|\n");
        for (Curves c : curves) {
            Summary best = c.at(c.bestEpoch()), last = c.at(c.valAccuracy()[0].length);
            sb.append(String.format(Locale.ROOT, "| %s | %d | %d | %.2f +- %.2f | %.2f +- %.2f |%n",
                    c.basics(), c.size(), c.bestEpoch(), 100 * best.mean(), 100 * best.sd(),
                    100 * last.mean(), 100 * last.sd()));
        }
        return sb.toString();
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
