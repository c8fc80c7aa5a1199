package dev.expanse.method.model;

import java.util.Arrays;
import java.util.TreeSet;

/** A set of class labels written as "0-4", "5,7,9", "0-2,7" (ascending, no repeats). */
public final class Classes {
    private Classes() {
    }

    /**
     * The labels of {@code text}, ascending.
     *
     * @throws IllegalArgumentException naming the text if it is not a list of labels and ranges in [0, limit)
     */
    public static int[] parse(String text, int limit) {
        TreeSet<Integer> out = new TreeSet<>();
        for (String part : text.split(",")) {
            String p = part.strip();
            try {
                int dash = p.indexOf('-', 1);
                int lo = Integer.parseInt(dash < 0 ? p : p.substring(0, dash).strip());
                int hi = dash < 0 ? lo : Integer.parseInt(p.substring(dash + 1).strip());
                if (lo < 0 || hi < lo || hi >= limit) throw new NumberFormatException();
                for (int c = lo; c <= hi; c++) out.add(c);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' is not a list of classes in [0, " + limit
                        + ") such as 0-4 or 5,7,9");
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** "0-4" for a run of consecutive labels, else "5,7,9". */
    public static String format(int[] labels) {
        boolean run = labels.length > 1;
        for (int i = 1; i < labels.length; i++) run &= labels[i] == labels[i - 1] + 1;
        if (run) return labels[0] + "-" + labels[labels.length - 1];
        return String.join(",", Arrays.stream(labels).mapToObj(Integer::toString).toList());
    }
}
