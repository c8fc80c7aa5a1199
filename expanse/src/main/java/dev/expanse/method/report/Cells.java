package dev.expanse.method.report;

import dev.expanse.method.metrics.Summary;
import java.util.Locale;

/** How the reports write a number: in a markdown table, or in a CSV file. */
final class Cells {
    private Cells() {
    }

    /** "mean ± sd" in percent, two decimals. */
    static String pct(Summary s) {
        return s.format(100, 2);
    }

    /** A fraction in percent, two decimals; "-" for NaN. */
    static String pct1(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f", 100 * v);
    }

    /** One markdown table row. */
    static String row(String... cells) {
        return "| " + String.join(" | ", cells) + " |\n";
    }

    /** A CSV number, six decimals; empty for NaN. */
    static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6f", v);
    }
}
