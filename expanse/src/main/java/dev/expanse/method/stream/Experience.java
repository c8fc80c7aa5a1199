package dev.expanse.method.stream;

import dev.expanse.method.model.Classes;
import dev.expanse.method.scenario.DataSource;
import java.io.Serializable;

/**
 * One experience of a stream: some classes of one dataset, learnt together.
 *
 * @param data    the dataset
 * @param classes its classes in this experience, ascending, at least one
 */
public record Experience(DataSource data, int[] classes) implements Serializable {

    public Experience {
        if (classes.length == 0) throw new IllegalArgumentException("an experience needs at least one class of " + data.id());
        classes = classes.clone();
    }

    @Override public int[] classes() { return classes.clone(); }

    /** How many classes. */
    public int size() { return classes.length; }

    /** "mnist 0,1" or "fashion-mnist 0-4". */
    public String name() {
        return data.id() + " " + Classes.format(classes);
    }

    /**
     * "mnist:0,1", "fashion:0-4" or "mnist" (all ten classes).
     *
     * @throws IllegalArgumentException naming the text if the dataset or the classes are not valid
     */
    public static Experience parse(String text) {
        String[] parts = text.strip().split(":", -1);
        if (parts.length > 2 || parts[0].isBlank()) {
            throw new IllegalArgumentException("'" + text + "' is not an experience DATASET:CLASSES such as mnist:0,1");
        }
        DataSource d = DataSource.parse(parts[0].strip());
        return new Experience(d, Classes.parse(parts.length == 1 ? "0-9" : parts[1], 10));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Experience e && e.data == data && java.util.Arrays.equals(e.classes, classes);
    }

    @Override
    public int hashCode() {
        return 31 * data.hashCode() + java.util.Arrays.hashCode(classes);
    }

    @Override
    public String toString() {
        return name();
    }
}
