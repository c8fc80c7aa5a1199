package dev.expanse.method.strategy;

import dev.expanse.engine.Init;
import dev.expanse.engine.Rng;
import dev.expanse.engine.nn.Conv2d;
import dev.expanse.engine.nn.Dense;
import dev.expanse.engine.nn.Flatten;
import dev.expanse.engine.nn.MaxPool2d;
import dev.expanse.engine.nn.ActivationLayer;
import dev.expanse.kernels.Activation;
import dev.expanse.engine.nn.Sequential;
import dev.expanse.kernels.Backend;
import java.io.Serializable;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The shape of the networks in a scenario: the trunk (every layer below the heads) at its source
 * width and at its expanded width.
 *
 * <ul>
 *   <li>MLP: dense layers "dense1", "dense2", ... each followed by a ReLU; {@code widths} are the
 *       neurons per layer.</li>
 *   <li>CNN: 5x5 conv layers "conv1", "conv2", each followed by a ReLU and a 2x2 max-pool, then a
 *       flatten; {@code widths} are the filters per layer.</li>
 * </ul>
 *
 * @param kind        MLP or CNN
 * @param source      widths of the source network, e.g. {300, 200}
 * @param expanded    widths after expansion, each at least the source width, e.g. {500, 300}
 * @param progressive width of the one hidden layer the progressive strategy adds on top
 */
public record NetSpec(Kind kind, int[] source, int[] expanded, int progressive) implements Serializable {

    /** Trunk family. */
    public enum Kind { MLP, CNN }

    public NetSpec {
        if (source.length == 0 || source.length != expanded.length) {
            throw new IllegalArgumentException("net spec needs as many expanded widths as source widths, got "
                    + Arrays.toString(source) + " -> " + Arrays.toString(expanded));
        }
        for (int i = 0; i < source.length; i++) {
            if (source[i] < 1 || expanded[i] < source[i]) {
                throw new IllegalArgumentException("layer " + (i + 1) + ": cannot expand width " + source[i]
                        + " to " + expanded[i]);
            }
        }
        if (progressive < 1) throw new IllegalArgumentException("progressive width must be >= 1, got " + progressive);
        source = source.clone();
        expanded = expanded.clone();
    }

    /** The published MLP: 784-300-200 expanded to 784-500-300. */
    public static NetSpec publishedMlp() {
        return new NetSpec(Kind.MLP, new int[] {300, 200}, new int[] {500, 300}, 300);
    }

    /** A LeNet-style CNN whose filters double: 8-16 expanded to 16-32. */
    public static NetSpec defaultCnn() {
        return new NetSpec(Kind.CNN, new int[] {8, 16}, new int[] {16, 32}, 256);
    }

    /**
     * The network named {@code name}: "mlp" ({@link #publishedMlp()}) or "cnn" ({@link #defaultCnn()}).
     *
     * @throws IllegalArgumentException for any other name
     */
    public static NetSpec parse(String name) {
        return switch (name) {
            case "mlp" -> publishedMlp();
            case "cnn" -> defaultCnn();
            default -> throw new IllegalArgumentException("unknown architecture '" + name + "' (mlp, cnn)");
        };
    }

    @Override
    public int[] source() { return source.clone(); }

    @Override
    public int[] expanded() { return expanded.clone(); }

    /** Layer name of trunk layer {@code i} (0-based). */
    public String layerName(int i) {
        return (kind == Kind.MLP ? "dense" : "conv") + (i + 1);
    }

    /**
     * A randomly initialised trunk (He-normal weights, zero biases) at the source or expanded width.
     *
     * @param inputShape {@code [features]} or {@code [C, H, W]}; the MLP flattens nothing, so it
     *                   takes the product of the shape
     */
    public Sequential trunk(Backend be, Rng rng, int[] inputShape, boolean expandedWidth) {
        int[] w = expandedWidth ? expanded : source;
        if (kind == Kind.MLP) {
            int in = Arrays.stream(inputShape).reduce(1, (a, b) -> a * b);
            Sequential s = new Sequential(be, new int[] {in});
            for (int i = 0; i < w.length; i++) {
                Dense d = new Dense(layerName(i), be, in, w[i], Init.HE_NORMAL, rng);
                d.reserve(expanded[i], i == 0 ? in : expanded[i - 1]);
                s.add(d);
                s.add(new ActivationLayer("relu" + (i + 1), Activation.RELU));
                in = w[i];
            }
            return s;
        }
        if (inputShape.length != 3) {
            throw new IllegalArgumentException("the CNN needs [C, H, W] inputs, got " + Arrays.toString(inputShape));
        }
        Sequential s = new Sequential(be, inputShape);
        int in = inputShape[0];
        for (int i = 0; i < w.length; i++) {
            s.add(new Conv2d(layerName(i), be, in, w[i], 5, 5, 1, 0, Init.HE_NORMAL, rng));
            s.add(new ActivationLayer("relu" + (i + 1), Activation.RELU));
            s.add(new MaxPool2d("pool" + (i + 1), 2, 2));
            in = w[i];
        }
        s.add(new Flatten("flatten"));
        return s;
    }

    /** How many neurons or filters expansion adds per trunk layer, by layer name. */
    public Map<String, Integer> growthPlan() {
        Map<String, Integer> plan = new LinkedHashMap<>();
        for (int i = 0; i < source.length; i++) plan.put(layerName(i), expanded[i] - source[i]);
        return plan;
    }

    @Override
    public String toString() {
        String unit = kind == Kind.MLP ? "" : " filters";
        return kind.name().toLowerCase() + " " + Arrays.toString(source) + " -> " + Arrays.toString(expanded) + unit;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NetSpec n && n.kind == kind && Arrays.equals(n.source, source)
                && Arrays.equals(n.expanded, expanded) && n.progressive == progressive;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * kind.hashCode() + Arrays.hashCode(source)) + Arrays.hashCode(expanded) + progressive;
    }
}
