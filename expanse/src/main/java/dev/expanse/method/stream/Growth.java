package dev.expanse.method.stream;

import dev.expanse.method.strategy.NetSpec;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Locale;

/**
 * How much every trunk layer grows before each experience after the first: a fixed number of
 * neurons or filters per layer, or a fraction of the layer's current width (rounded, at least one).
 *
 * @param fixed    neurons or filters added per layer, or null for a fraction
 * @param fraction the fraction of the current width added, when {@code fixed} is null
 */
public record Growth(int[] fixed, double fraction) implements Serializable {

    public Growth {
        if (fixed != null) {
            fixed = fixed.clone();
            for (int k : fixed) if (k < 0) throw new IllegalArgumentException("--grow: a layer cannot grow by " + k);
        } else if (!(fraction > 0 && fraction <= 10)) {
            throw new IllegalArgumentException("--grow: a fraction of the width must be in (0, 10], got " + fraction);
        }
    }

    @Override public int[] fixed() { return fixed == null ? null : fixed.clone(); }

    /** The architecture's own expansion, per layer: its expanded widths minus its source widths. */
    public static Growth of(NetSpec net) {
        return new Growth(net.growthPlan().values().stream().mapToInt(Integer::intValue).toArray(), 0);
    }

    /**
     * "200,100" (per layer) or "50%" / "0.5x" (of the current width).
     *
     * @throws IllegalArgumentException naming the text
     */
    public static Growth parse(String text) {
        String t = text.strip();
        try {
            if (t.endsWith("%")) return new Growth(null, Double.parseDouble(t.substring(0, t.length() - 1)) / 100);
            if (t.endsWith("x")) return new Growth(null, Double.parseDouble(t.substring(0, t.length() - 1)));
            return new Growth(Arrays.stream(t.split(",")).mapToInt(s -> Integer.parseInt(s.strip())).toArray(), 0);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--grow: '" + text + "' is neither neurons per layer (200,100) nor a fraction of the width (50%)");
        }
    }

    /**
     * The widths after one growth of {@code widths}.
     *
     * @throws IllegalArgumentException if a fixed growth names another number of layers
     */
    public int[] next(int[] widths) {
        if (fixed != null && fixed.length != widths.length) {
            throw new IllegalArgumentException("--grow names " + fixed.length + " layers but the network has " + widths.length);
        }
        int[] out = new int[widths.length];
        for (int i = 0; i < widths.length; i++) {
            out[i] = widths[i] + (fixed != null ? fixed[i] : Math.max(1, (int) Math.round(fraction * widths[i])));
        }
        return out;
    }

    @Override
    public String toString() {
        if (fixed != null) return "+" + String.join(",+", Arrays.stream(fixed).mapToObj(Integer::toString).toList());
        return String.format(Locale.ROOT, "+%.0f%%", fraction * 100);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Growth g && Arrays.equals(g.fixed, fixed) && g.fraction == fraction;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(fixed) * 31 + Double.hashCode(fraction);
    }
}
