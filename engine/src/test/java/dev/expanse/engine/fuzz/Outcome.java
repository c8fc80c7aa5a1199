package dev.expanse.engine.fuzz;

/**
 * What one fuzz input did.
 *
 * @param kind     success, the documented failure, or anything else
 * @param category a short normalised description for the counts (numbers and quoted values
 *                 replaced), e.g. "truncated" or "Unknown option"
 * @param detail   the full message, for a reproducer
 */
public record Outcome(Kind kind, String category, String detail) {
    /** The three kinds an input can end in; only {@link #UNEXPECTED} fails a fuzz run. */
    public enum Kind { SUCCESS, DOCUMENTED, UNEXPECTED }

    public static Outcome success() {
        return new Outcome(Kind.SUCCESS, "success", "");
    }

    /** The documented failure, counted under {@link #normalise normalised} {@code message}. */
    public static Outcome documented(String message) {
        return new Outcome(Kind.DOCUMENTED, normalise(message), message);
    }

    /** Anything else: a wrong exception type, a message that breaks the contract, an error. */
    public static Outcome unexpected(String what) {
        return new Outcome(Kind.UNEXPECTED, normalise(what), what);
    }

    /** An outcome for a throwable that is not the documented failure. */
    public static Outcome unexpected(Throwable t) {
        return unexpected(t.getClass().getName() + ": " + t.getMessage());
    }

    /**
     * A message with its values taken out, so that faults of one kind count together: quoted
     * values become {@code '…'}, numbers {@code N}, shapes {@code [N]}; cut at 70 characters.
     */
    static String normalise(String message) {
        String m = String.valueOf(message).replaceAll("'[^']*'", "'…'")
                .replaceAll("0x[0-9a-fA-F]+|-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?", "N").replaceAll("\\[N(, N)*]", "[N]").strip();
        return m.length() <= 70 ? m : m.substring(0, 70) + "…";
    }
}
