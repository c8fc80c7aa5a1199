package dev.expanse.method.metrics;

import java.util.Locale;

/**
 * Mean and sample standard deviation ({@code n - 1} in the denominator) of a few values, e.g. one
 * per seed. With one value the standard deviation is 0; with none both are NaN.
 */
public record Summary(double mean, double sd, int n) {

    public static Summary of(double... values) {
        int n = values.length;
        if (n == 0) return new Summary(Double.NaN, Double.NaN, 0);
        double sum = 0;
        for (double v : values) sum += v;
        double mean = sum / n, ss = 0;
        for (double v : values) ss += (v - mean) * (v - mean);
        return new Summary(mean, n < 2 ? 0 : Math.sqrt(ss / (n - 1)), n);
    }

    /** "mean ± sd" with {@code decimals} decimals after scaling by {@code scale} (100 for percent); "-" when empty. */
    public String format(double scale, int decimals) {
        if (n == 0 || Double.isNaN(mean)) return "-";
        String f = "%." + decimals + "f";
        String m = String.format(Locale.ROOT, f, mean * scale);
        return n < 2 ? m : m + " ± " + String.format(Locale.ROOT, f, sd * scale);
    }
}
