package dev.expanse.cli;

import dev.expanse.method.strategy.NetSpec;
import dev.expanse.method.strategy.Strategies;
import dev.expanse.method.strategy.Strategy;
import java.util.ArrayList;
import java.util.List;

/** Parsing of option values, with errors that name the option. */
final class Args {
    private Args() {
    }

    /**
     * A fraction in [0, 1], written as a decimal ("0.1"), a ratio ("2/3") or a percentage ("10%").
     */
    static double fraction(String option, String text) {
        String t = text.trim();
        double v;
        try {
            if (t.endsWith("%")) {
                v = Double.parseDouble(t.substring(0, t.length() - 1)) / 100;
            } else if (t.contains("/")) {
                String[] p = t.split("/", 2);
                v = Double.parseDouble(p[0]) / Double.parseDouble(p[1]);
            } else {
                v = Double.parseDouble(t);
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": '" + text + "' is not a fraction (use 0.1, 2/3 or 10%)");
        }
        if (!(v >= 0 && v <= 1)) throw new IllegalArgumentException(option + ": '" + text + "' is not in [0, 1]");
        return v;
    }

    /** "all" or a comma-separated list of strategy ids. */
    static List<Strategy> strategies(String option, String text) {
        if (text.equals("all")) return Strategies.all();
        List<Strategy> out = new ArrayList<>();
        for (String id : text.split(",")) {
            try {
                Strategy s = Strategies.byId(id.trim());
                if (out.stream().anyMatch(x -> x.id().equals(s.id()))) {
                    throw new IllegalArgumentException("strategy '" + s.id() + "' is named twice");
                }
                out.add(s);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(option + ": " + e.getMessage());
            }
        }
        return out;
    }

    /** "mlp" (the published 300-200 -> 500-300) or "cnn". */
    static NetSpec arch(String option, String text) {
        return switch (text) {
            case "mlp" -> NetSpec.publishedMlp();
            case "cnn" -> NetSpec.defaultCnn();
            default -> throw new IllegalArgumentException(option + ": unknown architecture '" + text + "' (mlp, cnn)");
        };
    }
}
