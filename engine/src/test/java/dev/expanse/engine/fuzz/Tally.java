package dev.expanse.engine.fuzz;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Counts of a fuzz run by kind and by category, and the first reproducers of unexpected outcomes. */
public final class Tally {
    private static final int KEPT = 10;
    private static final int SHOWN = 15;

    private final String name;
    private final Map<Outcome.Kind, Integer> byKind = new EnumMap<>(Outcome.Kind.class);
    private final Map<String, Integer> byCategory = new TreeMap<>();
    private final List<String> reproducers = new ArrayList<>();
    private long nanos;

    public Tally(String name) {
        this.name = name;
        for (Outcome.Kind k : Outcome.Kind.values()) byKind.put(k, 0);
    }

    /** Counts {@code o}; for an unexpected outcome keeps {@code input} (how to replay it), up to 10. */
    public void add(Outcome o, String input) {
        byKind.merge(o.kind(), 1, Integer::sum);
        byCategory.merge(o.kind() + ": " + o.category(), 1, Integer::sum);
        if (o.kind() == Outcome.Kind.UNEXPECTED && reproducers.size() < KEPT) reproducers.add(input + " -> " + o.detail());
    }

    /** Adds the counts and reproducers of {@code other}. */
    void addAll(Tally other) {
        other.byKind.forEach((k, v) -> byKind.merge(k, v, Integer::sum));
        other.byCategory.forEach((k, v) -> byCategory.merge(k, v, Integer::sum));
        for (String r : other.reproducers) if (reproducers.size() < KEPT) reproducers.add(r);
    }

    void addNanos(long n) {
        nanos += n;
    }

    public String name() { return name; }

    public int total() { return byKind.values().stream().mapToInt(Integer::intValue).sum(); }

    public int count(Outcome.Kind k) { return byKind.get(k); }

    /** The first unexpected outcomes, each with its input. */
    public List<String> reproducers() { return List.copyOf(reproducers); }

    /**
     * A markdown section: the totals by kind, the most frequent categories, and any
     * reproducers.
     */
    public String markdown() {
        StringBuilder sb = new StringBuilder("### " + name + "\n\n");
        sb.append(String.format("%d inputs in %.1f s: %d success, %d documented failure, %d unexpected%n%n",
                total(), nanos / 1e9, count(Outcome.Kind.SUCCESS), count(Outcome.Kind.DOCUMENTED),
                count(Outcome.Kind.UNEXPECTED)));
        sb.append("| outcome | inputs |\n|---|---:|\n");
        Map<String, Integer> top = new LinkedHashMap<>();
        byCategory.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(SHOWN)
                .forEach(e -> top.put(e.getKey(), e.getValue()));
        top.forEach((k, v) -> sb.append("| ").append(k.replace("|", "\\|")).append(" | ").append(v).append(" |\n"));
        int rest = total() - top.values().stream().mapToInt(Integer::intValue).sum();
        if (rest > 0) sb.append("| (").append(byCategory.size() - top.size()).append(" other categories) | ").append(rest).append(" |\n");
        for (String r : reproducers) sb.append("\n    ").append(r);
        return sb.append('\n').toString();
    }
}
