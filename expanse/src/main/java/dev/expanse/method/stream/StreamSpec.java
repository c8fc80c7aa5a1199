package dev.expanse.method.stream;

import dev.expanse.method.model.Classes;
import dev.expanse.method.scenario.DataSource;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A stream: experiences learnt one after another. Its outputs, class-incremental, are numbered in
 * the order the classes arrive: the classes of experience 0 first, in ascending order, then those
 * of experience 1, and so on.
 *
 * @param name        a preset's name, or null for a stream written out
 * @param experiences at least two, no class of a dataset in two of them
 */
public record StreamSpec(String name, List<Experience> experiences) implements Serializable {

    /** The named streams, by name. */
    public static final Map<String, String> PRESETS = presets();

    public StreamSpec {
        experiences = List.copyOf(experiences);
        if (experiences.size() < 2) {
            throw new IllegalArgumentException("a stream needs at least two experiences, got " + experiences.size());
        }
        for (int i = 0; i < experiences.size(); i++) {
            for (int j = 0; j < i; j++) {
                Experience a = experiences.get(j), b = experiences.get(i);
                if (a.data() != b.data()) continue;
                for (int c : b.classes()) {
                    if (Arrays.stream(a.classes()).anyMatch(x -> x == c)) {
                        throw new IllegalArgumentException("class " + c + " of " + a.data().id() + " is in experience " + (j + 1)
                                + " and again in experience " + (i + 1));
                    }
                }
            }
        }
    }

    private static Map<String, String> presets() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("split-mnist", "mnist:0,1/mnist:2,3/mnist:4,5/mnist:6,7/mnist:8,9");
        p.put("split-fashion", "fashion-mnist:0,1/fashion-mnist:2,3/fashion-mnist:4,5/fashion-mnist:6,7/fashion-mnist:8,9");
        p.put("split-mnist-2", "mnist:0-4/mnist:5-9");
        p.put("split-fashion-2", "fashion-mnist:0-4/fashion-mnist:5-9");
        p.put("distant", "mnist:0-9/fashion-mnist:0-9");
        return p;
    }

    /**
     * A preset's name (see {@link #PRESETS}) or experiences separated by "/", each
     * {@code DATASET:CLASSES} ({@link Experience#parse}).
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static StreamSpec parse(String text) {
        String t = text.strip();
        String written = PRESETS.get(t);
        List<Experience> es = new ArrayList<>();
        for (String part : (written == null ? t : written).split("/")) es.add(Experience.parse(part));
        try {
            return new StreamSpec(written == null ? null : t, es);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " (presets: " + String.join(", ", PRESETS.keySet()) + ")");
        }
    }

    /** Number of experiences, T. */
    public int size() { return experiences.size(); }

    public Experience get(int i) { return experiences.get(i); }

    /** Output of the first class of experience {@code i}, class-incremental: the classes of the experiences before it. */
    public int offset(int i) {
        int o = 0;
        for (int j = 0; j < i; j++) o += experiences.get(j).size();
        return o;
    }

    /** Outputs after the last experience, class-incremental. */
    public int totalClasses() {
        return offset(size());
    }

    /** The datasets the stream uses, in order of first use. */
    public List<DataSource> datasets() {
        return experiences.stream().map(Experience::data).distinct().toList();
    }

    /** The experiences written out: "mnist:0,1/mnist:2,3". */
    public String written() {
        return experiences.stream().map(e -> e.data().id() + ":" + Classes.format(e.classes())).collect(Collectors.joining("/"));
    }

    /** A file-name-safe id: the preset's name, or the experiences written with "_" and "-". */
    public String id() {
        if (name != null) return name;
        return written().replace("fashion-mnist", "fashion").replace(':', '-').replace('/', '_').replace(',', '.');
    }

    /** For titles: "split-mnist (mnist 0,1 / mnist 2,3 / ...)" or the experiences alone. */
    public String title() {
        String es = experiences.stream().map(Experience::name).collect(Collectors.joining(" / "));
        return name == null ? es : name + " (" + es + ")";
    }
}
