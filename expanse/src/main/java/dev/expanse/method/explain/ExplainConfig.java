package dev.expanse.method.explain;

import dev.expanse.method.scenario.DataSource;
import dev.expanse.method.strategy.NetSpec;

/**
 * What {@code expanse explain} runs: a network small enough to draw every weight, trained on
 * classes 0-4 of one dataset, widened, then trained on classes 5-9 (with a little rehearsal of
 * 0-4), once with frozen EXPANSE and once with published EXPANSE.
 *
 * @param arch      the network family and its widths before and after expansion
 * @param data      MNIST or Fashion-MNIST
 * @param fixtures  the 600 committed training images instead of the full set
 * @param seed      every random draw forks from it
 * @param epochs    epochs of the source phase, and again of each target phase
 * @param rehearsal fraction of the source training images replayed in the target phase
 */
public record ExplainConfig(Arch arch, DataSource data, boolean fixtures, long seed, int epochs, double rehearsal) {

    /** Learning rate of Adam in both phases. */
    public static final float LEARNING_RATE = 2e-3f;

    /** The default rehearsal: a tenth of the source training images join the target phase. */
    public static final double REHEARSAL = 0.1;

    /** Mini-batch size of both phases. */
    public static final int BATCH = 64;

    /** Source classes 0-4; the target adds 5-9. */
    public static final int[] SOURCE_CLASSES = {0, 1, 2, 3, 4}, TARGET_CLASSES = {5, 6, 7, 8, 9};

    /** The two networks this page can draw. */
    public enum Arch {
        /** MLP 784-16-8-5 grown to 784-24-12-10. */
        MLP(new NetSpec(NetSpec.Kind.MLP, new int[] {16, 8}, new int[] {24, 12}, 1), "MLP 784-16-8-5 grown to 784-24-12-10"),
        /** LeNet-style conv5x5 4 - pool - conv5x5 8 - pool - dense 5, grown to 6 and 12 filters and 10 outputs. */
        CNN(new NetSpec(NetSpec.Kind.CNN, new int[] {4, 8}, new int[] {6, 12}, 1),
                "LeNet-style CNN, conv 5x5 with 4 and 8 filters and 5 outputs, grown to 6 and 12 filters and 10 outputs");

        private final NetSpec spec;
        private final String words;

        Arch(NetSpec spec, String words) {
            this.spec = spec;
            this.words = words;
        }

        /** The network in words, e.g. "MLP 784-16-8-5 grown to 784-24-12-10". */
        public String words() { return words; }

        /** Trunk widths before and after expansion. */
        public NetSpec spec() { return spec; }

        /**
         * "mlp" or "cnn".
         *
         * @throws IllegalArgumentException naming the bad value
         */
        public static Arch parse(String name) {
            return switch (name) {
                case "mlp" -> MLP;
                case "cnn" -> CNN;
                default -> throw new IllegalArgumentException("unknown architecture '" + name + "' (mlp, cnn)");
            };
        }
    }

    /** @throws IllegalArgumentException if {@code epochs < 1} or {@code rehearsal} is outside [0, 1] */
    public ExplainConfig {
        if (epochs < 1) throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        if (!(rehearsal >= 0 && rehearsal <= 1)) throw new IllegalArgumentException("rehearsal must be in [0, 1], got " + rehearsal);
    }

    /**
     * Epochs per phase when none are given: enough that the new units learn something worth
     * looking at, few enough for a short run on 2 cores. On the 600 fixture images: 40 (MLP) and
     * 12 (CNN); on the full data: 3 (MLP) and 1 (CNN, whose epoch costs about fifteen MLP epochs
     * here).
     */
    public static int defaultEpochs(Arch arch, boolean fixtures) {
        if (arch == Arch.MLP) return fixtures ? 40 : 3;
        return fixtures ? 12 : 1;
    }

    /** One line for the page and the progress log. */
    public String describe() {
        return arch.words() + ", on " + data.id() + (fixtures ? " (the committed fixtures)" : "")
                + ", " + epochs + " epochs per phase, rehearsal " + Math.round(100 * rehearsal) + "%, seed " + seed;
    }
}
