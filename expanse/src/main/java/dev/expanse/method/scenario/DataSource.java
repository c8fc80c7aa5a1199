package dev.expanse.method.scenario;

import dev.expanse.engine.data.Dataset;
import dev.expanse.engine.data.Datasets;
import java.io.IOException;
import java.util.Arrays;

/**
 * The image sets every command can use, each either in full from the data cache or as its small
 * committed fixture: this is the one place a dataset's name is read.
 */
public enum DataSource {
    MNIST("mnist"),
    FASHION("fashion-mnist");

    private final String id;

    DataSource(String id) {
        this.id = id;
    }

    /** The name used on the command line and in file names: "mnist" or "fashion-mnist". */
    public String id() { return id; }

    /** Loads the training or test part, from the fixtures when {@code fixture}, else from the data cache. */
    public Dataset load(Datasets.Part part, boolean fixture) throws IOException {
        if (fixture) return Datasets.fixture(id, part);
        return this == MNIST ? Datasets.mnist(part) : Datasets.fashionMnist(part);
    }

    /** The other dataset: the default target of a distant transfer from this one. */
    public DataSource other() {
        return this == MNIST ? FASHION : MNIST;
    }

    /**
     * Parses "mnist", "fashion-mnist" or "fashion".
     *
     * @throws IllegalArgumentException naming the bad value
     */
    public static DataSource parse(String s) {
        if (s.equals("fashion")) return FASHION;
        for (DataSource d : values()) if (d.id.equals(s)) return d;
        throw new IllegalArgumentException("unknown dataset '" + s + "'; datasets are "
                + Arrays.stream(values()).map(DataSource::id).toList());
    }
}
