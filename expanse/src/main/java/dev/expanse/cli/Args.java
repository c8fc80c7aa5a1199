package dev.expanse.cli;

import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.TypeConversionException;

/** Parsing and checking of option values, with errors that name the option. */
final class Args {
    private Args() {
    }

    /**
     * {@code value.get()}, with an {@link IllegalArgumentException} it throws (a value the method
     * code rejects) re-thrown with {@code option} in front of its message.
     */
    static <T> T option(String option, Supplier<T> value) {
        try {
            return value.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
        }
    }

    /**
     * Makes every {@code float} and {@code double} option refuse NaN and the infinities as it is
     * parsed ({@link #finite}): no option of the tool means anything with them, and a learning
     * rate of Infinity used to run to the end, reporting NaN.
     */
    static void registerConverters(CommandLine cl) {
        CommandLine.ITypeConverter<Double> d = Args::finite;
        CommandLine.ITypeConverter<Float> f = s -> finite(s).floatValue();
        cl.registerConverter(Double.class, d).registerConverter(Double.TYPE, d)
                .registerConverter(Float.class, f).registerConverter(Float.TYPE, f);
    }

    /**
     * A finite number; picocli puts "Invalid value for option '--lr':" in front of the message.
     * A value that overflows a float (1e40) is refused too.
     */
    static Double finite(String text) {
        double v;
        try {
            v = Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + text + "' is not a number");
        }
        if (!Double.isFinite(v) || Math.abs(v) > Float.MAX_VALUE) {
            throw new TypeConversionException("'" + text + "' is not a finite number");
        }
        return v;
    }

    /** Checks {@code value >= min}: for the options that no method-side record checks. */
    static int atLeast(String option, int value, int min) {
        if (value < min) throw new IllegalArgumentException(option + " must be >= " + min + ", got " + value);
        return value;
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
}
